package dev.gangway.dns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the proxy did, counted; safe from any thread. Bad input is logged at most once per 10 seconds. */
public final class DnsCounters {
    private static final Logger LOG = LoggerFactory.getLogger(DnsCounters.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    public final LongAdder queries = new LongAdder();
    public final LongAdder localAnswers = new LongAdder();
    public final LongAdder cacheHits = new LongAdder();
    public final LongAdder cacheMisses = new LongAdder();
    public final LongAdder coalesced = new LongAdder();
    public final LongAdder upstreamQueries = new LongAdder();
    public final LongAdder upstreamTimeouts = new LongAdder();
    public final LongAdder upstreamErrors = new LongAdder();
    public final LongAdder upstreamMismatched = new LongAdder();
    public final LongAdder tcpRetries = new LongAdder();
    public final LongAdder hostLookups = new LongAdder();
    public final LongAdder truncatedReplies = new LongAdder();
    public final LongAdder servfail = new LongAdder();
    public final LongAdder formerr = new LongAdder();
    public final LongAdder refused = new LongAdder();
    public final LongAdder notimp = new LongAdder();
    public final LongAdder badvers = new LongAdder();
    public final LongAdder dropped = new LongAdder();
    public final LongAdder oversized = new LongAdder();
    public final LongAdder loops = new LongAdder();
    public final LongAdder overloaded = new LongAdder();
    public final LongAdder internalErrors = new LongAdder();

    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    /** Counts nothing itself: logs one line about bad input, at most once per interval. */
    public void badInput(String what, Object from) {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("dns: {} from {} (dropped {}, formerr {}, oversized {}, refused {} so far; further reports"
                    + " suppressed for 10 s)", what, from, dropped.sum(), formerr.sum(), oversized.sum(),
                    refused.sum());
        }
    }

    public Map<String, Long> snapshot() {
        var m = new LinkedHashMap<String, Long>();
        m.put("queries", queries.sum());
        m.put("localAnswers", localAnswers.sum());
        m.put("cacheHits", cacheHits.sum());
        m.put("cacheMisses", cacheMisses.sum());
        m.put("coalesced", coalesced.sum());
        m.put("upstreamQueries", upstreamQueries.sum());
        m.put("upstreamTimeouts", upstreamTimeouts.sum());
        m.put("upstreamErrors", upstreamErrors.sum());
        m.put("upstreamMismatched", upstreamMismatched.sum());
        m.put("tcpRetries", tcpRetries.sum());
        m.put("hostLookups", hostLookups.sum());
        m.put("truncatedReplies", truncatedReplies.sum());
        m.put("servfail", servfail.sum());
        m.put("formerr", formerr.sum());
        m.put("refused", refused.sum());
        m.put("notimp", notimp.sum());
        m.put("badvers", badvers.sum());
        m.put("dropped", dropped.sum());
        m.put("oversized", oversized.sum());
        m.put("loops", loops.sum());
        m.put("overloaded", overloaded.sum());
        m.put("internalErrors", internalErrors.sum());
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
