package dev.gangway.dns.lab;

import dev.gangway.dns.wire.DnsHeader;
import dev.gangway.dns.wire.DnsName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Hand-built DNS messages for unit tests. */
public final class Messages {
    private Messages() {
    }

    /** A standard query with RD, optionally with an OPT record (UDP size 1232, DO as given). */
    public static ByteBuf query(int id, String name, int type, boolean edns, boolean dnssecOk) {
        ByteBuf b = Unpooled.buffer();
        DnsHeader.write(b, id, DnsHeader.FLAG_RD, 1, 0, 0, edns ? 1 : 0);
        if (!DnsName.write(b, name)) {
            throw new IllegalArgumentException(name);
        }
        b.writeShort(type).writeShort(1);
        if (edns) {
            b.writeByte(0).writeShort(41).writeShort(1232).writeInt(dnssecOk ? 0x8000 : 0).writeShort(0);
        }
        return b;
    }

    public static ByteBuf query(int id, String name, int type) {
        return query(id, name, type, false, false);
    }

    /** The question (name, type, class IN) in wire form. */
    public static ByteBuf question(String name, int type) {
        ByteBuf b = Unpooled.buffer();
        DnsName.write(b, name);
        return b.writeShort(type).writeShort(1);
    }

    /**
     * A reply to {@code name}/{@code type}: the answers are A records (owner compressed to the question)
     * with the given TTLs, then optionally an SOA in the authority section.
     */
    public static ByteBuf reply(int id, int rcode, String name, int type, long[] answerTtls, long soaTtl,
            long soaMinimum) {
        ByteBuf b = Unpooled.buffer();
        boolean soa = soaTtl >= 0;
        DnsHeader.write(b, id, DnsHeader.FLAG_QR | DnsHeader.FLAG_RD | DnsHeader.FLAG_RA | rcode, 1,
                answerTtls.length, soa ? 1 : 0, 0);
        DnsName.write(b, name);
        b.writeShort(type).writeShort(1);
        for (int i = 0; i < answerTtls.length; i++) {
            b.writeShort(0xc00c).writeShort(1).writeShort(1).writeInt((int) answerTtls[i]).writeShort(4)
                    .writeInt(0x0a000001 + i);
        }
        if (soa) {
            b.writeShort(0xc00c).writeShort(6).writeShort(1).writeInt((int) soaTtl);
            int lengthAt = b.writerIndex();
            b.writeShort(0);
            DnsName.write(b, "ns.test");
            DnsName.write(b, "hostmaster.test");
            b.writeInt(1).writeInt(1200).writeInt(120).writeInt(604800).writeInt((int) soaMinimum);
            b.setShort(lengthAt, b.writerIndex() - lengthAt - 2);
        }
        return b;
    }

    public static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
