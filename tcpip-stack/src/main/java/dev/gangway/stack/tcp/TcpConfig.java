package dev.gangway.stack.tcp;

import java.time.Duration;

/**
 * Tunables of the TCP engine.
 *
 * @param maxFlows        connections per guest link (NAT flows, services and dials together); a SYN beyond
 *                        it is answered with RST and counted ({@code tcp/flow-limit})
 * @param bufferBytes     per connection and direction: guest data not yet taken by the host socket (it
 *                        bounds the window offered to the guest) and host data not yet acknowledged by the
 *                        guest (host reads pause beyond it)
 * @param idleTimeout     a connection with no segment either way this long is reset; {@code null} (the
 *                        default) never cuts idle connections
 * @param keepaliveIdle   after this long without a segment from the guest, probes are sent
 * @param keepaliveProbes unanswered probes (one per {@code keepaliveInterval}) before the connection is
 *                        reset both ways
 * @param connectTimeout  how long a host connect for a guest SYN may take before it counts as unreachable
 * @param timeWait        how long a connection the stack closed first stays in TIME_WAIT (short: the
 *                        guest's side keeps its own)
 * @param unreachable     what the guest's SYN gets when the host cannot reach the destination (no route,
 *                        network unreachable, connect timeout); a refusal is always a RST
 */
public record TcpConfig(int maxFlows, int bufferBytes, Duration idleTimeout, Duration keepaliveIdle,
        Duration keepaliveInterval, int keepaliveProbes, Duration connectTimeout, Duration timeWait,
        Unreachable unreachable) {

    /** The answer to a SYN whose destination the host cannot reach. */
    public enum Unreachable {
        /**
         * ICMP destination unreachable (net or host) quoting the guest's SYN, as a router on a direct path
         * would send: the guest's {@code connect()} fails at once with "No route to host" or "Network is
         * unreachable". The default.
         */
        ICMP,
        /** A RST: the guest's {@code connect()} fails with "Connection refused" (what vpnkit and slirp do). */
        RST
    }

    public TcpConfig {
        if (maxFlows < 1 || maxFlows > 1 << 20) {
            throw new IllegalArgumentException("tcp maxFlows must be between 1 and 1048576: " + maxFlows);
        }
        if (bufferBytes < 65536 || bufferBytes > 64 << 20) {
            throw new IllegalArgumentException("tcp bufferBytes must be between 64 KiB and 64 MiB: " + bufferBytes);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tcp connectTimeout must be positive: " + connectTimeout);
        }
        if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
            throw new IllegalArgumentException("tcp idleTimeout must be positive (or absent): " + idleTimeout);
        }
        java.util.Objects.requireNonNull(unreachable, "unreachable");
    }

    public static TcpConfig defaults() {
        return new TcpConfig(65535, 4 << 20, null, Duration.ofHours(2), Duration.ofSeconds(75), 9,
                Duration.ofSeconds(30), Duration.ofSeconds(5), Unreachable.ICMP);
    }

    public TcpConfig withMaxFlows(int value) {
        return new TcpConfig(value, bufferBytes, idleTimeout, keepaliveIdle, keepaliveInterval, keepaliveProbes,
                connectTimeout, timeWait, unreachable);
    }

    public TcpConfig withIdleTimeout(Duration value) {
        return new TcpConfig(maxFlows, bufferBytes, value, keepaliveIdle, keepaliveInterval, keepaliveProbes,
                connectTimeout, timeWait, unreachable);
    }

    public TcpConfig withKeepalive(Duration idle, Duration interval, int probes) {
        return new TcpConfig(maxFlows, bufferBytes, idleTimeout, idle, interval, probes, connectTimeout, timeWait, unreachable);
    }

    public TcpConfig withBufferBytes(int value) {
        return new TcpConfig(maxFlows, value, idleTimeout, keepaliveIdle, keepaliveInterval, keepaliveProbes,
                connectTimeout, timeWait, unreachable);
    }

    public TcpConfig withConnectTimeout(Duration value) {
        return new TcpConfig(maxFlows, bufferBytes, idleTimeout, keepaliveIdle, keepaliveInterval, keepaliveProbes,
                value, timeWait, unreachable);
    }

    public TcpConfig withUnreachable(Unreachable value) {
        return new TcpConfig(maxFlows, bufferBytes, idleTimeout, keepaliveIdle, keepaliveInterval, keepaliveProbes,
                connectTimeout, timeWait, value);
    }

    /** The window scale we announce: enough to offer {@link #bufferBytes} in the 16-bit field. */
    int windowScale() {
        int shift = 0;
        while ((65535L << shift) < bufferBytes && shift < 14) {
            shift++;
        }
        return shift;
    }
}
