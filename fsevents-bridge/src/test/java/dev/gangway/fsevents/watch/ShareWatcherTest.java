package dev.gangway.fsevents.watch;

import static dev.gangway.fsevents.watch.Change.Kind.CREATED;
import static dev.gangway.fsevents.watch.Change.Kind.DELETED;
import static dev.gangway.fsevents.watch.Change.Kind.MODIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gangway.fsevents.replay.ReplayBook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's real watcher (inotify here) feeding the detector. */
class ShareWatcherTest {
    @TempDir
    Path root;

    private final List<Change> seen = new CopyOnWriteArrayList<>();

    private ShareWatcher start() throws Exception {
        return ShareWatcher.start(root, ShareWatcher.Options.DEFAULTS, new EchoFilter(), new ReplayBook(), seen::addAll);
    }

    @Test
    void reportsEachKindOfHostChange() throws Exception {
        Files.writeString(root.resolve("old.txt"), "x");
        try (var watcher = start()) {
            Files.writeString(root.resolve("new.txt"), "hello");
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(Change.of(CREATED, "new.txt", false)));
            Files.writeString(root.resolve("new.txt"), "hello again");
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(Change.of(MODIFIED, "new.txt", false)));
            Files.delete(root.resolve("old.txt"));
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(Change.of(DELETED, "old.txt", false)));
            Files.move(root.resolve("new.txt"), root.resolve("renamed.txt"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> seen.contains(Change.renamed("new.txt", "renamed.txt", false)));
            assertThat(seen).doesNotHaveDuplicates();
        }
    }

    @Test
    void aBurstOfNewFilesIsReportedWholeAndInOrder() throws Exception {
        try (var watcher = start()) {
            Files.createDirectories(root.resolve("burst/deep"));
            for (int i = 0; i < 2000; i++) {
                Files.writeString(root.resolve("burst/deep/f" + i), "x");
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> seen.stream().filter(c -> c.kind() == CREATED).count() >= 2002);
            var created = seen.stream().filter(c -> c.kind() == CREATED).map(Change::path).toList();
            assertThat(created).hasSize(2002).doesNotHaveDuplicates();
            assertThat(created.indexOf("burst")).isLessThan(created.indexOf("burst/deep"));
            // A flush may catch a file between its creation and its first write: then it is
            // created (empty) and modified later, as a local inotify watcher would see it too.
            assertThat(seen.stream().map(Change::kind).collect(Collectors.toSet())).isSubsetOf(CREATED, MODIFIED);
            seen.stream().filter(c -> c.kind() == MODIFIED)
                    .forEach(c -> assertThat(created).contains(c.path()));
            assertThat(watcher.entries()).isEqualTo(2002);
        }
    }

    /**
     * The JDK's watch key holds 512 events; beyond that it drops them and queues an OVERFLOW. With the
     * watcher's thread held up (here: blocked on the watcher's lock, as a slow flush would block it), a
     * burst overflows the key, and every file must still be reported, by the rescan.
     */
    @Test
    void aWatchKeyOverflowIsCoveredByARescan() throws Exception {
        try (var watcher = start()) {
            Files.createDirectory(root.resolve("burst"));
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(Change.of(CREATED, "burst", true)));
            int count = 3000;
            synchronized (watcher.lock()) {
                Files.writeString(root.resolve("burst/first"), "x");
                // The watcher's thread is now blocked delivering the first event; the rest pile up in the key.
                Thread.sleep(200);
                for (int i = 0; i < count; i++) {
                    Files.writeString(root.resolve("burst/f" + i), "x");
                }
                Thread.sleep(500);
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> seen.stream().filter(c -> c.kind() == CREATED).count() >= count + 2);
            var created = seen.stream().filter(c -> c.kind() == CREATED).map(Change::path).toList();
            assertThat(created).hasSize(count + 2).doesNotHaveDuplicates();
            assertThat(watcher.entries()).isEqualTo(count + 2);
        }
    }
}
