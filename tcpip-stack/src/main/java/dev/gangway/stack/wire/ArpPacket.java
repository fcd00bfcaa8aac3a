package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A zero-copy view of an ARP packet for Ethernet/IPv4 at an offset of a buffer. */
public final class ArpPacket {
    static final int HTYPE = 0, PTYPE = 2, HLEN = 4, PLEN = 5, OPER = 6, SHA = 8, SPA = 14, THA = 18, TPA = 24;
    public static final int LENGTH = 28;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private final ByteBuf buf;
    private final int offset;

    public ArpPacket(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
    }

    public int hardwareType() {
        return buf.getUnsignedShort(offset + HTYPE);
    }

    public int protocolType() {
        return buf.getUnsignedShort(offset + PTYPE);
    }

    public int hardwareLength() {
        return buf.getUnsignedByte(offset + HLEN);
    }

    public int protocolLength() {
        return buf.getUnsignedByte(offset + PLEN);
    }

    public int operation() {
        return buf.getUnsignedShort(offset + OPER);
    }

    public MacAddress senderHardware() {
        return MacAddress.read(buf, offset + SHA);
    }

    public int senderProtocol() {
        return buf.getInt(offset + SPA);
    }

    public MacAddress targetHardware() {
        return MacAddress.read(buf, offset + THA);
    }

    public int targetProtocol() {
        return buf.getInt(offset + TPA);
    }

    public void setHardwareType(int value) {
        buf.setShort(offset + HTYPE, value);
    }

    public void setProtocolType(int value) {
        buf.setShort(offset + PTYPE, value);
    }

    public void setHardwareLength(int value) {
        buf.setByte(offset + HLEN, value);
    }

    public void setProtocolLength(int value) {
        buf.setByte(offset + PLEN, value);
    }

    public void setOperation(int value) {
        buf.setShort(offset + OPER, value);
    }

    public void setSenderHardware(MacAddress mac) {
        mac.write(buf, offset + SHA);
    }

    public void setSenderProtocol(int address) {
        buf.setInt(offset + SPA, address);
    }

    public void setTargetHardware(MacAddress mac) {
        mac.write(buf, offset + THA);
    }

    public void setTargetProtocol(int address) {
        buf.setInt(offset + TPA, address);
    }
}
