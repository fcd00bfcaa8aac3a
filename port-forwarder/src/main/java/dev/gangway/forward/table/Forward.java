package dev.gangway.forward.table;

import dev.gangway.forward.relay.Listener;
import dev.gangway.forward.relay.RelayCounters;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A live forward: its spec (with the host port the system chose, when 0 was asked), who made it, its
 * counters, and the host listener that carries it.
 */
public final class Forward {
    private final ForwardSpec spec;
    private final String origin;
    private final RelayCounters counters;
    private final Listener listener;
    private final Instant opened = Instant.now();

    Forward(ForwardSpec spec, String origin, RelayCounters counters, Listener listener) {
        this.spec = spec;
        this.origin = origin;
        this.counters = counters;
        this.listener = listener;
    }

    public ForwardSpec spec() {
        return spec;
    }

    /** {@code api} for forwards made through the control API, {@code docker:NAME} for published ports. */
    public String origin() {
        return origin;
    }

    public RelayCounters.Snapshot counters() {
        return counters.snapshot();
    }

    public Instant opened() {
        return opened;
    }

    /** Stops listening (connections in flight carry on until they end) and removes a unix socket file. */
    CompletableFuture<Forward> close() {
        return listener.close().thenApply(closed -> {
            if (spec.host() instanceof UnixDomainSocketAddress unix) {
                try {
                    Files.deleteIfExists(unix.getPath());
                } catch (IOException e) {
                    // The listener is closed; a leftover file is replaced by the next bind.
                }
            }
            return this;
        });
    }
}
