package dev.gangway.dns.cache;

import dev.gangway.dns.wire.DnsHeader;
import dev.gangway.dns.wire.Query;
import dev.gangway.dns.wire.ReplyScan;
import dev.gangway.dns.wire.ReplyWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** One reply in wire form with the places of its TTLs, ready to be copied and patched for a client. */
public final class CachedAnswer {
    private final byte[] wire;
    private final int[] ttlOffsets;
    private final int[] ttls;
    private final long storedNanos;
    private final long expiresNanos;

    public CachedAnswer(byte[] wire, ReplyScan scan, long storedNanos, long expiresNanos) {
        this.wire = wire;
        this.ttlOffsets = scan.ttlOffsets();
        this.ttls = scan.ttls();
        this.storedNanos = storedNanos;
        this.expiresNanos = expiresNanos;
    }

    public boolean expired(long nowNanos) {
        return nowNanos - expiresNanos >= 0;
    }

    public int size() {
        return wire.length;
    }

    /**
     * The reply for {@code query}: its ID and question letter case, TTLs aged to {@code nowNanos}; a
     * truncated reply (TC) instead when it does not fit {@code maxSize}. The caller owns the buffer.
     */
    public ByteBuf render(ByteBufAllocator alloc, Query query, long nowNanos, int maxSize) {
        return render(alloc, wire, ttlOffsets, ttls, (nowNanos - storedNanos) / 1_000_000_000L, query, maxSize);
    }

    /** Renders reply bytes that are not (or not yet) cached, with TTLs aged by {@code elapsedSeconds}. */
    public static ByteBuf render(ByteBufAllocator alloc, byte[] wire, int[] ttlOffsets, int[] ttls,
            long elapsedSeconds, Query query, int maxSize) {
        int flags = ((wire[2] & 0xff) << 8) | (wire[3] & 0xff);
        if (wire.length > maxSize) {
            return ReplyWriter.truncated(alloc, query, flags);
        }
        ByteBuf out = alloc.buffer(wire.length);
        out.writeBytes(wire);
        out.setShort(0, query.id());
        byte[] question = query.question();
        if (DnsHeader.qdCount(out) == 1 && DnsHeader.LENGTH + question.length <= wire.length) {
            out.setBytes(DnsHeader.LENGTH, question);
        }
        if (elapsedSeconds > 0) {
            for (int i = 0; i < ttlOffsets.length; i++) {
                out.setInt(ttlOffsets[i], (int) Math.max(0, ttls[i] - elapsedSeconds));
            }
        }
        return out;
    }
}
