package dev.gangway.dns.upstream;

import dev.gangway.dns.DnsCounters;
import dev.gangway.dns.wire.Query;
import dev.gangway.dns.wire.ReplyScan;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Sends questions to the upstream servers; see the package documentation for the rules it follows. */
public final class Forwarder {
    /** What an exchange reports, always on the event loop it runs on. */
    public interface Listener {
        /** A query with this ID is about to be sent (lets the server recognise it if it loops back). */
        void attempt(int upstreamId);

        /** The reply (owned by the listener) and its scan; may be an upstream error reply. */
        void reply(ByteBuf reply, ReplyScan scan);

        /** No server gave a usable reply. */
        void failed(String reason);
    }

    private final Transport transport;
    private final Supplier<List<InetSocketAddress>> servers;
    private final Set<InetSocketAddress> self;
    final long serverTimeoutNanos;
    final long totalTimeoutNanos;
    final DnsCounters counters;
    private final SecureRandom random = new SecureRandom();
    private final AtomicReference<InetSocketAddress> preferred = new AtomicReference<>();
    /** Per event loop (each inner map is used only on its loop): the UDP sockets per server. */
    private final ConcurrentHashMap<EventLoop, Map<InetSocketAddress, UdpSocketPool>> udpPools =
            new ConcurrentHashMap<>();

    /**
     * @param servers the current upstream servers, asked at every question (so a re-read resolv.conf
     *     takes effect at once)
     * @param self addresses the proxy itself listens on; never used as upstreams (a loop)
     */
    public Forwarder(Transport transport, Supplier<List<InetSocketAddress>> servers, Set<InetSocketAddress> self,
            Duration serverTimeout, Duration totalTimeout, DnsCounters counters) {
        this.transport = transport;
        this.servers = servers;
        this.self = self;
        this.serverTimeoutNanos = serverTimeout.toNanos();
        this.totalTimeoutNanos = totalTimeout.toNanos();
        this.counters = counters;
    }

    /** The servers a question would be sent to now, the preferred one first. */
    public List<InetSocketAddress> currentServers() {
        var list = new java.util.ArrayList<InetSocketAddress>();
        for (InetSocketAddress s : servers.get()) {
            if (!self.contains(s) && !list.contains(s)) {
                list.add(s);
            }
        }
        InetSocketAddress p = preferred.get();
        if (p != null && list.remove(p)) {
            list.addFirst(p);
        }
        return list;
    }

    /**
     * Starts resolving {@code query}; {@code listener} hears the outcome once: at once on the caller's
     * thread when there is no server, otherwise on {@code preferredLoop} when it is one of ours, or on
     * another of our loops.
     */
    public void forward(Query query, EventLoop preferredLoop, Listener listener) {
        var list = currentServers();
        if (list.isEmpty()) {
            listener.failed("no upstream servers");
            return;
        }
        EventLoop loop = transport.loopFor(preferredLoop);
        var exchange = new Exchange(this, transport, loop, query, list, listener);
        if (loop.inEventLoop()) {
            exchange.begin();
        } else {
            loop.execute(exchange::begin);
        }
    }

    /** The UDP sockets to {@code server} owned by {@code loop}; call only on {@code loop}. */
    UdpSocketPool udpSockets(EventLoop loop, InetSocketAddress server) {
        return udpPools.computeIfAbsent(loop, l -> new HashMap<>())
                .computeIfAbsent(server, s -> new UdpSocketPool(transport, loop, s));
    }

    int randomId() {
        synchronized (random) {
            return random.nextInt(65536);
        }
    }

    void answered(InetSocketAddress server) {
        preferred.set(server);
    }
}
