package dev.gangway.dns.wire;

import io.netty.buffer.ByteBuf;

/**
 * A parsed DNS query (the Repr): everything needed to answer it after its buffer is gone.
 *
 * @param id the client's query ID, restored in the reply
 * @param flags the client's header flags
 * @param question the question exactly as the client sent it (name in its letter case, type, class)
 * @param key the cache and coalescing key
 * @param edns whether the query carried an EDNS0 OPT record
 * @param udpSize the client's advertised UDP payload size (512 without EDNS0)
 * @param dnssecOk the EDNS0 DO bit
 */
public record Query(int id, int flags, byte[] question, QuestionKey key, boolean edns, int udpSize,
        boolean dnssecOk) implements Parsed {

    public static final int TYPE_A = 1;
    public static final int TYPE_NS = 2;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_SOA = 6;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_MX = 15;
    public static final int TYPE_TXT = 16;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_SRV = 33;
    public static final int TYPE_OPT = 41;
    public static final int TYPE_IXFR = 251;
    public static final int TYPE_AXFR = 252;
    public static final int TYPE_ANY = 255;
    public static final int CLASS_IN = 1;
    public static final int CLASS_ANY = 255;

    public boolean recursionDesired() {
        return (flags & DnsHeader.FLAG_RD) != 0;
    }

    public int type() {
        return key.type();
    }

    public int qclass() {
        return key.qclass();
    }

    /** Parses the readable bytes of {@code msg} without moving its indexes; never throws. */
    public static Parsed parse(ByteBuf msg) {
        int start = msg.readerIndex();
        int end = msg.writerIndex();
        if (end - start < DnsHeader.LENGTH) {
            return new Rejected(Rejected.DROP, "shorter than a header", 0, 0, null);
        }
        int id = DnsHeader.id(msg);
        int flags = DnsHeader.flags(msg);
        if ((flags & DnsHeader.FLAG_QR) != 0) {
            return new Rejected(Rejected.DROP, "a response, not a query", id, flags, null);
        }
        if (DnsHeader.opcode(flags) != DnsHeader.OPCODE_QUERY) {
            return new Rejected(DnsHeader.RCODE_NOTIMP, "opcode " + DnsHeader.opcode(flags), id, flags, null);
        }
        if (DnsHeader.qdCount(msg) != 1) {
            return new Rejected(DnsHeader.RCODE_FORMERR, "question count " + DnsHeader.qdCount(msg), id, flags,
                    null);
        }
        int qname = start + DnsHeader.LENGTH;
        int afterName = DnsName.skipUncompressed(msg, qname, end);
        if (afterName < 0 || afterName + 4 > end) {
            return new Rejected(DnsHeader.RCODE_FORMERR, "bad question", id, flags, null);
        }
        int afterQuestion = afterName + 4;
        byte[] question = new byte[afterQuestion - qname];
        msg.getBytes(qname, question);
        int qtype = msg.getUnsignedShort(afterName);
        if (qtype == TYPE_AXFR || qtype == TYPE_IXFR || qtype == TYPE_OPT) {
            return new Rejected(DnsHeader.RCODE_REFUSED, "zone transfer or meta type " + qtype, id, flags,
                    question);
        }

        int i = afterQuestion;
        int records = DnsHeader.anCount(msg) + DnsHeader.nsCount(msg);
        for (int r = 0; r < records; r++) {
            i = skipRecord(msg, i, end);
            if (i < 0) {
                return new Rejected(DnsHeader.RCODE_FORMERR, "bad record", id, flags, question);
            }
        }
        boolean edns = false;
        int udpSize = 512;
        boolean dnssecOk = false;
        int additional = DnsHeader.arCount(msg);
        for (int r = 0; r < additional; r++) {
            int afterOwner = DnsName.skip(msg, i, end);
            int next = skipRecord(msg, i, end);
            if (next < 0) {
                return new Rejected(DnsHeader.RCODE_FORMERR, "bad additional record", id, flags, question);
            }
            if (msg.getUnsignedShort(afterOwner) == TYPE_OPT) {
                if (edns || afterOwner != i + 1) {
                    return new Rejected(DnsHeader.RCODE_FORMERR, "bad or second OPT record", id, flags, question);
                }
                edns = true;
                udpSize = Math.max(512, msg.getUnsignedShort(afterOwner + 2));
                dnssecOk = (msg.getUnsignedShort(afterOwner + 6) & 0x8000) != 0;
                if (msg.getUnsignedByte(afterOwner + 5) != 0) {
                    // RFC 6891 §6.1.3: we speak EDNS version 0 only
                    return new Rejected(Rejected.BADVERS, "EDNS version " + msg.getUnsignedByte(afterOwner + 5), id,
                            flags, question);
                }
            }
            i = next;
        }

        int nameLength = afterName - qname;
        byte[] key = new byte[nameLength + 5];
        for (int k = 0; k < nameLength; k++) {
            key[k] = DnsName.lower(question[k]);
        }
        System.arraycopy(question, nameLength, key, nameLength, 4);
        key[nameLength + 4] = (byte) (((flags & DnsHeader.FLAG_RD) != 0 ? QuestionKey.BIT_RD : 0)
                | ((flags & DnsHeader.FLAG_CD) != 0 ? QuestionKey.BIT_CD : 0)
                | (edns ? QuestionKey.BIT_EDNS : 0)
                | (dnssecOk ? QuestionKey.BIT_DO : 0));
        return new Query(id, flags, question, new QuestionKey(key, nameLength), edns, udpSize, dnssecOk);
    }

    /** Skips a resource record at {@code offset}; returns the index after it, or -1. */
    static int skipRecord(ByteBuf msg, int offset, int end) {
        int afterName = DnsName.skip(msg, offset, end);
        if (afterName < 0 || afterName + 10 > end) {
            return -1;
        }
        int after = afterName + 10 + msg.getUnsignedShort(afterName + 8);
        return after <= end ? after : -1;
    }
}
