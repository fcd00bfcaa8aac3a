package dev.gangway.stack.iface;

import dev.gangway.stack.stats.Counters;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.Ipv4Repr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reassembles fragmented IPv4 datagrams of one guest link, within a byte bound. Fragment payloads are
 * copied into right-sized buffers (a slice would pin the whole link read buffer, making the bound a lie);
 * {@link #bytesHeld()} never exceeds the configured bound: to admit a fragment the oldest incomplete
 * datagrams are discarded first, and a fragment larger than the bound is refused. Overlapping fragments
 * discard their datagram (RFC 5722's rule, applied to IPv4). Not thread-safe: one link's loop.
 */
public final class Ipv4Reassembler {
    /** Incomplete datagrams at once, whatever their size. */
    static final int MAX_DATAGRAMS = 256;

    private record Key(int src, int dst, int ident, int protocol) {
    }

    private record Piece(int offset, ByteBuf data) {
        int end() {
            return offset + data.readableBytes();
        }
    }

    private static final class Partial {
        final long created;
        final List<Piece> pieces = new ArrayList<>(4);
        int totalLength = -1;
        int bytes;
        Ipv4Repr first;

        Partial(long created) {
            this.created = created;
        }

        void release() {
            for (var piece : pieces) {
                piece.data.release();
            }
            pieces.clear();
        }
    }

    /** A reassembled datagram: its header (unfragmented) and its whole payload, owned by the caller. */
    public record Reassembled(Ipv4Repr header, ByteBuf payload) {
    }

    private final LinkedHashMap<Key, Partial> partials = new LinkedHashMap<>();
    private final ByteBufAllocator alloc;
    private final Counters counters;
    private final int maxBytes;
    private final long timeoutNanos;
    private int bytesHeld;

    public Ipv4Reassembler(ByteBufAllocator alloc, Counters counters, int maxBytes, long timeoutNanos) {
        this.alloc = alloc;
        this.counters = counters;
        this.maxBytes = maxBytes;
        this.timeoutNanos = timeoutNanos;
    }

    public int bytesHeld() {
        return bytesHeld;
    }

    public int datagramsHeld() {
        return partials.size();
    }

    /**
     * Adds the fragment whose header is {@code ip} and whose payload is at {@code offset} of {@code buf}
     * (not retained). Returns the whole datagram when this fragment completed it, else {@code null}.
     */
    public Reassembled add(Ipv4Repr ip, ByteBuf buf, int offset, long now) {
        int length = ip.payloadLength();
        if (ip.moreFragments() && (length == 0 || length % 8 != 0)) {
            counters.drop(Layer.IPV4, "fragment-bad-length");
            return null;
        }
        if (length > maxBytes) {
            counters.drop(Layer.IPV4, "reassembly-full");
            return null;
        }
        expire(now);
        var key = new Key(ip.src(), ip.dst(), ip.ident(), ip.protocol());
        var partial = partials.get(key);
        if (partial == null) {
            while (partials.size() >= MAX_DATAGRAMS || bytesHeld + length > maxBytes) {
                if (!evictOldest()) {
                    break;
                }
            }
            partial = new Partial(now);
            partials.put(key, partial);
        } else {
            while (bytesHeld + length > maxBytes) {
                var oldest = partials.keySet().iterator().next();
                if (oldest.equals(key) && partials.size() == 1) {
                    discard(key, partial, "reassembly-full");
                    return null;
                }
                if (oldest.equals(key)) {
                    // keep the datagram being completed; evict the next oldest instead
                    var it = partials.entrySet().iterator();
                    it.next();
                    var victim = it.next();
                    it.remove();
                    drop(victim.getValue(), "reassembly-evicted");
                } else {
                    evictOldest();
                }
            }
        }
        int start = ip.fragmentOffset();
        int end = start + length;
        if (!ip.moreFragments()) {
            if (partial.totalLength >= 0 && partial.totalLength != end) {
                discard(key, partial, "fragment-overlap");
                return null;
            }
            partial.totalLength = end;
        }
        if (partial.totalLength >= 0 && end > partial.totalLength) {
            discard(key, partial, "fragment-overlap");
            return null;
        }
        int insertAt = 0;
        for (var piece : partial.pieces) {
            if (start < piece.end() && piece.offset < end) {
                discard(key, partial, "fragment-overlap");
                return null;
            }
            if (piece.offset < start) {
                insertAt++;
            }
        }
        var copy = alloc.directBuffer(length, length);
        copy.writeBytes(buf, offset, length);
        partial.pieces.add(insertAt, new Piece(start, copy));
        partial.bytes += length;
        bytesHeld += length;
        if (start == 0) {
            partial.first = ip;
        }
        if (partial.totalLength < 0 || partial.bytes != partial.totalLength) {
            return null;
        }
        partials.remove(key);
        bytesHeld -= partial.bytes;
        var whole = alloc.directBuffer(partial.totalLength, partial.totalLength);
        for (var piece : partial.pieces) {
            whole.writeBytes(piece.data);
        }
        partial.release();
        var first = partial.first;
        var header = new Ipv4Repr(first.src(), first.dst(), first.protocol(), first.ttl(), first.ident(),
                first.dontFragment(), false, 0, first.headerLength(), partial.totalLength);
        return new Reassembled(header, whole);
    }

    /** Discards incomplete datagrams older than the timeout. */
    public void expire(long now) {
        for (Iterator<Partial> it = partials.values().iterator(); it.hasNext(); ) {
            var partial = it.next();
            if (now - partial.created < timeoutNanos) {
                break;
            }
            it.remove();
            drop(partial, "reassembly-timeout");
        }
    }

    /** Releases everything held (the link closed). */
    public void clear() {
        partials.values().forEach(Partial::release);
        partials.clear();
        bytesHeld = 0;
    }

    private boolean evictOldest() {
        var it = partials.values().iterator();
        if (!it.hasNext()) {
            return false;
        }
        var oldest = it.next();
        it.remove();
        drop(oldest, "reassembly-evicted");
        return true;
    }

    private void discard(Key key, Partial partial, String reason) {
        partials.remove(key);
        drop(partial, reason);
    }

    private void drop(Partial partial, String reason) {
        bytesHeld -= partial.bytes;
        partial.release();
        counters.drop(Layer.IPV4, reason);
    }
}
