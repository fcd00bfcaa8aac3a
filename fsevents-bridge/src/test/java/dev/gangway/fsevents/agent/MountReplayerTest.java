package dev.gangway.fsevents.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.gangway.fsevents.stream.StreamMessage;
import dev.gangway.fsevents.watch.Change;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each replay call fires exactly the inotify event of its change, as seen by the kernel's inotify through
 * {@code inotifywait}. On a local file system the calls act for real (there is no 9P server to complete
 * them against the host): that is enough to pin down which events each call causes, and that the agent
 * never acts outside its mount.
 */
class MountReplayerTest {
    @TempDir
    Path tmp;

    private Path mount;
    private Process inotifywait;
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private MountReplayer replayer;
    private long seq;

    @BeforeEach
    void watch() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/inotifywait")) || "root".equals(System.getProperty("user.name")))
                .as("inotifywait (Debian package inotify-tools) is needed; scripts/test installs it as root").isTrue();
        mount = Files.createDirectory(tmp.resolve("mount"));
        Files.createDirectory(mount.resolve("dir"));
        Files.writeString(mount.resolve("dir/file"), "content");
        inotifywait = new ProcessBuilder("inotifywait", "-m", "-r", "--format", "%e %w%f",
                // Every kind but open/access/close: inotifywait -r itself opens each new directory.
                "-e", "create,modify,attrib,moved_from,moved_to,delete,delete_self,move_self", mount.toString())
                .redirectErrorStream(true).start();
        var reader = new BufferedReader(new InputStreamReader(inotifywait.getInputStream(), StandardCharsets.UTF_8));
        while (!reader.readLine().contains("Watches established")) {
            // wait until inotifywait watches everything
        }
        Thread.ofVirtual().start(() -> reader.lines().forEach(events::add));
        replayer = new MountReplayer(Map.of("s", mount));
    }

    @AfterEach
    void stop() throws Exception {
        if (inotifywait != null) {
            inotifywait.destroy();
            inotifywait.waitFor(5, TimeUnit.SECONDS);
        }
        if (replayer != null) {
            replayer.close();
        }
    }

    private List<String> replay(String share, Change change) throws Exception {
        replayer.apply(new StreamMessage.Event(++seq, share, change));
        // A marker file created outside the replayer closes each step's event list.
        Files.createFile(mount.resolve(".marker" + seq));
        var seen = new ArrayList<String>();
        while (true) {
            var line = events.poll(10, TimeUnit.SECONDS);
            assertThat(line).as("inotify events so far: %s", seen).isNotNull();
            if (line.endsWith(".marker" + seq)) {
                return seen;
            }
            seen.add(line.replace(mount.toString(), ""));
        }
    }

    @Test
    void eachChangeFiresItsOwnEventAndNothingElse() throws Exception {
        assertThat(replay("s", Change.of(Change.Kind.CREATED, "dir/new", false))).containsExactly("CREATE /dir/new");
        assertThat(replay("s", Change.of(Change.Kind.CREATED, "dir/sub", true)))
                .containsExactly("CREATE,ISDIR /dir/sub");
        assertThat(replay("s", Change.of(Change.Kind.MODIFIED, "dir/file", false))).containsExactly("MODIFY /dir/file");
        assertThat(Files.readString(mount.resolve("dir/file"))).as("content untouched").isEqualTo("content");
        assertThat(replay("s", Change.of(Change.Kind.ATTRIB, "dir/file", false))).containsExactly("ATTRIB /dir/file");
        assertThat(replay("s", Change.renamed("dir/file", "dir/moved", false)))
                .containsExactly("MOVED_FROM /dir/file", "MOVED_TO /dir/moved");
        assertThat(replay("s", Change.of(Change.Kind.DELETED, "dir/moved", false))).containsExactly("DELETE /dir/moved");
        assertThat(replay("s", Change.of(Change.Kind.DELETED, "dir/sub", true)))
                .as("a watched directory also reports its own deletion, as on any file system")
                .containsExactly("DELETE_SELF /dir/sub/", "DELETE,ISDIR /dir/sub");
        assertThat(replay("s", Change.of(Change.Kind.OVERFLOW, "", true))).containsExactly("ATTRIB,ISDIR /");
        assertThat(replayer.applied()).isEqualTo(8);
        assertThat(replayer.fallbacks()).isZero();
    }

    @Test
    void aCreateThatCannotHappenFallsBackToAttrib() throws Exception {
        assertThat(replay("s", Change.of(Change.Kind.CREATED, "dir/file", false))).containsExactly("ATTRIB /dir/file");
        assertThat(replayer.fallbacks()).isEqualTo(1);
    }

    @Test
    void neverActsOutsideTheMount() throws Exception {
        var outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "keep me");
        Files.createSymbolicLink(mount.resolve("link"), outside);
        Files.createSymbolicLink(mount.resolve("filelink"), outside.resolve("victim"));
        var modeBefore = Files.getAttribute(outside.resolve("victim"), "unix:mode");
        var ctimeBefore = Files.getAttribute(outside.resolve("victim"), "unix:ctime");
        replay("s", Change.of(Change.Kind.DELETED, "link/victim", false));
        replay("s", Change.of(Change.Kind.MODIFIED, "filelink", false));
        replay("s", Change.of(Change.Kind.ATTRIB, "link/victim", false));
        replay("s", Change.of(Change.Kind.DELETED, "../outside/victim", false));
        replay("s", Change.of(Change.Kind.CREATED, "dir/x", false));
        replayer.apply(new StreamMessage.Event(++seq, "unknown-share", Change.of(Change.Kind.DELETED, "dir", true)));
        assertThat(Files.readString(outside.resolve("victim"))).isEqualTo("keep me");
        assertThat(Files.getAttribute(outside.resolve("victim"), "unix:mode")).isEqualTo(modeBefore);
        assertThat(Files.getAttribute(outside.resolve("victim"), "unix:ctime")).as("not even chmod-ed").isEqualTo(ctimeBefore);
        assertThat(replayer.refused()).isGreaterThanOrEqualTo(2);
        assertThat(Files.exists(mount.resolve("dir/x"))).isTrue();
    }

    @Test
    void pathsMustBePlainAndRelative() {
        assertThat(MountReplayer.Name.parse("a/b")).isNotNull();
        assertThat(MountReplayer.Name.parse("")).isNotNull();
        for (var bad : List.of("/etc", "a//b", "a/./b", "a/../b", "..", "a/", "a\0b")) {
            assertThat(MountReplayer.Name.parse(bad)).as(bad).isNull();
        }
    }
}
