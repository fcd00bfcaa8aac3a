package dev.gangway.ninep.server;

import static dev.gangway.posix.FileCalls.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.ninep.NinePTestClient;
import dev.gangway.ninep.ServerFixture;
import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage.*;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.ninep.transport.NinePListener;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 6: connections that vanish with open fids, held locks, pending xattr writes, directory
 * listings and requests still in flight leave nothing behind: the process's descriptor count returns to
 * where it was, and another client can take the locks the vanished ones held.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DisconnectTest {
    @TempDir
    Path dir;

    @Test
    void everythingIsReleasedWhenClientsDisappear() throws Exception {
        Files.write(dir.resolve("f"), new byte[1 << 20]);
        Files.createDirectory(dir.resolve("d"));
        for (int i = 0; i < 100; i++) {
            Files.createFile(dir.resolve("d/e" + i));
        }
        try (var fx = ServerFixture.of(dir, false, Ownership.passthrough())) {
            // Warm up: the first connection loads classes and starts event loop threads (descriptors of their own).
            try (var warm = fx.attached()) {
                warm.call(new Tstatfs(0), Rstatfs.class);
            }
            long baseline = MalformedInputTest.openDescriptors();
            var clients = new ArrayList<NinePTestClient>();
            for (int k = 0; k < 10; k++) {
                var c = fx.attached();
                clients.add(c);
                for (int fid = 1; fid <= 20; fid++) {
                    c.call(new Twalk(0, fid, List.of("f")), Rwalk.class);
                    c.call(new Tlopen(fid, O_RDWR), Rlopen.class);
                }
                c.call(new Tlock(1, Tlock.WRLCK, 0, 0, 0, 1000 + k, "gone"), Rlock.class);
                c.call(new Twalk(0, 30, List.of("d")), Rwalk.class);
                c.call(new Tlopen(30, O_RDONLY), Rlopen.class);
                c.call(new Treaddir(30, 0, 512), Rreaddir.class);
                c.call(new Twalk(0, 31, List.of("f")), Rwalk.class);
                c.call(new Txattrcreate(31, "user.pending", 10, 0), Rxattrcreate.class);
                c.call(new Twalk(0, 32, List.of()), Rwalk.class);
                c.call(new Tlcreate(32, "created-" + k, O_RDWR, 0644, 0), Rlcreate.class);
                // Requests in flight at the moment of disconnect, replies never read.
                for (int i = 0; i < 50; i++) {
                    c.send(c.nextTag(), new Tread(1 + i % 20, 0, 65000));
                    c.send(c.nextTag(), new Twrite(2, i * 10L, Unpooled.wrappedBuffer(new byte[10])));
                }
            }
            assertThat(MalformedInputTest.openDescriptors()).isGreaterThan(baseline + 200);
            for (var c : clients) {
                c.close();
            }
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> MalformedInputTest.openDescriptors() <= baseline);
            // The locks of the vanished clients are gone: a new owner gets the whole file at once.
            try (var c = fx.attached()) {
                c.call(new Twalk(0, 1, List.of("f")), Rwalk.class);
                c.call(new Tlopen(1, O_RDWR), Rlopen.class);
                assertThat(c.call(new Tlock(1, Tlock.WRLCK, 0, 0, 0, 1, "new"), Rlock.class).status())
                        .isEqualTo(Rlock.SUCCESS);
            }
            // The pending xattr was never committed.
            assertThat(Files.readAttributes(dir.resolve("f"), "user:*")).isEmpty();
        }
        dev.gangway.ninep.LeakCheck.assertNoLeaks();
    }

    @Test
    void unixSocketTransportServesTheSameCore(@TempDir Path sockets) throws Exception {
        Files.writeString(dir.resolve("f"), "over unix");
        try (var server = NinePServer.builder().share("s", dir, true).ownership(Ownership.mapped()).build();
                var listener = new NinePListener(server)) {
            var path = sockets.resolve("9p.sock");
            listener.listenUnix(path);
            try (var c = new NinePTestClient(java.net.UnixDomainSocketAddress.of(path))) {
                c.call(new Tversion(1 << 20, "9P2000.L"), Rversion.class);
                c.call(new Tattach(0, -1, "u", "", 0), Rattach.class);
                c.call(new Twalk(0, 1, List.of("f")), Rwalk.class);
                c.call(new Tlopen(1, O_RDONLY), Rlopen.class);
                assertThat(ServerFixture.read(c, 1, 0, 100)).isEqualTo("over unix".getBytes());
            }
        }
    }
}
