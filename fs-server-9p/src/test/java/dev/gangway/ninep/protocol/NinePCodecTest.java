package dev.gangway.ninep.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage.*;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class NinePCodecTest {
    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private static String hex(ByteBuf b) {
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    private static ByteBuf bytes(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    private static Decoded<Tmessage> decode(String hex) {
        var frame = bytes(hex);
        try {
            return NinePCodec.decodeRequest(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void tversionAsTheLinuxClientSendsIt() {
        // size 21, type 100, tag NOTAG, msize 262144, "9P2000.L"
        var wire = "15000000 64 ffff 00000400 0800 3950323030302e4c";
        assertThat(hex(NinePCodec.encode(ALLOC, 0xffff, new Tversion(262144, "9P2000.L"))))
                .isEqualTo(wire.replace(" ", ""));
        assertThat(decode(wire)).isEqualTo(new Decoded.Ok<>(0xffff, new Tversion(262144, "9P2000.L")));
    }

    @Test
    void twalkWithTwoNames() {
        var wire = "1b000000 6e 0100 00000000 01000000 0200 0300 757372 0300 62696e";
        var m = new Twalk(0, 1, List.of("usr", "bin"));
        assertThat(hex(NinePCodec.encode(ALLOC, 1, m))).isEqualTo(wire.replace(" ", ""));
        assertThat(decode(wire)).isEqualTo(new Decoded.Ok<>(1, m));
    }

    @Test
    void tlockAndTgetattrAndTsetattr() {
        var lock = new Tlock(5, Tlock.WRLCK, Tlock.FLAG_BLOCK, 10, 0, 42, "vm");
        var wire = "28000000 34 0200 05000000 01 01000000 0a00000000000000 0000000000000000 2a000000 0200 766d";
        assertThat(hex(NinePCodec.encode(ALLOC, 2, lock))).isEqualTo(wire.replace(" ", ""));
        assertThat(decode(wire)).isEqualTo(new Decoded.Ok<>(2, lock));

        var getattr = new Tgetattr(7, 0x3fff);
        assertThat(hex(NinePCodec.encode(ALLOC, 3, getattr))).isEqualTo("13000000180300070000" + "00ff3f000000000000");
    }

    @Test
    void twriteDataIsASliceOfTheFrame() {
        var frame = bytes("1a000000 76 0400 03000000 0800000000000000 03000000 616263");
        var decoded = NinePCodec.decodeRequest(frame);
        frame.release();
        assertThat(decoded).isInstanceOfSatisfying(Decoded.Ok.class, ok -> {
            var w = (Twrite) ok.message();
            assertThat(w.fid()).isEqualTo(3);
            assertThat(w.offset()).isEqualTo(8);
            assertThat(w.data().toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("abc");
            w.data().release();
        });
    }

    @Test
    void repliesEncodeByteExact() {
        assertThat(hex(NinePCodec.encode(ALLOC, 9, new Rlerror(2)))).isEqualTo("0b00000007090002000000");
        assertThat(hex(NinePCodec.encode(ALLOC, 1, new Rattach(new Qid(Qid.DIR, 0, 0x0001000000000080L)))))
                .isEqualTo("1400000069010080000000008000000000000100");
        var data = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
        assertThat(hex(NinePCodec.encode(ALLOC, 5, new Rread(data)))).isEqualTo("0e00000075050003000000010203");
        var entry = new DirEntry(new Qid(Qid.FILE, 0, 7), 1, 8, "a");
        var buf = Unpooled.buffer();
        entry.encode(buf);
        assertThat(entry.encodedSize()).isEqualTo(buf.readableBytes()).isEqualTo(25);
        assertThat(hex(NinePCodec.encode(ALLOC, 6, new Rreaddir(buf))))
                .isEqualTo("2400000029060019000000" + "00000000000700000000000000" + "0100000000000000" + "08"
                        + "010061");
    }

    @Test
    void everyRequestRoundTrips() {
        List<Tmessage> all = List.of(new Tversion(8192, "9P2000.L"), new Tauth(1, "u", "a", 5),
                new Tattach(1, -1, "u", "share", 1000), new Tflush(7), new Twalk(1, 2, List.of()),
                new Tread(1, 1L << 40, 4096), new Tclunk(3), new Tremove(3), new Tstatfs(3), new Tlopen(3, 2),
                new Tlcreate(3, "f", 0101, 0644, 100), new Tsymlink(3, "l", "/x", 100),
                new Tmknod(3, "n", 020644, 1, 3, 100), new Trename(3, 4, "m"), new Treadlink(3),
                new Tgetattr(3, 0x7ff), new Tsetattr(3, 0x1ff, 0755, 1, 2, 3, 4, 5, 6, 7),
                new Txattrwalk(3, 4, "user.x"), new Txattrcreate(3, "user.x", 10, 1), new Treaddir(3, 99, 8192),
                new Tfsync(3, 1), new Tgetlock(3, 0, 0, 10, 9, "c"), new Tlink(3, 4, "h"),
                new Tmkdir(3, "d", 0755, 100), new Trenameat(3, "a", 4, "b"), new Tunlinkat(3, "d", 0x200));
        for (var m : all) {
            var frame = NinePCodec.encode(ALLOC, 77, m);
            assertThat(NinePCodec.decodeRequest(frame)).isEqualTo(new Decoded.Ok<>(77, m));
            frame.release();
        }
    }

    @Test
    void everyReplyRoundTrips() {
        var q = new Qid(Qid.SYMLINK, 3, 99);
        List<Rmessage> all = List.of(new Rlerror(13), new Rversion(8192, "9P2000.L"), new Rauth(q), new Rattach(q),
                new Rflush(), new Rwalk(List.of(q, q)), new Rwrite(5), new Rclunk(), new Rremove(),
                new Rstatfs(0xef53, 4096, 1, 2, 3, 4, 5, 6, 255), new Rlopen(q, 0), new Rlcreate(q, 0),
                new Rsymlink(q), new Rmknod(q), new Rrename(), new Rreadlink("/t"),
                new Rgetattr(0x7ff, q, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18), new Rsetattr(),
                new Rxattrwalk(10), new Rxattrcreate(), new Rfsync(), new Rlock(1), new Rgetlock(1, 2, 3, 4, "c"),
                new Rlink(), new Rmkdir(q), new Rrenameat(), new Runlinkat());
        for (var m : all) {
            var frame = NinePCodec.encode(ALLOC, 77, m);
            assertThat(NinePCodec.decodeReply(frame)).isEqualTo(new Decoded.Ok<>(77, m));
            frame.release();
        }
    }

    @Test
    void malformedInputIsAValueNotAnException() {
        // String length beyond the frame.
        assertThat(decode("0f000000 6e 0100 00000000 0100 ff00")).isInstanceOf(Decoded.Malformed.class);
        // Unknown type keeps the tag so the server can answer it.
        assertThat(decode("07000000 01 0500")).isEqualTo(new Decoded.Malformed<>(5, 1, "unknown message type 1"));
        // Size field that disagrees with the frame.
        assertThat(decode("09000000 78 0100 00000000")).isInstanceOf(Decoded.Malformed.class);
        // Twrite count larger than the data.
        assertThat(decode("19000000 76 0400 03000000 0000000000000000 ffffffff 6162")).isInstanceOf(Decoded.Malformed.class);
        // Too many walk names.
        assertThat(decode("11000000 6e 0100 00000000 01000000 1100")).isInstanceOf(Decoded.Malformed.class);
        // Trailing bytes.
        assertThat(decode("0c000000 78 0100 00000000 00")).isInstanceOf(Decoded.Malformed.class);
        // Shorter than a header.
        assertThat(decode("0500000064")).isInstanceOf(Decoded.Malformed.class);
    }
}
