package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A zero-copy view of an ICMPv4 message header at an offset of a buffer. */
public final class IcmpPacket {
    static final int TYPE = 0, CODE = 1, CHECKSUM = 2, IDENT = 4, SEQUENCE = 6, REST = 4;
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DEST_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    public static final int CODE_ADMIN_PROHIBITED = 13;

    private final ByteBuf buf;
    private final int offset;

    public IcmpPacket(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
    }

    public int type() {
        return buf.getUnsignedByte(offset + TYPE);
    }

    public int code() {
        return buf.getUnsignedByte(offset + CODE);
    }

    public int checksum() {
        return buf.getUnsignedShort(offset + CHECKSUM);
    }

    /** Echo identifier (echo messages only). */
    public int ident() {
        return buf.getUnsignedShort(offset + IDENT);
    }

    /** Echo sequence number (echo messages only). */
    public int sequence() {
        return buf.getUnsignedShort(offset + SEQUENCE);
    }

    /** The four bytes after the checksum (unused, MTU, or ident and sequence). */
    public int rest() {
        return buf.getInt(offset + REST);
    }

    public void setType(int value) {
        buf.setByte(offset + TYPE, value);
    }

    public void setCode(int value) {
        buf.setByte(offset + CODE, value);
    }

    public void setChecksum(int value) {
        buf.setShort(offset + CHECKSUM, value);
    }

    public void setIdent(int value) {
        buf.setShort(offset + IDENT, value);
    }

    public void setSequence(int value) {
        buf.setShort(offset + SEQUENCE, value);
    }

    public void setRest(int value) {
        buf.setInt(offset + REST, value);
    }

    /** Computes and stores the checksum over the {@code length} bytes of the message. */
    public void fillChecksum(int length) {
        setChecksum(0);
        setChecksum(Checksum.of(buf, offset, length));
    }
}
