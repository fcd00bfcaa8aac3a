package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A zero-copy view of an Ethernet II header (no FCS, no 802.1Q tag) at an offset of a buffer. */
public final class EthernetFrame {
    /** Field offsets. */
    static final int DST = 0, SRC = 6, ETHER_TYPE = 12;
    public static final int HEADER_LENGTH = 14;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86DD;

    private final ByteBuf buf;
    private final int offset;

    public EthernetFrame(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
    }

    public long dstBits() {
        return MacAddress.bits(buf, offset + DST);
    }

    public long srcBits() {
        return MacAddress.bits(buf, offset + SRC);
    }

    public MacAddress dst() {
        return MacAddress.read(buf, offset + DST);
    }

    public MacAddress src() {
        return MacAddress.read(buf, offset + SRC);
    }

    public int etherType() {
        return buf.getUnsignedShort(offset + ETHER_TYPE);
    }

    public void setDst(MacAddress mac) {
        mac.write(buf, offset + DST);
    }

    public void setSrc(MacAddress mac) {
        mac.write(buf, offset + SRC);
    }

    public void setEtherType(int type) {
        buf.setShort(offset + ETHER_TYPE, type);
    }

    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }
}
