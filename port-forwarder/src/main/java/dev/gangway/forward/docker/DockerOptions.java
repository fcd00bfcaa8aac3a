package dev.gangway.forward.docker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Docker publisher follows the guest's engine.
 *
 * @param engine       the guest dockerd's TCP endpoint ({@code 192.168.65.2:2375} by default)
 * @param publishTo    the guest address published ports are reached at (dockerd listens there on the
 *                     published port)
 * @param bindWildcard whether a port Docker publishes on all interfaces may be bound on all host
 *                     interfaces; when false it is bound on loopback only (and that is logged once)
 * @param minBackoff   the first delay before reconnecting to an engine that went away
 * @param maxBackoff   the longest delay between reconnection attempts
 */
public record DockerOptions(InetSocketAddress engine, InetAddress publishTo, boolean bindWildcard,
                            Duration minBackoff, Duration maxBackoff) {
    public DockerOptions {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(publishTo, "publishTo");
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive, min <= max");
        }
    }

    /** The engine on TCP 2375 of {@code guest}, loopback-only binding, backoff from 250 ms to 30 s. */
    public static DockerOptions forGuest(InetAddress guest) {
        return new DockerOptions(new InetSocketAddress(guest, 2375), guest, false,
                Duration.ofMillis(250), Duration.ofSeconds(30));
    }
}
