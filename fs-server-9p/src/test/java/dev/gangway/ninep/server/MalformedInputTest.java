package dev.gangway.ninep.server;

import static dev.gangway.posix.FileCalls.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.ninep.NinePTestClient;
import dev.gangway.ninep.ServerFixture;
import dev.gangway.ninep.protocol.NinePCodec;
import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage;
import dev.gangway.ninep.protocol.Tmessage.*;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.posix.Errno;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 5: mutated, truncated and nonsensical 9P messages. The server answers each with a reply or
 * closes that connection; it never crashes, keeps serving new connections, and holds no descriptors after.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MalformedInputTest {
    @TempDir
    Path dir;

    @Test
    void fidsAndHeldMemoryAreBoundedPerConnection() throws Exception {
        Files.createDirectory(dir.resolve("big"));
        for (int i = 0; i < 2000; i++) {
            Files.createFile(dir.resolve("big/" + "n".repeat(100) + i));
        }
        Files.writeString(dir.resolve("f"), "x");
        var limits = new Limits(65536, 8, 64, 1 << 20, 100_000);
        try (var server = NinePServer.builder().share("s", dir, false).limits(limits).build();
                var fx = new ServerFixture(server); var c = fx.attached()) {
            for (int fid = 1; fid < 8; fid++) {
                c.call(new Twalk(0, fid, List.of()), Rwalk.class);
            }
            assertThat(c.error(new Twalk(0, 8, List.of()))).isEqualTo(Errno.EMFILE);
            for (int fid = 2; fid < 8; fid++) {
                c.call(new Tclunk(fid), Rclunk.class);
            }
            // A listing bigger than the connection's budget is refused, and refusing it holds nothing.
            c.call(new Twalk(0, 2, List.of("big")), Rwalk.class);
            c.call(new Tlopen(2, O_RDONLY), Rlopen.class);
            assertThat(c.error(new Treaddir(2, 0, 8192))).isEqualTo(Errno.ENOMEM);
            // Xattr buffers count too: two 64 KiB pending values do not fit in 100 kB.
            c.call(new Twalk(0, 3, List.of("f")), Rwalk.class);
            c.call(new Txattrcreate(3, "user.a", 65536, 0), Rxattrcreate.class);
            c.call(new Twalk(0, 4, List.of("f")), Rwalk.class);
            assertThat(c.error(new Txattrcreate(4, "user.b", 65536, 0))).isEqualTo(Errno.ENOMEM);
            // Clunking gives the budget back (an xattr never written fails at clunk, and is freed all the same).
            c.call(new Twalk(0, 5, List.of("f")), Rwalk.class);
            assertThat(c.error(new Tclunk(3))).isEqualTo(Errno.EINVAL);
            assertThat(c.error(new Tclunk(3))).isEqualTo(Errno.EBADF);
            c.call(new Txattrcreate(5, "user.c", 65536, 0), Rxattrcreate.class);
        }
    }

    private static List<Tmessage> corpus() {
        return List.of(new Twalk(0, 1, List.of("f")), new Tlopen(1, O_RDWR), new Tread(1, 0, 100),
                new Twrite(1, 3, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})), new Tgetattr(1, 0x3fff),
                new Tsetattr(1, 0x1ff, 0644, 0, 0, 10, 1, 2, 3, 4), new Treaddir(0, 0, 4096),
                new Tlcreate(0, "n", O_RDWR, 0644, 0), new Tmkdir(0, "d", 0755, 0), new Tsymlink(0, "s", "t", 0),
                new Tmknod(0, "p", S_IFIFO | 0644, 0, 0, 0), new Trenameat(0, "f", 0, "g"), new Tunlinkat(0, "g", 0),
                new Txattrwalk(1, 2, ""), new Txattrcreate(1, "user.a", 3, 0), new Tlock(1, 1, 0, 0, 0, 1, "c"),
                new Tgetlock(1, 1, 0, 0, 1, "c"), new Tlink(0, 1, "h"), new Tstatfs(0), new Tfsync(1, 0),
                new Tflush(3), new Tclunk(1), new Tremove(1), new Treadlink(1), new Tattach(5, -1, "u", "s", 0),
                new Tversion(8192, "9P2000.L"), new Tauth(1, "u", "s", 0));
    }

    @Test
    void mutatedMessagesGetARepliesOrAClosedConnection() throws Exception {
        Files.writeString(dir.resolve("f"), "data");
        var random = new Random(20261127);
        long baseline = openDescriptors();
        try (var fx = ServerFixture.of(dir, false, Ownership.passthrough())) {
            var corpus = corpus();
            for (int i = 0; i < 600; i++) {
                var frame = NinePCodec.encode(UnpooledByteBufAllocator.DEFAULT, 100, corpus.get(random.nextInt(corpus.size())));
                var bytes = new byte[frame.readableBytes()];
                frame.readBytes(bytes);
                frame.release();
                bytes = mutate(bytes, random);
                if (!Files.isRegularFile(dir.resolve("f"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(dir.resolve("f"));
                    Files.writeString(dir.resolve("f"), "data");
                }
                try (var c = fx.attached()) {
                    c.call(new Twalk(0, 1, List.of("f")), Rwalk.class);
                    c.sendRaw(ByteBuffer.wrap(bytes));
                    boolean consistent = bytes.length >= 7
                            && ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == bytes.length;
                    if (consistent) {
                        // A well-framed message, however wrong: the connection must still answer a probe.
                        int probeTag = 7777;
                        c.send(probeTag, new Tgetattr(0, 0x7ff));
                        awaitProbeOrClose(c, probeTag);
                    } else {
                        // A lying size field: the server waits for bytes or closes; at end of input it closes.
                        c.shutdownOutput();
                        drainUntilClosed(c);
                    }
                }
            }
            // Still serving, and every message it could not parse was counted.
            try (var c = fx.attached()) {
                assertThat(c.call(new Tgetattr(0, 0x7ff), Rgetattr.class).size()).isNotNegative();
            }
            assertThat(fx.server.stats().malformed()).isPositive();
        }
        assertThat(openDescriptors()).isLessThanOrEqualTo(baseline);
        dev.gangway.ninep.LeakCheck.assertNoLeaks();
    }

    @Test
    void specificProtocolAbuses() throws Exception {
        Files.writeString(dir.resolve("f"), "data");
        try (var fx = ServerFixture.of(dir, false, Ownership.passthrough())) {
            try (var c = fx.attached()) {
                // Unknown type: an error with the same tag.
                c.sendRaw(ByteBuffer.wrap(new byte[] {7, 0, 0, 0, (byte) 200, 9, 0}));
                var r = c.receive();
                assertThat(r.tag()).isEqualTo(9);
                assertThat(r.message()).isEqualTo(new Rlerror(Errno.EOPNOTSUPP));
                // A string length beyond the message: EINVAL, connection lives.
                c.sendRaw(ByteBuffer.wrap(new byte[] {15, 0, 0, 0, 110, 10, 0, 0, 0, 0, 0, 1, 0, (byte) 0xff, 0}));
                assertThat(c.receive().message()).isEqualTo(new Rlerror(Errno.EINVAL));
                // Fid reuse: attach onto a used fid, walk onto a used fid, clunk twice.
                assertThat(c.error(new Tattach(0, -1, "u", "s", 0))).isEqualTo(Errno.EEXIST);
                c.call(new Twalk(0, 1, List.of("f")), Rwalk.class);
                assertThat(c.error(new Twalk(0, 1, List.of("f")))).isEqualTo(Errno.EEXIST);
                c.call(new Tclunk(1), Rclunk.class);
                assertThat(c.error(new Tclunk(1))).isEqualTo(Errno.EBADF);
                // Huge counts are clamped to msize.
                c.call(new Twalk(0, 2, List.of("f")), Rwalk.class);
                c.call(new Tlopen(2, O_RDONLY), Rlopen.class);
                var read = c.call(new Tread(2, 0, -1), Rread.class);
                assertThat(read.data().readableBytes()).isEqualTo(4);
                assertThat(c.error(new Tread(2, -5, 10))).isEqualTo(Errno.EINVAL);
            }
            try (var c = fx.attached()) {
                // A frame larger than the negotiated msize closes the connection.
                var big = ByteBuffer.allocate(ServerFixture.MSIZE + 100).order(ByteOrder.LITTLE_ENDIAN);
                big.putInt(ServerFixture.MSIZE + 100).put((byte) 118).putShort((short) 1).position(0);
                c.sendRaw(big);
                assertThat(c.closedByServer()).isTrue();
            }
            try (var c = fx.attached()) {
                // A size field smaller than a header closes the connection.
                c.sendRaw(ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 0, 0, 0}));
                assertThat(c.closedByServer()).isTrue();
            }
            try (var c = fx.attached()) {
                // A tag reused while its request is outstanding closes the connection.
                c.call(new Twalk(0, 3, List.of("f")), Rwalk.class);
                c.call(new Tlopen(3, O_RDONLY), Rlopen.class);
                var out = new ArrayList<Integer>();
                try {
                    for (int i = 0; i < 200; i++) {
                        c.send(55, new Tread(3, 0, 4));
                    }
                } catch (IOException closedWhileSending) {
                    // The server may close before all 200 are written.
                }
                boolean closed = false;
                try {
                    while (true) {
                        out.add(c.receive().tag());
                    }
                } catch (EOFException e) {
                    closed = true;
                }
                assertThat(closed).isTrue();
                assertThat(out).containsOnly(55);
            }
        }
    }

    private static byte[] mutate(byte[] in, Random random) {
        var b = in.clone();
        switch (random.nextInt(7)) {
            case 0 -> b[7 + random.nextInt(Math.max(1, b.length - 7)) % Math.max(1, b.length - 7)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[4] = (byte) random.nextInt(256);
            case 2 -> {
                // Truncate and fix the size field: every length inside is now suspect.
                int n = 7 + random.nextInt(Math.max(1, b.length - 7));
                b = java.util.Arrays.copyOf(b, n);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, n);
            }
            case 3 -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, random.nextInt(1 << 16));
            case 4 -> {
                // Random bytes after the header, size kept consistent.
                for (int i = 7; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
            case 5 -> {
                // Extend with junk and fix the size.
                int extra = 1 + random.nextInt(64);
                b = java.util.Arrays.copyOf(b, b.length + extra);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, b.length);
            }
            default -> {
                // A huge count or length where a 4-byte field sits after the fid.
                if (b.length >= 15) {
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, -1);
                }
            }
        }
        return b;
    }

    private static void awaitProbeOrClose(NinePTestClient c, int probeTag) throws IOException {
        try {
            while (c.receive().tag() != probeTag) {
                // Replies to the mutated message itself come first or not at all.
            }
        } catch (EOFException closed) {
            // Closing the connection is an allowed answer to a protocol violation.
        }
    }

    private static void drainUntilClosed(NinePTestClient c) throws IOException {
        try {
            while (true) {
                c.receive();
            }
        } catch (EOFException closed) {
            // Expected.
        } catch (IOException bad) {
            if (!bad.getMessage().startsWith("bad reply size") && !bad.getMessage().startsWith("malformed")) {
                throw bad;
            }
            throw new AssertionError("server sent a malformed reply", bad);
        }
    }

    static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
