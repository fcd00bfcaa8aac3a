package dev.gangway.forward.relay;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one forward, updated from its event loops without locks. A "connection" is a TCP or unix
 * connection, or a UDP flow (one host client address).
 */
public final class RelayCounters {
    final LongAdder accepted = new LongAdder();
    final LongAdder active = new LongAdder();
    final LongAdder dialFailures = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder bytesToGuest = new LongAdder();
    final LongAdder bytesFromGuest = new LongAdder();
    final LongAdder dropped = new LongAdder();

    /**
     * A consistent-enough copy for reporting.
     *
     * @param accepted       connections (or flows) accepted from host clients since the forward opened
     * @param active         connections (or flows) open now
     * @param dialFailures   connections reset because the guest could not be reached
     * @param refused        connections reset because the forward's limit was reached
     * @param bytesToGuest   payload bytes carried from host clients to the guest
     * @param bytesFromGuest payload bytes carried from the guest to host clients
     * @param dropped        datagrams dropped (flow table full, queue full, socket not writable)
     */
    public record Snapshot(long accepted, long active, long dialFailures, long refused,
                           long bytesToGuest, long bytesFromGuest, long dropped) {
    }

    public Snapshot snapshot() {
        return new Snapshot(accepted.sum(), active.sum(), dialFailures.sum(), refused.sum(),
                bytesToGuest.sum(), bytesFromGuest.sum(), dropped.sum());
    }
}
