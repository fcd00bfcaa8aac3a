package dev.gangway.forward.table;

import dev.gangway.forward.relay.RelayCounters;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A live forward: its spec (with the host port the system chose, when 0 was asked), who made it, its
 * counters, and the host channel that carries it.
 */
public final class Forward {
    private final ForwardSpec spec;
    private final String origin;
    private final RelayCounters counters;
    private final Channel channel;
    private final Instant opened = Instant.now();

    Forward(ForwardSpec spec, String origin, RelayCounters counters, Channel channel) {
        this.spec = spec;
        this.origin = origin;
        this.counters = counters;
        this.channel = channel;
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
        var done = new CompletableFuture<Forward>();
        channel.close().addListener(f -> {
            if (spec.host() instanceof UnixDomainSocketAddress unix) {
                try {
                    Files.deleteIfExists(unix.getPath());
                } catch (IOException e) {
                    // The listener is closed; a leftover file is replaced by the next bind.
                }
            }
            done.complete(this);
        });
        return done;
    }
}
