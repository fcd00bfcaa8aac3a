package dev.gangway.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Parsers refuse bad guest bytes with a reason, never an exception. */
class MalformedInputTest {
    static Malformed refused(Parsed<?> parsed) {
        assertThat(parsed).isInstanceOf(Parsed.Refused.class);
        return ((Parsed.Refused<?>) parsed).reason();
    }

    @Test
    void ipv4() {
        var frame = WireVectorsTest.bytes(WireVectorsTest.ECHO_REQUEST);
        assertThat(refused(Ipv4Repr.parse(frame, 14, 19))).isEqualTo(Malformed.TRUNCATED);
        assertThat(refused(Ipv4Repr.parse(frame, 14, 60))).isEqualTo(Malformed.BAD_LENGTH);
        var badChecksum = frame.copy();
        badChecksum.setByte(14 + 8, 63);
        assertThat(refused(Ipv4Repr.parse(badChecksum, 14, 84))).isEqualTo(Malformed.BAD_CHECKSUM);
        var badVersion = frame.copy();
        badVersion.setByte(14, 0x65);
        assertThat(refused(Ipv4Repr.parse(badVersion, 14, 84))).isEqualTo(Malformed.BAD_VERSION);
        var badIhl = frame.copy();
        badIhl.setByte(14, 0x44);
        assertThat(refused(Ipv4Repr.parse(badIhl, 14, 84))).isEqualTo(Malformed.BAD_HEADER_LENGTH);
    }

    @Test
    void udpAndIcmp() {
        var frame = WireVectorsTest.bytes(WireVectorsTest.UDP_HELLO);
        int src = frame.getInt(26), dst = frame.getInt(30);
        assertThat(refused(UdpRepr.parse(frame, 34, 7, src, dst))).isEqualTo(Malformed.TRUNCATED);
        var badLength = frame.copy();
        badLength.setShort(38, 200);
        assertThat(refused(UdpRepr.parse(badLength, 34, 14, src, dst))).isEqualTo(Malformed.BAD_LENGTH);
        var badSum = frame.copy();
        badSum.setByte(45, 'x');
        assertThat(refused(UdpRepr.parse(badSum, 34, 14, src, dst))).isEqualTo(Malformed.BAD_CHECKSUM);
        var echo = WireVectorsTest.bytes(WireVectorsTest.ECHO_REQUEST);
        echo.setByte(40, 1);
        assertThat(refused(IcmpRepr.parse(echo, 34, 64))).isEqualTo(Malformed.BAD_CHECKSUM);
    }

    @Test
    void dhcpOptionsAreBounded() {
        var frame = WireVectorsTest.bytes(WireVectorsTest.DHCP_DISCOVER);
        int payload = frame.readableBytes() - 42;
        var huge = Unpooled.buffer(240 + 3 * 200 + 3);
        huge.writeBytes(frame, 42, 240);
        huge.writeBytes(new byte[] {53, 1, 1});
        for (int i = 0; i < 200; i++) {
            huge.writeBytes(new byte[] {(byte) 200, 1, 0});
        }
        huge.writeByte(255);
        assertThat(refused(DhcpRepr.parse(huge, 0, huge.readableBytes()))).isEqualTo(Malformed.BAD_OPTIONS);
        var overrun = Unpooled.buffer(246).writeBytes(frame, 42, 240).writeBytes(new byte[] {53, 1, 1, 12, (byte) 250, 65});
        assertThat(refused(DhcpRepr.parse(overrun, 0, overrun.readableBytes()))).isEqualTo(Malformed.BAD_OPTIONS);
        assertThat(refused(DhcpRepr.parse(frame, 42, 100))).isEqualTo(Malformed.TRUNCATED);
        assertThat(payload).isGreaterThan(240);
    }
}
