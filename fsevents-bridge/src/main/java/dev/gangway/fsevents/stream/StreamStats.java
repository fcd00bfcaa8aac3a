package dev.gangway.fsevents.stream;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the event stream, for status output and tests. */
public final class StreamStats {
    final AtomicLong sessions = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong overflows = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    public long sessions() {
        return sessions.get();
    }

    /** Events written to agents (a resent event counts again). */
    public long events() {
        return events.get();
    }

    /** Times an agent was told that changes were lost. */
    public long overflows() {
        return overflows.get();
    }

    /** Sessions closed for malformed or unexpected messages. */
    public long refused() {
        return refused.get();
    }
}
