package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A zero-copy view of a UDP header at an offset of a buffer. */
public final class UdpPacket {
    static final int SRC_PORT = 0, DST_PORT = 2, LENGTH = 4, CHECKSUM = 6;
    public static final int HEADER_LENGTH = 8;

    private final ByteBuf buf;
    private final int offset;

    public UdpPacket(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
    }

    public int srcPort() {
        return buf.getUnsignedShort(offset + SRC_PORT);
    }

    public int dstPort() {
        return buf.getUnsignedShort(offset + DST_PORT);
    }

    public int length() {
        return buf.getUnsignedShort(offset + LENGTH);
    }

    public int checksum() {
        return buf.getUnsignedShort(offset + CHECKSUM);
    }

    public void setSrcPort(int port) {
        buf.setShort(offset + SRC_PORT, port);
    }

    public void setDstPort(int port) {
        buf.setShort(offset + DST_PORT, port);
    }

    public void setLength(int length) {
        buf.setShort(offset + LENGTH, length);
    }

    public void setChecksum(int value) {
        buf.setShort(offset + CHECKSUM, value);
    }
}
