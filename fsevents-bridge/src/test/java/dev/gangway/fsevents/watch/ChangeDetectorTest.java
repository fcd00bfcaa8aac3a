package dev.gangway.fsevents.watch;

import static dev.gangway.fsevents.watch.Change.Kind.ATTRIB;
import static dev.gangway.fsevents.watch.Change.Kind.CREATED;
import static dev.gangway.fsevents.watch.Change.Kind.DELETED;
import static dev.gangway.fsevents.watch.Change.Kind.MODIFIED;
import static dev.gangway.fsevents.watch.Change.Kind.OVERFLOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.fsevents.replay.ReplayBook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeDetectorTest {
    @TempDir
    Path root;

    private final EchoFilter echo = new EchoFilter();
    private final ReplayBook replays = new ReplayBook();
    private ChangeDetector detector;

    @BeforeEach
    void snapshotOfAShare() throws IOException {
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("src/main/App.java"), "class App {}");
        Files.writeString(root.resolve("README"), "hello");
        detector = new ChangeDetector(root, echo, replays, 1_000);
        detector.takeSnapshot();
    }

    /** One window with {@code dirty}, and the next one too when the detector holds removals for it. */
    private List<Change> flush(String... dirty) throws IOException {
        var changes = new java.util.ArrayList<>(detector.flush(List.of(dirty)));
        if (detector.holdsRemovals()) {
            changes.addAll(detector.flush(List.of()));
        }
        assertThat(detector.holdsRemovals()).isFalse();
        return changes;
    }

    @Test
    void unchangedPathsReportNothing() throws IOException {
        assertThat(flush("README", "src", "src/main/App.java")).isEmpty();
    }

    @Test
    void createdFileAndDirectory() throws IOException {
        Files.createDirectory(root.resolve("docs"));
        Files.writeString(root.resolve("docs/a.md"), "a");
        assertThat(flush("docs")).containsExactly(
                Change.of(CREATED, "docs", true), Change.of(CREATED, "docs/a.md", false));
        assertThat(flush("docs/a.md")).as("the walk already recorded the file").isEmpty();
    }

    @Test
    void contentChangeIsModifiedAndModeChangeIsAttrib() throws IOException {
        Files.writeString(root.resolve("README"), "hello, longer");
        assertThat(flush("README")).containsExactly(Change.of(MODIFIED, "README", false));
        Files.setPosixFilePermissions(root.resolve("README"), PosixFilePermissions.fromString("rwx------"));
        assertThat(flush("README")).containsExactly(Change.of(ATTRIB, "README", false));
    }

    @Test
    void addingAnEntryDoesNotReportItsDirectory() throws IOException {
        Files.writeString(root.resolve("src/main/Other.java"), "class Other {}");
        assertThat(flush("src/main", "src/main/Other.java"))
                .containsExactly(Change.of(CREATED, "src/main/Other.java", false));
    }

    @Test
    void deletedDirectoryTakesItsSubtreeDeepestFirst() throws IOException {
        Files.delete(root.resolve("src/main/App.java"));
        Files.delete(root.resolve("src/main"));
        Files.delete(root.resolve("src"));
        assertThat(flush("src")).containsExactly(
                Change.of(DELETED, "src/main/App.java", false),
                Change.of(DELETED, "src/main", true),
                Change.of(DELETED, "src", true));
    }

    @Test
    void renamedFileIsOneRename() throws IOException {
        Files.move(root.resolve("README"), root.resolve("README.md"));
        assertThat(flush("README", "README.md")).containsExactly(Change.renamed("README", "README.md", false));
    }

    @Test
    void renamedDirectoryIsOneRenameAndKeepsItsContents() throws IOException {
        Files.move(root.resolve("src"), root.resolve("source"));
        assertThat(flush("src", "source")).containsExactly(Change.renamed("src", "source", true));
        Files.writeString(root.resolve("source/main/App.java"), "class App { int x; }");
        assertThat(flush("source/main/App.java"))
                .containsExactly(Change.of(MODIFIED, "source/main/App.java", false));
    }

    @Test
    void aRenameWhoseNewNameIsNotReportedYetIsStillOneRename() throws IOException {
        Files.move(root.resolve("src"), root.resolve("lib"));
        assertThat(flush("src")).as("only the old name was dirty in this window")
                .containsExactly(Change.renamed("src", "lib", true));
        assertThat(flush("lib", "lib/main/App.java")).isEmpty();
    }

    @Test
    void aMoveWhoseNewNameComesAWindowLaterIsStillOneRename() throws IOException {
        Files.createDirectory(root.resolve("docs"));
        assertThat(flush("docs")).containsExactly(Change.of(CREATED, "docs", true));
        Files.move(root.resolve("README"), root.resolve("docs/README.md"));
        assertThat(detector.flush(List.of("README"))).as("the removal is held for a window").isEmpty();
        assertThat(detector.holdsRemovals()).isTrue();
        assertThat(detector.flush(List.of("docs/README.md")))
                .containsExactly(Change.renamed("README", "docs/README.md", false));
    }

    @Test
    void aGuestRemovalAndAHostCreationOnTheSameInodeAreNotARename() throws IOException {
        var key = Files.readAttributes(root.resolve("README"), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        echo.guestChanged("README");
        Files.delete(root.resolve("README"));
        Files.writeString(root.resolve("marker"), "");
        var reused = key.equals(Files.readAttributes(root.resolve("marker"),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        assertThat(flush("README", "marker")).as("inode reused: %s", reused)
                .containsExactly(Change.of(CREATED, "marker", false));
    }

    @Test
    void aRemovalAndANewFileAreNotARenameEvenOnAReusedInode() throws IOException {
        Files.delete(root.resolve("README"));
        Files.writeString(root.resolve("NEWS"), "fresh content");
        assertThat(flush("README", "NEWS")).containsExactlyInAnyOrder(
                Change.of(DELETED, "README", false), Change.of(CREATED, "NEWS", false));
    }

    @Test
    void saveByRenamingATemporaryFileOverTheTargetIsAModification() throws IOException {
        Files.writeString(root.resolve(".README.swp"), "hello, edited");
        Files.move(root.resolve(".README.swp"), root.resolve("README"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(flush(".README.swp", "README")).containsExactly(Change.of(MODIFIED, "README", false));
    }

    @Test
    void creationsAreHiddenAndRemovalsLeaveGhostsForTheAgent() throws IOException {
        var inode = Files.getAttribute(root.resolve("README"), "unix:ino");
        Files.move(root.resolve("README"), root.resolve("README.md"));
        Files.delete(root.resolve("src/main/App.java"));
        Files.writeString(root.resolve("NEW"), "n");
        flush("README", "README.md", "src/main/App.java", "NEW");
        assertThat(replays.isHidden("README.md")).isTrue();
        assertThat(replays.isHidden("NEW")).isTrue();
        assertThat(replays.ghost("README")).satisfies(g -> {
            assertThat(g.ino()).isEqualTo(inode);
            assertThat(g.directory()).isFalse();
            assertThat(g.size()).isEqualTo(5);
        });
        assertThat(replays.ghost("src/main/App.java")).isNotNull();
        assertThat(replays.isHidden("src")).isFalse();
        assertThat(replays.ghost("src")).isNull();
        replays.completed("NEW");
        assertThat(replays.isHidden("NEW")).isFalse();
    }

    @Test
    void createdAndDeletedWithinOneWindowIsNothing() throws IOException {
        Files.writeString(root.resolve("tmp"), "x");
        Files.delete(root.resolve("tmp"));
        assertThat(flush("tmp")).isEmpty();
    }

    @Test
    void changesTheGuestMadeAreNotEchoed() throws IOException {
        echo.guestChanged("from-guest.txt");
        Files.writeString(root.resolve("from-guest.txt"), "x");
        Files.writeString(root.resolve("from-host.txt"), "y");
        assertThat(flush("from-guest.txt", "from-host.txt"))
                .containsExactly(Change.of(CREATED, "from-host.txt", false));
        assertThat(flush("from-guest.txt")).as("the snapshot knows the guest's file").isEmpty();
    }

    @Test
    void rescanFindsWhatTheWatcherMissed() throws IOException {
        Files.writeString(root.resolve("missed.txt"), "x");
        Files.delete(root.resolve("README"));
        var changes = new java.util.ArrayList<>(detector.rescan(""));
        changes.addAll(detector.flush(List.of()));
        assertThat(changes).containsExactlyInAnyOrder(
                Change.of(CREATED, "missed.txt", false), Change.of(DELETED, "README", false));
    }

    @Test
    void theSnapshotIsBoundedAndOverflowIsReportedOnce() throws IOException {
        var small = new ChangeDetector(root, echo, replays, 5);
        small.takeSnapshot();
        Files.writeString(root.resolve("a"), "a");
        Files.writeString(root.resolve("b"), "b");
        assertThat(small.flush(List.of("a", "b"))).as("changes past the bound are still reported").containsExactly(
                Change.of(CREATED, "a", false), Change.of(OVERFLOW, "", true), Change.of(CREATED, "b", false));
        Files.writeString(root.resolve("c"), "c");
        assertThat(small.flush(List.of("c"))).containsExactly(Change.of(CREATED, "c", false));
        assertThat(small.entries()).isEqualTo(5);
    }
}
