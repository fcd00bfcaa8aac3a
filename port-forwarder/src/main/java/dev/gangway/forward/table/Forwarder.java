package dev.gangway.forward.table;

import dev.gangway.forward.dial.GuestDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.relay.HostListeners;
import dev.gangway.forward.relay.Listener;
import dev.gangway.forward.relay.RelayCounters;
import dev.gangway.forward.relay.RelayLimits;
import dev.gangway.forward.table.ForwardException.Reason;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table of live forwards: opens, lists and closes them. Safe to call from any thread; opening and
 * closing complete asynchronously (binding happens on the dialer's event loops).
 *
 * <p>A forward is keyed by its protocol and host endpoint. Asking for an endpoint this table already holds
 * is a conflict at once; an endpoint held by another process is a conflict reported by the kernel, with
 * the holder named from {@code /proc} where it is visible.
 */
public final class Forwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final HostListeners listeners;
    private final PortHolders holders;
    private final Map<String, Forward> forwards = new ConcurrentHashMap<>();
    private final Map<String, Boolean> opening = new ConcurrentHashMap<>();

    public Forwarder(GuestDialer dialer, SourceAddressPolicy sources, RelayLimits limits) {
        this(dialer, sources, limits, new PortHolders());
    }

    Forwarder(GuestDialer dialer, SourceAddressPolicy sources, RelayLimits limits, PortHolders holders) {
        this.listeners = new HostListeners(dialer, sources, limits);
        this.holders = holders;
    }

    private static String key(Protocol protocol, SocketAddress host) {
        return protocol.wireName() + " " + ForwardSpec.text(host);
    }

    /** Opens {@code spec}; fails with a {@link ForwardException} naming the problem. */
    public CompletableFuture<Forward> open(ForwardSpec spec, String origin) {
        var result = new CompletableFuture<Forward>();
        boolean ephemeral = spec.host() instanceof InetSocketAddress inet && inet.getPort() == 0;
        var key = key(spec.protocol(), spec.host());
        if (!ephemeral) {
            var existing = forwards.get(key);
            if (existing != null || opening.putIfAbsent(key, Boolean.TRUE) != null) {
                return CompletableFuture.failedFuture(new ForwardException(Reason.CONFLICT, spec.hostText() + "/"
                        + spec.protocol().wireName() + " is already forwarded"
                        + (existing == null ? "" : " to " + existing.spec().guestText() + " (" + existing.origin() + ")")
                        + "; fix: unexpose it first or choose another host port"));
            }
        }
        var counters = new RelayCounters();
        CompletableFuture<Listener> bind;
        try {
            bind = switch (spec.protocol()) {
                case TCP -> listeners.tcp((InetSocketAddress) spec.host(), spec.guest(), counters);
                case UDP -> listeners.udp((InetSocketAddress) spec.host(), spec.guest(), counters);
                case UNIX -> {
                    var path = ((UnixDomainSocketAddress) spec.host()).getPath();
                    UnixSocketFiles.prepare(path);
                    yield listeners.unix(path, spec.guest(), counters);
                }
            };
        } catch (ForwardException e) {
            opening.remove(key);
            return CompletableFuture.failedFuture(e);
        }
        bind.whenComplete((listener, failure) -> {
            try {
                if (failure != null) {
                    // Naming the holder scans /proc: not on the event loop.
                    CompletableFuture.runAsync(() -> result.completeExceptionally(
                            BindFailures.of(spec, failure, holders, this::ownHolder)));
                    return;
                }
                var bound = spec;
                if (ephemeral && listener.localAddress() instanceof InetSocketAddress local) {
                    bound = new ForwardSpec(spec.protocol(), local, spec.guest());
                }
                var forward = new Forward(bound, origin, counters, listener);
                forwards.put(key(bound.protocol(), bound.host()), forward);
                LOG.info("forwarding {} ({})", bound, origin);
                result.complete(forward);
            } finally {
                opening.remove(key);
            }
        });
        return result;
    }

    /** Closes the forward of {@code protocol} on {@code host}; fails with NOT_FOUND when there is none. */
    public CompletableFuture<Forward> close(Protocol protocol, SocketAddress host) {
        var forward = forwards.remove(key(protocol, host));
        if (forward == null) {
            return CompletableFuture.failedFuture(new ForwardException(Reason.NOT_FOUND,
                    "nothing is forwarded from " + ForwardSpec.text(host) + "/" + protocol.wireName()
                            + "; fix: see the forwards with 'gangway ports'"));
        }
        LOG.info("stopped forwarding {}", forward.spec());
        return forward.close();
    }

    public Optional<Forward> get(Protocol protocol, SocketAddress host) {
        return Optional.ofNullable(forwards.get(key(protocol, host)));
    }

    /** The live forwards, ordered by protocol and host endpoint. */
    public List<Forward> list() {
        var all = new ArrayList<>(forwards.values());
        all.sort(Comparator.comparing((Forward f) -> f.spec().protocol()).thenComparing(f -> f.spec().hostText()));
        return all;
    }

    /** Names a forward of this table that overlaps {@code spec}'s port, for conflict messages. */
    private String ownHolder(ForwardSpec spec) {
        if (!(spec.host() instanceof InetSocketAddress wanted)) {
            return null;
        }
        for (var f : forwards.values()) {
            if (f.spec().protocol() == spec.protocol() && f.spec().host() instanceof InetSocketAddress held
                    && held.getPort() == wanted.getPort()) {
                return "the gangway forward " + f.spec() + " (" + f.origin() + ")";
            }
        }
        return null;
    }

    /** Closes every forward and waits a little for the listeners to be released. */
    @Override
    public void close() {
        var closing = new ArrayList<CompletableFuture<Forward>>();
        for (var key : new ArrayList<>(forwards.keySet())) {
            var forward = forwards.remove(key);
            if (forward != null) {
                closing.add(forward.close());
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("forwards did not all close: {}", e.toString());
        }
    }
}
