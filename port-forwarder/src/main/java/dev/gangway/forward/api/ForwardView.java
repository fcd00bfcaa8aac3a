package dev.gangway.forward.api;

import dev.gangway.forward.table.Forward;

/**
 * A forward as the control API shows it.
 *
 * @param protocol    {@code tcp}, {@code udp} or {@code unix}
 * @param host        the host endpoint actually bound
 * @param guest       the guest endpoint
 * @param origin      {@code api}, or {@code docker:NAME} for a port the Docker publisher opened
 * @param connections connection (TCP, unix) or flow (UDP) counts
 * @param bytes       payload bytes each way
 * @param dropped     datagrams dropped by the bounds
 * @param opened      when the forward was opened (ISO-8601)
 */
public record ForwardView(String protocol, String host, String guest, String origin, Connections connections,
                          Bytes bytes, long dropped, String opened) {
    /**
     * @param active  open now
     * @param total   accepted since the forward opened
     * @param failed  reset because the guest could not be reached
     * @param refused reset because the forward's connection limit was reached
     */
    public record Connections(long active, long total, long failed, long refused) {
    }

    /**
     * @param toGuest   from host clients to the guest
     * @param fromGuest from the guest to host clients
     */
    public record Bytes(long toGuest, long fromGuest) {
    }

    public static ForwardView of(Forward forward) {
        var c = forward.counters();
        var spec = forward.spec();
        return new ForwardView(spec.protocol().wireName(), spec.hostText(), spec.guestText(), forward.origin(),
                new Connections(c.active(), c.accepted(), c.dialFailures(), c.refused()),
                new Bytes(c.bytesToGuest(), c.bytesFromGuest()), c.dropped(), forward.opened().toString());
    }
}
