package dev.gangway.forward.relay;

import java.time.Duration;

/**
 * The bounds of one forward.
 *
 * @param maxConnections      open TCP/unix connections; further clients are reset and counted as refused
 * @param maxFlows            UDP flows (distinct client addresses); datagrams of further clients are dropped
 * @param flowIdleTimeout     a UDP flow with no datagram either way for this long is closed
 * @param maxPendingDatagrams datagrams held per UDP flow while its guest side is being dialed
 */
public record RelayLimits(int maxConnections, int maxFlows, Duration flowIdleTimeout, int maxPendingDatagrams) {
    public static final RelayLimits DEFAULT = new RelayLimits(8192, 4096, Duration.ofSeconds(60), 16);

    public RelayLimits {
        if (maxConnections < 1 || maxFlows < 1 || maxPendingDatagrams < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (flowIdleTimeout.isNegative() || flowIdleTimeout.isZero()) {
            throw new IllegalArgumentException("the UDP flow idle timeout must be positive");
        }
    }
}
