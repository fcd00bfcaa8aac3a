package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A parsed UDP header; the payload follows the 8-byte header. */
public record UdpRepr(int srcPort, int dstPort, int payloadLength) {

    /**
     * Validates the datagram of {@code length} bytes (header and payload, as IPv4 delivered it) at
     * {@code offset}: its length field and, when present, its checksum over the IPv4 pseudo header.
     */
    public static Parsed<UdpRepr> parse(ByteBuf buf, int offset, int length, int srcIp, int dstIp) {
        if (length < UdpPacket.HEADER_LENGTH) {
            return Parsed.refused(Malformed.TRUNCATED);
        }
        var view = new UdpPacket(buf, offset);
        int udpLength = view.length();
        if (udpLength < UdpPacket.HEADER_LENGTH || udpLength > length) {
            return Parsed.refused(Malformed.BAD_LENGTH);
        }
        if (view.checksum() != 0) {
            long sum = Checksum.pseudoHeader(srcIp, dstIp, Ipv4Packet.PROTO_UDP, udpLength);
            if (Checksum.finish(Checksum.add(sum, buf, offset, udpLength)) != 0) {
                return Parsed.refused(Malformed.BAD_CHECKSUM);
            }
        }
        if (view.dstPort() == 0) {
            return Parsed.refused(Malformed.BAD_ADDRESS);
        }
        return Parsed.ok(new UdpRepr(view.srcPort(), view.dstPort(), udpLength - UdpPacket.HEADER_LENGTH));
    }

    /**
     * Writes the header at {@code offset} and the checksum over it and the {@code payloadLength} bytes
     * that must already follow it in {@code buf}.
     */
    public void emit(ByteBuf buf, int offset, int srcIp, int dstIp) {
        var view = new UdpPacket(buf, offset);
        int length = UdpPacket.HEADER_LENGTH + payloadLength;
        view.setSrcPort(srcPort);
        view.setDstPort(dstPort);
        view.setLength(length);
        view.setChecksum(0);
        int sum = Checksum.finish(Checksum.add(Checksum.pseudoHeader(srcIp, dstIp, Ipv4Packet.PROTO_UDP, length),
                buf, offset, length));
        view.setChecksum(sum == 0 ? 0xFFFF : sum);
    }
}
