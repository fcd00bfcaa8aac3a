package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/**
 * A parsed IPv4 header. {@code payloadLength} is what the header says follows the header (for a
 * fragment: this fragment's share); {@code fragmentOffset} is in bytes.
 */
public record Ipv4Repr(int src, int dst, int protocol, int ttl, int ident, boolean dontFragment,
        boolean moreFragments, int fragmentOffset, int headerLength, int payloadLength) {

    /** A fresh, unfragmented header with no options. */
    public static Ipv4Repr of(int src, int dst, int protocol, int ttl, int ident, int payloadLength) {
        return new Ipv4Repr(src, dst, protocol, ttl, ident, false, false, 0, Ipv4Packet.MIN_HEADER_LENGTH,
                payloadLength);
    }

    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    /**
     * Validates the header at {@code offset}: version, header length, total length against the
     * {@code available} bytes (trailing Ethernet padding is allowed), checksum.
     */
    public static Parsed<Ipv4Repr> parse(ByteBuf buf, int offset, int available) {
        if (available < Ipv4Packet.MIN_HEADER_LENGTH) {
            return Parsed.refused(Malformed.TRUNCATED);
        }
        var view = new Ipv4Packet(buf, offset);
        if (view.version() != 4) {
            return Parsed.refused(Malformed.BAD_VERSION);
        }
        int headerLength = view.headerLength();
        if (headerLength < Ipv4Packet.MIN_HEADER_LENGTH || headerLength > available) {
            return Parsed.refused(Malformed.BAD_HEADER_LENGTH);
        }
        int total = view.totalLength();
        if (total < headerLength || total > available) {
            return Parsed.refused(Malformed.BAD_LENGTH);
        }
        if (!view.checksumValid()) {
            return Parsed.refused(Malformed.BAD_CHECKSUM);
        }
        int flags = view.flagsAndFragment();
        int fragmentOffset = (flags & Ipv4Packet.OFFSET_MASK) * 8;
        if ((flags & 0x8000) != 0 || fragmentOffset + total - headerLength > 65535) {
            return Parsed.refused(Malformed.BAD_LENGTH);
        }
        return Parsed.ok(new Ipv4Repr(view.src(), view.dst(), view.protocol(), view.ttl(), view.ident(),
                (flags & Ipv4Packet.FLAG_DF) != 0, (flags & Ipv4Packet.FLAG_MF) != 0, fragmentOffset,
                headerLength, total - headerLength));
    }

    /** Writes a 20-byte header (options are never emitted) with its checksum at {@code offset}. */
    public void emit(ByteBuf buf, int offset) {
        var view = new Ipv4Packet(buf, offset);
        view.setVersionAndHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
        view.setDscpEcn(0);
        view.setTotalLength(Ipv4Packet.MIN_HEADER_LENGTH + payloadLength);
        view.setIdent(ident);
        view.setFlagsAndFragment((dontFragment ? Ipv4Packet.FLAG_DF : 0) | (moreFragments ? Ipv4Packet.FLAG_MF : 0)
                | (fragmentOffset / 8));
        view.setTtl(ttl);
        view.setProtocol(protocol);
        view.setSrc(src);
        view.setDst(dst);
        view.fillChecksum();
    }
}
