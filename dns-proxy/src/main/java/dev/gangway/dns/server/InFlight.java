package dev.gangway.dns.server;

import dev.gangway.dns.wire.Query;
import java.util.ArrayList;
import java.util.List;

/** One question being resolved, and the clients waiting for it (request coalescing). */
final class InFlight {
    record Waiter(Query query, ReplySink sink) {
    }

    /** The ID of the query we last sent upstream for it: seeing it arrive as a query means a loop. */
    volatile int upstreamId = -1;

    private final List<Waiter> waiters = new ArrayList<>(2);
    private boolean done;

    /**
     * Adds a waiter; false when the question is already answered or {@code max} clients wait. A client's
     * retransmission (same peer, same ID) is absorbed: it gets one reply.
     */
    synchronized boolean add(Query query, ReplySink sink, int max) {
        if (done) {
            return false;
        }
        for (Waiter w : waiters) {
            if (w.query().id() == query.id() && w.sink().peer().equals(sink.peer())) {
                return true;
            }
        }
        if (waiters.size() >= max) {
            return false;
        }
        waiters.add(new Waiter(query, sink));
        return true;
    }

    synchronized boolean isDone() {
        return done;
    }

    synchronized List<Waiter> finish() {
        done = true;
        return List.copyOf(waiters);
    }
}
