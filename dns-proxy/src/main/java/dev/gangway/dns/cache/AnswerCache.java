package dev.gangway.dns.cache;

import dev.gangway.dns.wire.QuestionKey;
import dev.gangway.dns.wire.ReplyScan;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A bounded map from question to {@link CachedAnswer}; safe to use from any number of event loops. */
public final class AnswerCache {
    private static final int SWEEP_LIMIT = 64;

    private final ConcurrentHashMap<QuestionKey, CachedAnswer> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final long minTtl;
    private final long maxTtl;
    private final long maxNegativeTtl;
    private final LongSupplier nanoClock;

    /**
     * @param maxEntries the bound on entries (0 disables the cache)
     * @param minTtl seconds an answer is kept at least, even if its TTL is lower
     * @param maxTtl seconds a positive answer is kept at most
     * @param maxNegativeTtl seconds a negative answer is kept at most
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
     */
    public AnswerCache(int maxEntries, long minTtl, long maxTtl, long maxNegativeTtl, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.minTtl = minTtl;
        this.maxTtl = maxTtl;
        this.maxNegativeTtl = maxNegativeTtl;
        this.nanoClock = nanoClock;
    }

    public long now() {
        return nanoClock.getAsLong();
    }

    /** The live entry for {@code key}, or null; an expired entry is removed on the way. */
    public CachedAnswer get(QuestionKey key, long nowNanos) {
        CachedAnswer answer = entries.get(key);
        if (answer != null && answer.expired(nowNanos)) {
            entries.remove(key, answer);
            return null;
        }
        return answer;
    }

    /**
     * Stores the reply in {@code wire} (readable bytes) when {@code scan} allows caching; returns the
     * seconds it will be kept, or -1 when it is not cached.
     */
    public long put(QuestionKey key, ByteBuf wire, ReplyScan scan, long nowNanos) {
        if (scan.cacheSeconds() < 0 || maxEntries == 0) {
            return -1;
        }
        long seconds = Math.max(minTtl, Math.min(scan.negative() ? maxNegativeTtl : maxTtl, scan.cacheSeconds()));
        if (seconds <= 0) {
            return -1;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            makeRoom(nowNanos);
        }
        byte[] bytes = new byte[wire.readableBytes()];
        wire.getBytes(wire.readerIndex(), bytes);
        entries.put(key, new CachedAnswer(bytes, scan, nowNanos, nowNanos + seconds * 1_000_000_000L));
        return seconds;
    }

    public int size() {
        return entries.size();
    }

    public void clear() {
        entries.clear();
    }

    private void makeRoom(long nowNanos) {
        int seen = 0;
        var it = entries.entrySet().iterator();
        while (it.hasNext() && seen++ < SWEEP_LIMIT) {
            if (it.next().getValue().expired(nowNanos)) {
                it.remove();
            }
        }
        it = entries.entrySet().iterator();
        while (entries.size() >= maxEntries && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
