package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/**
 * A parsed TCP header. {@code headerLength} includes the options; the payload of {@code payloadLength}
 * bytes follows it. {@code flags} are the low eight bits ({@link TcpPacket#SYN}...).
 */
public record TcpRepr(int srcPort, int dstPort, int seq, int ack, int flags, int window, TcpOptions options,
        int headerLength, int payloadLength) {

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The sequence space the segment occupies: payload plus one for SYN and for FIN. */
    public int sequenceLength() {
        return payloadLength + ((flags & TcpPacket.SYN) != 0 ? 1 : 0) + ((flags & TcpPacket.FIN) != 0 ? 1 : 0);
    }

    /**
     * Validates the segment of {@code length} bytes (header and payload, as IPv4 delivered it) at
     * {@code offset}: header length, options, ports, flag combinations that no stack sends, and the
     * checksum over the IPv4 pseudo header.
     */
    public static Parsed<TcpRepr> parse(ByteBuf buf, int offset, int length, int srcIp, int dstIp) {
        if (length < TcpPacket.MIN_HEADER_LENGTH) {
            return Parsed.refused(Malformed.TRUNCATED);
        }
        var view = new TcpPacket(buf, offset);
        int headerLength = view.headerLength();
        if (headerLength < TcpPacket.MIN_HEADER_LENGTH || headerLength > length) {
            return Parsed.refused(Malformed.BAD_HEADER_LENGTH);
        }
        if (view.srcPort() == 0 || view.dstPort() == 0) {
            return Parsed.refused(Malformed.BAD_ADDRESS);
        }
        int flags = view.flags();
        if ((flags & (TcpPacket.SYN | TcpPacket.RST)) == (TcpPacket.SYN | TcpPacket.RST)
                || (flags & (TcpPacket.SYN | TcpPacket.FIN)) == (TcpPacket.SYN | TcpPacket.FIN)
                || (flags & (TcpPacket.SYN | TcpPacket.RST | TcpPacket.ACK_FLAG | TcpPacket.FIN)) == 0) {
            return Parsed.refused(Malformed.UNSUPPORTED);
        }
        long sum = Checksum.pseudoHeader(srcIp, dstIp, Ipv4Packet.PROTO_TCP, length);
        if (Checksum.finish(WideChecksum.add(sum, buf, offset, length)) != 0) {
            return Parsed.refused(Malformed.BAD_CHECKSUM);
        }
        TcpOptions options;
        switch (TcpOptions.parse(buf, offset + TcpPacket.MIN_HEADER_LENGTH, offset + headerLength)) {
            case Parsed.Refused<TcpOptions>(var reason) -> {
                return Parsed.refused(reason);
            }
            case Parsed.Ok<TcpOptions>(var value) -> options = value;
        }
        return Parsed.ok(new TcpRepr(view.srcPort(), view.dstPort(), view.seq(), view.ack(), flags, view.window(),
                options, headerLength, length - headerLength));
    }

    /** The header length {@link #emit} writes: 20 bytes and the options. */
    public static int emittedHeaderLength(TcpOptions options) {
        return TcpPacket.MIN_HEADER_LENGTH + options.emittedLength();
    }

    /**
     * Writes the header and options at {@code offset} with a zero checksum; {@code headerLength} and
     * {@code payloadLength} of this record are not used (the options decide the length). Returns the
     * header length written.
     */
    public int emit(ByteBuf buf, int offset) {
        int length = emittedHeaderLength(options);
        var view = new TcpPacket(buf, offset);
        view.setSrcPort(srcPort);
        view.setDstPort(dstPort);
        view.setSeq(seq);
        view.setAck(ack);
        view.setHeaderLengthAndFlags(length, flags);
        view.setWindow(window);
        view.setChecksum(0);
        view.setUrgent(0);
        options.emit(buf, offset + TcpPacket.MIN_HEADER_LENGTH);
        return length;
    }

    /**
     * Fills the checksum of the header at {@code offset} of {@code header}, summing the header and the
     * {@code payload} that follows it on the wire (which may live in another buffer).
     */
    public static void fillChecksum(ByteBuf header, int offset, int headerLength, ByteBuf payload, int srcIp,
            int dstIp) {
        int payloadLength = payload == null ? 0 : payload.readableBytes();
        long sum = Checksum.pseudoHeader(srcIp, dstIp, Ipv4Packet.PROTO_TCP, headerLength + payloadLength);
        sum = WideChecksum.add(sum, header, offset, headerLength);
        if (payloadLength > 0) {
            // The header length is a multiple of 4: the payload starts on an even byte.
            sum = WideChecksum.add(sum, payload, payload.readerIndex(), payloadLength);
        }
        new TcpPacket(header, offset).setChecksum(Checksum.finish(sum));
    }
}
