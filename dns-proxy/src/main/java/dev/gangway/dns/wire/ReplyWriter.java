package dev.gangway.dns.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordEncoder;
import java.util.List;

/** Builds the replies the proxy authors itself; every method returns a new buffer the caller owns. */
public final class ReplyWriter {
    /** The UDP payload size we advertise in our own OPT records (the 2020 DNS flag day value). */
    public static final int EDNS_UDP_SIZE = 1232;

    private ReplyWriter() {
    }

    /** A reply carrying only {@code rcode}, echoing the ID, opcode, RD and CD of the query. */
    public static ByteBuf error(ByteBufAllocator alloc, int id, int queryFlags, byte[] question, int rcode) {
        ByteBuf out = alloc.buffer(DnsHeader.LENGTH + (question == null ? 0 : question.length));
        int flags = DnsHeader.FLAG_QR | DnsHeader.FLAG_RA
                | (queryFlags & (0x7800 | DnsHeader.FLAG_RD | DnsHeader.FLAG_CD)) | (rcode & 0xf);
        DnsHeader.write(out, id, flags, question == null ? 0 : 1, 0, 0, 0);
        if (question != null) {
            out.writeBytes(question);
        }
        return out;
    }

    /**
     * BADVERS (RFC 6891 §6.1.3): the low four bits of the rcode in the header, the high eight in our OPT
     * record, which also tells the client the version we speak (0).
     */
    public static ByteBuf badVersion(ByteBufAllocator alloc, int id, int queryFlags, byte[] question) {
        ByteBuf out = alloc.buffer(DnsHeader.LENGTH + question.length + 11);
        int flags = DnsHeader.FLAG_QR | DnsHeader.FLAG_RA | (queryFlags & (DnsHeader.FLAG_RD | DnsHeader.FLAG_CD))
                | (Rejected.BADVERS & 0xf);
        DnsHeader.write(out, id, flags, 1, 0, 0, 1);
        out.writeBytes(question);
        out.writeByte(0).writeShort(Query.TYPE_OPT).writeShort(EDNS_UDP_SIZE).writeByte(Rejected.BADVERS >> 4)
                .writeByte(0).writeShort(0).writeShort(0);
        return out;
    }

    /** A reply with the TC bit and no records, telling a UDP client to ask again over TCP. */
    public static ByteBuf truncated(ByteBufAllocator alloc, Query query, int replyFlags) {
        ByteBuf out = alloc.buffer(DnsHeader.LENGTH + query.question().length);
        DnsHeader.write(out, query.id(), (replyFlags & ~0xf) | DnsHeader.FLAG_TC | DnsHeader.rcode(replyFlags),
                1, 0, 0, 0);
        out.writeBytes(query.question());
        return out;
    }

    /**
     * An answer authored here: the query's question, {@code answers} (encoded by Netty's record encoder),
     * and an OPT record when the query had one. Truncated (TC, no records) when it exceeds {@code maxSize}.
     */
    public static ByteBuf answer(ByteBufAllocator alloc, Query query, int rcode, boolean authoritative,
            List<DnsRecord> answers, int maxSize) {
        ByteBuf out = alloc.buffer(512);
        try {
            int flags = DnsHeader.FLAG_QR | DnsHeader.FLAG_RA | (authoritative ? DnsHeader.FLAG_AA : 0)
                    | (query.flags() & (DnsHeader.FLAG_RD | DnsHeader.FLAG_CD)) | rcode;
            DnsHeader.write(out, query.id(), flags, 1, answers.size(), 0, query.edns() ? 1 : 0);
            out.writeBytes(query.question());
            for (DnsRecord record : answers) {
                DnsRecordEncoder.DEFAULT.encodeRecord(record, out);
            }
            if (query.edns()) {
                writeOpt(out);
            }
            if (out.readableBytes() > maxSize) {
                out.release();
                return truncated(alloc, query, flags);
            }
            return out;
        } catch (Exception e) {
            out.release();
            return error(alloc, query.id(), query.flags(), query.question(), DnsHeader.RCODE_SERVFAIL);
        }
    }

    /** Writes our OPT pseudo-record: root owner, our UDP size, no extended rcode, no flags, no options. */
    public static void writeOpt(ByteBuf out) {
        out.writeByte(0).writeShort(Query.TYPE_OPT).writeShort(EDNS_UDP_SIZE).writeInt(0).writeShort(0);
    }

    /** Writes an OPT pseudo-record with the DO bit as given. */
    public static void writeOpt(ByteBuf out, boolean dnssecOk) {
        out.writeByte(0).writeShort(Query.TYPE_OPT).writeShort(EDNS_UDP_SIZE).writeInt(dnssecOk ? 0x8000 : 0)
                .writeShort(0);
    }
}
