package dev.gangway.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Byte-exact TCP vectors both ways, option parsing limits, and the wide checksum against the plain one. */
class TcpWireTest {
    static final int GUEST = Ipv4Address.parse("192.168.65.2");
    static final int ALIAS = Ipv4Address.parse("192.168.65.254");

    /**
     * A SYN as the Linux kernel in the lab sent it (43512 to 46589, MSS 1460, SACK-permitted, timestamps,
     * window scale 10), checksum included.
     */
    static final String LINUX_SYN = "a9f8b5fd" + "6a5d2f3c" + "00000000" + "a002" + "faf0" + "0000" + "0000"
            + "020405b4" + "0402080a" + "4aa9c0b6" + "00000000" + "0103030a";

    static ByteBuf withChecksum(String hex) {
        var buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
        long sum = Checksum.pseudoHeader(GUEST, ALIAS, Ipv4Packet.PROTO_TCP, buf.readableBytes());
        buf.setShort(16, Checksum.finish(Checksum.add(sum, buf, 0, buf.readableBytes())));
        return buf;
    }

    @Test
    void parsesALinuxSyn() {
        var buf = withChecksum(LINUX_SYN);
        var parsed = TcpRepr.parse(buf, 0, buf.readableBytes(), GUEST, ALIAS);
        assertThat(parsed).isInstanceOf(Parsed.Ok.class);
        var syn = ((Parsed.Ok<TcpRepr>) parsed).value();
        assertThat(syn.srcPort()).isEqualTo(43512);
        assertThat(syn.dstPort()).isEqualTo(46589);
        assertThat(syn.seq()).isEqualTo(0x6a5d2f3c);
        assertThat(syn.flags()).isEqualTo(TcpPacket.SYN);
        assertThat(syn.window()).isEqualTo(64240);
        assertThat(syn.headerLength()).isEqualTo(40);
        assertThat(syn.payloadLength()).isZero();
        assertThat(syn.sequenceLength()).isEqualTo(1);
        var options = syn.options();
        assertThat(options.mss()).isEqualTo(1460);
        assertThat(options.sackPermitted()).isTrue();
        assertThat(options.timestamps()).isTrue();
        assertThat(options.tsVal()).isEqualTo(0x4aa9c0b6);
        assertThat(options.windowScale()).isEqualTo(10);
    }

    @Test
    void emitsASynAckByteForByte() {
        var repr = new TcpRepr(46589, 43512, 0x01020304, 0x6a5d2f3d, TcpPacket.SYN | TcpPacket.ACK_FLAG, 65535,
                TcpOptions.syn(1460, 7, true, true, 0x11223344, 0x4aa9c0b6), 0, 0);
        int length = TcpRepr.emittedHeaderLength(repr.options());
        var buf = Unpooled.buffer(length);
        assertThat(repr.emit(buf, 0)).isEqualTo(length);
        buf.writerIndex(length);
        TcpRepr.fillChecksum(buf, 0, length, null, ALIAS, GUEST);
        var hex = HexFormat.of().formatHex(TestBytes.array(buf));
        assertThat(hex.substring(0, 32)).isEqualTo("b5fda9f8" + "01020304" + "6a5d2f3d" + "a012" + "ffff");
        assertThat(hex.substring(40)).isEqualTo("020405b4" + "01030307" + "0402080a" + "11223344" + "4aa9c0b6");
        long sum = Checksum.pseudoHeader(ALIAS, GUEST, Ipv4Packet.PROTO_TCP, length);
        assertThat(Checksum.finish(Checksum.add(sum, buf, 0, length))).isZero();
        var back = TcpRepr.parse(buf, 0, length, ALIAS, GUEST);
        assertThat(((Parsed.Ok<TcpRepr>) back).value().options().windowScale()).isEqualTo(7);
    }

