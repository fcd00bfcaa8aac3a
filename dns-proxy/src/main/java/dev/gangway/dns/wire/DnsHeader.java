package dev.gangway.dns.wire;

import io.netty.buffer.ByteBuf;

/**
 * The 12-byte DNS header (RFC 1035 §4.1.1), read and written in place at a buffer's reader index.
 *
 * <pre>
 *  0  ID            2  QR|OPCODE(4)|AA|TC|RD   3  RA|Z|AD|CD|RCODE(4)
 *  4  QDCOUNT       6  ANCOUNT                 8  NSCOUNT     10  ARCOUNT
 * </pre>
 */
public final class DnsHeader {
    public static final int LENGTH = 12;

    static final int ID = 0;
    static final int FLAGS = 2;
    static final int QDCOUNT = 4;
    static final int ANCOUNT = 6;
    static final int NSCOUNT = 8;
    static final int ARCOUNT = 10;

    public static final int FLAG_QR = 0x8000;
    public static final int FLAG_AA = 0x0400;
    public static final int FLAG_TC = 0x0200;
    public static final int FLAG_RD = 0x0100;
    public static final int FLAG_RA = 0x0080;
    public static final int FLAG_AD = 0x0020;
    public static final int FLAG_CD = 0x0010;

    public static final int RCODE_NOERROR = 0;
    public static final int RCODE_FORMERR = 1;
    public static final int RCODE_SERVFAIL = 2;
    public static final int RCODE_NXDOMAIN = 3;
    public static final int RCODE_NOTIMP = 4;
    public static final int RCODE_REFUSED = 5;

    public static final int OPCODE_QUERY = 0;

    private DnsHeader() {
    }

    public static int id(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex() + ID);
    }

    public static void setId(ByteBuf msg, int id) {
        msg.setShort(msg.readerIndex() + ID, id);
    }

    public static int flags(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex() + FLAGS);
    }

    public static void setFlags(ByteBuf msg, int flags) {
        msg.setShort(msg.readerIndex() + FLAGS, flags);
    }

    public static int opcode(int flags) {
        return (flags >> 11) & 0xf;
    }

    public static int rcode(int flags) {
        return flags & 0xf;
    }

    public static int qdCount(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex() + QDCOUNT);
    }

    public static int anCount(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex() + ANCOUNT);
    }

    public static int nsCount(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex() + NSCOUNT);
    }

    public static int arCount(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex() + ARCOUNT);
    }

    /** Writes a whole header at the writer index. */
    public static void write(ByteBuf out, int id, int flags, int qd, int an, int ns, int ar) {
        out.writeShort(id).writeShort(flags).writeShort(qd).writeShort(an).writeShort(ns).writeShort(ar);
    }
}
