package dev.gangway.ninep.share;

import static dev.gangway.ninep.ServerFixture.read;
import static dev.gangway.ninep.ServerFixture.walk;
import static dev.gangway.posix.FileCalls.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.ninep.NinePTestClient;
import dev.gangway.ninep.ServerFixture;
import dev.gangway.ninep.protocol.Qid;
import dev.gangway.ninep.protocol.Rmessage;
import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage.*;
import dev.gangway.posix.Errno;
import dev.gangway.posix.FileCalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4 on the host side: a client speaking raw 9P (it can send what the Linux client never would)
 * tries every known way out of the share. The secret lives beside the share; no reply may ever carry it.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShareEscapeTest {
    private static final String SECRET = "the-secret-outside-the-share";

    @TempDir
    Path root;
    Path share;
    Path outside;
    ServerFixture fx;
    NinePTestClient c;

    @BeforeEach
    void start() throws Exception {
        share = Files.createDirectory(root.resolve("share"));
        outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(outside.resolve("secret"), SECRET);
        Files.writeString(root.resolve("secret"), SECRET);
        fx = ServerFixture.of(share, false, Ownership.passthrough());
        c = fx.attached();
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        fx.close();
    }

    @Test
    void dotDotSlashAndEmptyNamesAreRefusedEverywhere() throws Exception {
        for (var bad : List.of("..", ".", "", "/", "../secret", "a/b", "/etc", "x\0y")) {
            assertThat(c.error(new Twalk(0, 1, List.of(bad)))).as("walk %s", bad).isIn(Errno.EINVAL);
            walk(c, 0, 9);
            assertThat(c.error(new Tlcreate(9, bad, O_RDWR, 0644, 0))).as("create %s", bad).isEqualTo(Errno.EINVAL);
            c.call(new Tclunk(9), Rclunk.class);
            assertThat(c.error(new Tmkdir(0, bad, 0755, 0))).isEqualTo(Errno.EINVAL);
            assertThat(c.error(new Tsymlink(0, bad, "x", 0))).isEqualTo(Errno.EINVAL);
            assertThat(c.error(new Tunlinkat(0, bad, 0))).isEqualTo(Errno.EINVAL);
            assertThat(c.error(new Trenameat(0, bad, 0, "x"))).isEqualTo(Errno.EINVAL);
            assertThat(c.error(new Tmknod(0, bad, S_IFIFO | 0600, 0, 0, 0))).isEqualTo(Errno.EINVAL);
        }
        assertThat(Files.list(root).count()).isEqualTo(3);
    }

    @Test
    void symlinksPointingOutsideAreReturnedAsLinksAndNeverFollowed() throws Exception {
        Files.createSymbolicLink(share.resolve("abs"), outside);
        Files.createSymbolicLink(share.resolve("rel"), Path.of("../outside"));
        Files.createSymbolicLink(share.resolve("absfile"), outside.resolve("secret"));
        Files.createSymbolicLink(share.resolve("relfile"), Path.of("../secret"));
        for (var link : List.of("abs", "rel", "absfile", "relfile")) {
            var qid = walk(c, 0, 1, link);
            assertThat(qid.type()).isEqualTo(Qid.SYMLINK);
            assertThat(c.error(new Tlopen(1, O_RDONLY))).isEqualTo(Errno.ELOOP);
            assertThat(c.error(new Twalk(1, 2, List.of("secret")))).isEqualTo(Errno.ENOTDIR);
            var partial = c.rpc(new Twalk(0, 2, List.of(link, "secret")));
            assertThat(partial).isInstanceOfSatisfying(Rwalk.class, w -> assertThat(w.qids()).hasSize(1));
            assertThat(c.error(new Txattrwalk(1, 3, "user.x"))).isEqualTo(Errno.ENODATA);
            // Creating over the link's name neither follows it nor opens its target.
            walk(c, 0, 4);
            assertThat(c.error(new Tlcreate(4, link, O_RDWR | O_TRUNC, 0644, 0))).isIn(Errno.ELOOP, Errno.EEXIST);
            c.call(new Tclunk(4), Rclunk.class);
            c.call(new Tclunk(1), Rclunk.class);
        }
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo(SECRET);
        assertThat(Files.readString(root.resolve("secret"))).isEqualTo(SECRET);
    }

    @Test
    void hardLinkOfALinkLinksTheLinkNotItsTarget() throws Exception {
        Files.createSymbolicLink(share.resolve("out"), outside.resolve("secret"));
        walk(c, 0, 1, "out");
        var reply = c.rpc(new Tlink(0, 1, "hard"));
        if (reply instanceof Rlink) {
            assertThat(Files.isSymbolicLink(share.resolve("hard"))).isTrue();
        } else {
            assertThat(share.resolve("hard")).doesNotExist();
        }
        assertThat(Files.getAttribute(outside.resolve("secret"), "unix:nlink")).isEqualTo(1);
        // Renames and links can only name entries of directories inside the share.
        assertThat(c.error(new Trenameat(0, "out", 0, "../escaped"))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void fifosAndDeviceNodesAreNeverOpened() throws Exception {
        FileCalls.mknodat(AT_FDCWD, share.resolve("fifo").toString(), S_IFIFO | 0666, 0);
        FileCalls.mknodat(AT_FDCWD, share.resolve("null").toString(), S_IFCHR | 0666, makedev(1, 3));
        for (var name : List.of("fifo", "null")) {
            walk(c, 0, 1, name);
            // Answered at once: an opened FIFO without a writer would block the request forever.
            assertThat(c.error(new Tlopen(1, O_RDONLY))).isEqualTo(Errno.EACCES);
            assertThat(c.error(new Tlopen(1, O_WRONLY))).isEqualTo(Errno.EACCES);
            assertThat(c.error(new Tsetattr(1, Tsetattr.SIZE, 0, 0, 0, 0, 0, 0, 0, 0))).isEqualTo(Errno.EACCES);
            assertThat(c.error(new Tlock(1, Tlock.WRLCK, 0, 0, 0, 1, "c"))).isEqualTo(Errno.EINVAL);
            walk(c, 0, 2);
            assertThat(c.error(new Tlcreate(2, name, O_RDWR, 0644, 0))).isEqualTo(Errno.EACCES);
            c.call(new Tclunk(2), Rclunk.class);
            c.call(new Tclunk(1), Rclunk.class);
        }
        // Passthrough never plants device nodes for the guest either.
        assertThat(c.error(new Tmknod(0, "mem", S_IFCHR | 0666, 1, 1, 0))).isEqualTo(Errno.EPERM);
    }

    @Test
    void directorySwappedForASymlinkBetweenWalkAndOpenNeverLeadsOutside() throws Exception {
        var dir = share.resolve("d");
        Files.createDirectory(dir);
        Files.writeString(dir.resolve("secret"), "inside");
        var parked = share.resolve("parked");
        var link = share.resolve("swap");
        Files.createSymbolicLink(link, outside);
        var stop = new AtomicBoolean();
        var swapper = Thread.ofPlatform().start(() -> {
            // Atomically exchange the directory and the symlink, over and over.
            while (!stop.get()) {
                try {
                    FileCalls.renameat2(AT_FDCWD, dir.toString(), AT_FDCWD, link.toString(), RENAME_EXCHANGE);
                } catch (Exception e) {
                    return;
                }
            }
        });
        int insideReads = 0;
        try {
            for (int i = 0; i < 2000; i++) {
                var walked = c.rpc(new Twalk(0, 1, List.of("d", "secret")));
                if (walked instanceof Rwalk w && w.qids().size() == 2) {
                    Rmessage opened = c.rpc(new Tlopen(1, O_RDONLY));
                    if (opened instanceof Rlopen) {
                        var data = new String(read(c, 1, 0, 100), StandardCharsets.UTF_8);
                        assertThat(data).isNotEqualTo(SECRET).isEqualTo("inside");
                        insideReads++;
                    }
                    c.call(new Tclunk(1), Rclunk.class);
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertThat(insideReads).isPositive();
        assertThat(Files.exists(parked)).isFalse();
    }
}
