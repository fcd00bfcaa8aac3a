package dev.gangway.dns.wire;

import io.netty.buffer.ByteBuf;

/**
 * One walk over an upstream reply: does it answer our question, what is its rcode, where are its TTLs, and
 * how long may it be cached (RFC 1035 §7.3, RFC 2181 §5.2, RFC 2308 §5).
 *
 * @param rcode the header rcode
 * @param truncated the TC bit
 * @param ttlOffsets offsets, from the start of the message, of every TTL field except the OPT record's
 *     (whose "TTL" is the extended rcode and flags)
 * @param ttls the TTL found at each of {@code ttlOffsets}
 * @param cacheSeconds how long the reply may be cached: the smallest TTL of a positive answer, the SOA's
 *     negative TTL (the smaller of its TTL and MINIMUM) for NXDOMAIN and NODATA, or -1 when it must not be
 *     cached (errors, truncation, negative answers without an SOA)
 * @param negative whether this is an NXDOMAIN or NODATA answer
 */
public record ReplyScan(int rcode, boolean truncated, int[] ttlOffsets, int[] ttls, long cacheSeconds,
        boolean negative) {

    private static final int MAX_RECORDS = 1024;

    /**
     * Scans the readable bytes of {@code msg} as the reply to {@code question} (as sent: name, type, class).
     * Returns null when it is malformed or answers another question: such a reply is ignored, as if lost.
     */
    public static ReplyScan scan(ByteBuf msg, ByteBuf question) {
        int start = msg.readerIndex();
        int end = msg.writerIndex();
        if (end - start < DnsHeader.LENGTH) {
            return null;
        }
        int flags = DnsHeader.flags(msg);
        int rcode = DnsHeader.rcode(flags);
        boolean truncated = (flags & DnsHeader.FLAG_TC) != 0;
        if ((flags & DnsHeader.FLAG_QR) == 0 || DnsHeader.opcode(flags) != DnsHeader.OPCODE_QUERY) {
            return null;
        }
        int qd = DnsHeader.qdCount(msg);
        if (qd == 0 && (rcode != DnsHeader.RCODE_NOERROR || truncated)) {
            return new ReplyScan(rcode, truncated, new int[0], new int[0], -1, false);
        }
        if (qd != 1) {
            return null;
        }
        int qname = start + DnsHeader.LENGTH;
        int qi = question.readerIndex();
        if (!DnsName.equalsIgnoreCase(msg, start, qname, end, question, qi)) {
            return null;
        }
        int afterName = DnsName.skipUncompressed(msg, qname, end);
        int qlen = question.readableBytes();
        if (afterName < 0 || afterName + 4 > end || afterName + 4 - qname != qlen
                || msg.getInt(afterName) != question.getInt(qi + qlen - 4)) {
            return null;
        }
        if (truncated) {
            return new ReplyScan(rcode, true, new int[0], new int[0], -1, false);
        }
        int an = DnsHeader.anCount(msg);
        int ns = DnsHeader.nsCount(msg);
        int total = an + ns + DnsHeader.arCount(msg);
        if (total > MAX_RECORDS) {
            return null;
        }
        int[] offsets = new int[total];
        int[] ttls = new int[total];
        int n = 0;
        long minTtl = Long.MAX_VALUE;
        long negativeTtl = -1;
        int i = afterName + 4;
        for (int r = 0; r < total; r++) {
            int afterOwner = DnsName.skip(msg, i, end);
            int next = Query.skipRecord(msg, i, end);
            if (next < 0) {
                return null;
            }
            int type = msg.getUnsignedShort(afterOwner);
            if (type != Query.TYPE_OPT) {
                long ttl = clampTtl(msg.getUnsignedInt(afterOwner + 4));
                offsets[n] = afterOwner + 4 - start;
                ttls[n] = (int) ttl;
                n++;
                if (r < an + ns) {
                    minTtl = Math.min(minTtl, ttl);
                }
                if (type == Query.TYPE_SOA && r >= an && r < an + ns) {
                    int rdLength = msg.getUnsignedShort(afterOwner + 8);
                    if (rdLength >= 22) {
                        long minimum = clampTtl(msg.getUnsignedInt(next - 4));
                        negativeTtl = Math.min(ttl, minimum);
                    }
                }
            }
            i = next;
        }
        if (n < total) {
            offsets = java.util.Arrays.copyOf(offsets, n);
            ttls = java.util.Arrays.copyOf(ttls, n);
        }
        boolean negative = rcode == DnsHeader.RCODE_NXDOMAIN || (rcode == DnsHeader.RCODE_NOERROR && an == 0);
        long cache;
        if (negative) {
            cache = negativeTtl;
        } else if (rcode == DnsHeader.RCODE_NOERROR) {
            cache = minTtl;
        } else {
            cache = -1;
        }
        return new ReplyScan(rcode, false, offsets, ttls, cache, negative);
    }

    /** RFC 2181 §8: a TTL with the top bit set is treated as zero. */
    private static long clampTtl(long ttl) {
        return ttl > Integer.MAX_VALUE ? 0 : ttl;
    }
}