    @Test
    void emitsSackBlocksAfterTimestamps() {
        var options = TcpOptions.established(true, 5, 6, new int[] {100, 200, 300, 400, 500, 600, 700, 800});
        assertThat(options.emittedLength()).isEqualTo(12 + 4 + 24); // three blocks fit beside timestamps
        var buf = Unpooled.buffer(60);
        new TcpRepr(1, 2, 3, 4, TcpPacket.ACK_FLAG, 5, options, 0, 0).emit(buf, 0);
        buf.writerIndex(TcpRepr.emittedHeaderLength(options));
        var parsed = ((Parsed.Ok<TcpOptions>) TcpOptions.parse(buf, 20, buf.writerIndex())).value();
        assertThat(parsed.sack()).containsExactly(100, 200, 300, 400, 500, 600);
        assertThat(parsed.tsVal()).isEqualTo(5);
        assertThat(parsed.tsEcr()).isEqualTo(6);
    }

    @Test
    void refusesMalformedSegments() {
        var syn = withChecksum(LINUX_SYN);
        assertThat(TcpRepr.parse(syn, 0, 19, GUEST, ALIAS)).isEqualTo(Parsed.refused(Malformed.TRUNCATED));
        var badOffset = withChecksum(LINUX_SYN.substring(0, 24) + "f002" + LINUX_SYN.substring(28));
        assertThat(TcpRepr.parse(badOffset, 0, badOffset.readableBytes(), GUEST, ALIAS))
                .isEqualTo(Parsed.refused(Malformed.BAD_HEADER_LENGTH));
        var synRst = withChecksum(LINUX_SYN.substring(0, 24) + "a006" + LINUX_SYN.substring(28));
        assertThat(TcpRepr.parse(synRst, 0, synRst.readableBytes(), GUEST, ALIAS))
                .isEqualTo(Parsed.refused(Malformed.UNSUPPORTED));
        var badOption = withChecksum(LINUX_SYN.substring(0, 40) + "020505b4" + LINUX_SYN.substring(48));
        assertThat(TcpRepr.parse(badOption, 0, badOption.readableBytes(), GUEST, ALIAS))
                .isEqualTo(Parsed.refused(Malformed.BAD_OPTIONS));
        var runaway = withChecksum(LINUX_SYN.substring(0, 72) + "01033f0a");
        assertThat(TcpRepr.parse(runaway, 0, runaway.readableBytes(), GUEST, ALIAS))
                .isEqualTo(Parsed.refused(Malformed.BAD_OPTIONS));
        var corrupt = withChecksum(LINUX_SYN);
        corrupt.setByte(30, corrupt.getByte(30) ^ 1);
        assertThat(TcpRepr.parse(corrupt, 0, corrupt.readableBytes(), GUEST, ALIAS))
                .isEqualTo(Parsed.refused(Malformed.BAD_CHECKSUM));
    }

    @Test
    void wideChecksumEqualsThePlainOneOverAnySplit() {
        var random = new Random(6);
        for (int round = 0; round < 500; round++) {
            var bytes = new byte[random.nextInt(70000)];
            random.nextBytes(bytes);
            int offset = bytes.length == 0 ? 0 : random.nextInt(Math.min(bytes.length, 16));
            var plain = Unpooled.wrappedBuffer(bytes);
            var composite = Unpooled.compositeBuffer(64);
            int at = 0;
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(3000));
                var part = Unpooled.directBuffer(n).writeBytes(bytes, at, n);
                composite.addComponent(true, part);
                at += n;
            }
            int length = bytes.length - offset;
            assertThat(WideChecksum.add(7, composite, offset, length)).as("round %d", round)
                    .satisfies(wide -> assertThat(Checksum.finish(wide))
                            .isEqualTo(Checksum.finish(Checksum.add(7, plain, offset, length))));
            composite.release();
        }
    }

    /** Byte arrays from buffers. */
    static final class TestBytes {
        static byte[] array(ByteBuf buf) {
            var out = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), out);
            return out;
        }
    }
}
