package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A zero-copy view of the fixed part of a DHCP (BOOTP) message at an offset of a buffer. */
public final class DhcpPacket {
    static final int OP = 0, HTYPE = 1, HLEN = 2, HOPS = 3, XID = 4, SECS = 8, FLAGS = 10, CIADDR = 12,
            YIADDR = 16, SIADDR = 20, GIADDR = 24, CHADDR = 28, SNAME = 44, FILE = 108, MAGIC = 236, OPTIONS = 240;
    public static final int FIXED_LENGTH = OPTIONS;
    public static final int MAGIC_COOKIE = 0x63825363;
    public static final int FLAG_BROADCAST = 0x8000;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;
    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;

    private final ByteBuf buf;
    private final int offset;

    public DhcpPacket(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
    }

    public int op() {
        return buf.getUnsignedByte(offset + OP);
    }

    public int hardwareType() {
        return buf.getUnsignedByte(offset + HTYPE);
    }

    public int hardwareLength() {
        return buf.getUnsignedByte(offset + HLEN);
    }

    public int hops() {
        return buf.getUnsignedByte(offset + HOPS);
    }

    public int xid() {
        return buf.getInt(offset + XID);
    }

    public int secs() {
        return buf.getUnsignedShort(offset + SECS);
    }

    public int flags() {
        return buf.getUnsignedShort(offset + FLAGS);
    }

    public int ciaddr() {
        return buf.getInt(offset + CIADDR);
    }

    public int yiaddr() {
        return buf.getInt(offset + YIADDR);
    }

    public int siaddr() {
        return buf.getInt(offset + SIADDR);
    }

    public int giaddr() {
        return buf.getInt(offset + GIADDR);
    }

    public MacAddress chaddr() {
        return MacAddress.read(buf, offset + CHADDR);
    }

    public int magic() {
        return buf.getInt(offset + MAGIC);
    }

    public int optionsOffset() {
        return offset + OPTIONS;
    }

    public void setOp(int value) {
        buf.setByte(offset + OP, value);
    }

    public void setHardware(int type, int length) {
        buf.setByte(offset + HTYPE, type);
        buf.setByte(offset + HLEN, length);
    }

    public void setHops(int value) {
        buf.setByte(offset + HOPS, value);
    }

    public void setXid(int value) {
        buf.setInt(offset + XID, value);
    }

    public void setSecs(int value) {
        buf.setShort(offset + SECS, value);
    }

    public void setFlags(int value) {
        buf.setShort(offset + FLAGS, value);
    }

    public void setCiaddr(int value) {
        buf.setInt(offset + CIADDR, value);
    }

    public void setYiaddr(int value) {
        buf.setInt(offset + YIADDR, value);
    }

    public void setSiaddr(int value) {
        buf.setInt(offset + SIADDR, value);
    }

    public void setGiaddr(int value) {
        buf.setInt(offset + GIADDR, value);
    }

    /** Writes the hardware address and zeroes the rest of chaddr, sname and file. */
    public void setChaddr(MacAddress mac) {
        buf.setZero(offset + CHADDR, MAGIC - CHADDR);
        mac.write(buf, offset + CHADDR);
    }

    public void setMagic(int value) {
        buf.setInt(offset + MAGIC, value);
    }
}
