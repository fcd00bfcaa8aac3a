package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A zero-copy view of a TCP header (and its options) at an offset of a buffer. */
public final class TcpPacket {
    static final int SRC_PORT = 0, DST_PORT = 2, SEQ = 4, ACK = 8, OFFSET_FLAGS = 12, WINDOW = 14, CHECKSUM = 16,
            URGENT = 18;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK_FLAG = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private final ByteBuf buf;
    private final int offset;

    public TcpPacket(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
    }

    public int srcPort() {
        return buf.getUnsignedShort(offset + SRC_PORT);
    }

    public int dstPort() {
        return buf.getUnsignedShort(offset + DST_PORT);
    }

    public int seq() {
        return buf.getInt(offset + SEQ);
    }

    public int ack() {
        return buf.getInt(offset + ACK);
    }

    /** The data offset: header length in bytes (20 to 60). */
    public int headerLength() {
        return (buf.getUnsignedByte(offset + OFFSET_FLAGS) >>> 4) * 4;
    }

    public int flags() {
        return buf.getUnsignedByte(offset + OFFSET_FLAGS + 1);
    }

    public int window() {
        return buf.getUnsignedShort(offset + WINDOW);
    }

    public int checksum() {
        return buf.getUnsignedShort(offset + CHECKSUM);
    }

    public int urgent() {
        return buf.getUnsignedShort(offset + URGENT);
    }

    public void setSrcPort(int port) {
        buf.setShort(offset + SRC_PORT, port);
    }

    public void setDstPort(int port) {
        buf.setShort(offset + DST_PORT, port);
    }

    public void setSeq(int seq) {
        buf.setInt(offset + SEQ, seq);
    }

    public void setAck(int ack) {
        buf.setInt(offset + ACK, ack);
    }

    public void setHeaderLengthAndFlags(int headerLength, int flags) {
        buf.setShort(offset + OFFSET_FLAGS, ((headerLength / 4) << 12) | (flags & 0xFF));
    }

    public void setWindow(int window) {
        buf.setShort(offset + WINDOW, window);
    }

    public void setChecksum(int value) {
        buf.setShort(offset + CHECKSUM, value);
    }

    public void setUrgent(int value) {
        buf.setShort(offset + URGENT, value);
    }
}
