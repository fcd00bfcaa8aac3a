package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A zero-copy view of an IPv4 header at an offset of a buffer. */
public final class Ipv4Packet {
    static final int VER_IHL = 0, DSCP_ECN = 1, TOTAL_LENGTH = 2, IDENT = 4, FLAGS_FRAGMENT = 6, TTL = 8,
            PROTOCOL = 9, CHECKSUM = 10, SRC = 12, DST = 16;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int OFFSET_MASK = 0x1FFF;

    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;

    private final ByteBuf buf;
    private final int offset;

    public Ipv4Packet(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
    }

    public int version() {
        return buf.getUnsignedByte(offset + VER_IHL) >>> 4;
    }

    public int headerLength() {
        return (buf.getUnsignedByte(offset + VER_IHL) & 0x0F) * 4;
    }

    public int dscpEcn() {
        return buf.getUnsignedByte(offset + DSCP_ECN);
    }

    public int totalLength() {
        return buf.getUnsignedShort(offset + TOTAL_LENGTH);
    }

    public int ident() {
        return buf.getUnsignedShort(offset + IDENT);
    }

    public int flagsAndFragment() {
        return buf.getUnsignedShort(offset + FLAGS_FRAGMENT);
    }

    public boolean moreFragments() {
        return (flagsAndFragment() & FLAG_MF) != 0;
    }

    public boolean dontFragment() {
        return (flagsAndFragment() & FLAG_DF) != 0;
    }

    /** The fragment offset in bytes. */
    public int fragmentOffset() {
        return (flagsAndFragment() & OFFSET_MASK) * 8;
    }

    public int ttl() {
        return buf.getUnsignedByte(offset + TTL);
    }

    public int protocol() {
        return buf.getUnsignedByte(offset + PROTOCOL);
    }

    public int checksum() {
        return buf.getUnsignedShort(offset + CHECKSUM);
    }

    public int src() {
        return buf.getInt(offset + SRC);
    }

    public int dst() {
        return buf.getInt(offset + DST);
    }

    public void setVersionAndHeaderLength(int headerLength) {
        buf.setByte(offset + VER_IHL, 0x40 | (headerLength / 4));
    }

    public void setDscpEcn(int value) {
        buf.setByte(offset + DSCP_ECN, value);
    }

    public void setTotalLength(int value) {
        buf.setShort(offset + TOTAL_LENGTH, value);
    }

    public void setIdent(int value) {
        buf.setShort(offset + IDENT, value);
    }

    public void setFlagsAndFragment(int value) {
        buf.setShort(offset + FLAGS_FRAGMENT, value);
    }

    public void setTtl(int value) {
        buf.setByte(offset + TTL, value);
    }

    public void setProtocol(int value) {
        buf.setByte(offset + PROTOCOL, value);
    }

    public void setChecksum(int value) {
        buf.setShort(offset + CHECKSUM, value);
    }

    public void setSrc(int address) {
        buf.setInt(offset + SRC, address);
    }

    public void setDst(int address) {
        buf.setInt(offset + DST, address);
    }

    /** Computes and stores the header checksum over the current header length. */
    public void fillChecksum() {
        setChecksum(0);
        setChecksum(Checksum.of(buf, offset, headerLength()));
    }

    public boolean checksumValid() {
        return Checksum.of(buf, offset, headerLength()) == 0;
    }
}
