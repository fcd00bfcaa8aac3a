package dev.gangway.dns.server;

import dev.gangway.dns.DnsCounters;
import dev.gangway.dns.cache.AnswerCache;
import dev.gangway.dns.cache.CachedAnswer;
import dev.gangway.dns.host.HostResolver;
import dev.gangway.dns.host.HostsFile;
import dev.gangway.dns.host.ResolvConf;
import dev.gangway.dns.host.WatchedFile;
import dev.gangway.dns.local.LocalRecord;
import dev.gangway.dns.local.LocalZone;
import dev.gangway.dns.upstream.Forwarder;
import dev.gangway.dns.upstream.Transport;
import dev.gangway.dns.wire.DnsHeader;
import dev.gangway.dns.wire.Query;
import dev.gangway.dns.wire.QuestionKey;
import dev.gangway.dns.wire.Rejected;
import dev.gangway.dns.wire.ReplyScan;
import dev.gangway.dns.wire.ReplyWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.dns.DnsRecord;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The DNS server, independent of how queries arrive: {@link #datagramHandler()} serves any datagram
 * channel (host UDP socket or the stack's virtual UDP channel), {@link #streamInitializer()} any stream
 * channel (TCP, 2-byte length-prefixed messages). One server may serve many channels on many event loops
 * at once.
 *
 * <p>Every query goes: parse → loop check → local names → cache → coalesce with the same question in
 * flight → upstream (or the host's resolver for A/AAAA in host mode) → cache → every waiting client.
 */
public final class DnsServer implements AutoCloseable {
    private final DnsConfig config;
    private final DnsCounters counters = new DnsCounters();
    private final AnswerCache cache;
    private final LocalZone zone;
    private final Forwarder forwarder;
    private final HostResolver hostResolver;
    private final Set<InetSocketAddress> self = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<QuestionKey, InFlight> inFlight = new ConcurrentHashMap<>();
    private final DnsDatagramHandler datagramHandler = new DnsDatagramHandler(this);
    private final Supplier<List<InetSocketAddress>> upstreams;

    /**
     * @param transport the event loops and channel types for the server's own upstream sockets
     */
    public DnsServer(DnsConfig config, Transport transport) {
        this(config, transport, System::nanoTime);
    }

    public DnsServer(DnsConfig config, Transport transport, LongSupplier nanoClock) {
        this.config = config;
        this.cache = new AnswerCache(config.cacheEntries(), config.minTtl(), config.maxTtl(),
                config.maxNegativeTtl(), nanoClock);
        var fixed = new ArrayList<LocalRecord>(LocalZone.builtIns(config.hostAlias(), config.gateway(),
                config.vmName(), config.vmAddress()));
        fixed.addAll(config.records());
        this.zone = new LocalZone(fixed, config.hostsFile() == null ? null
                : new WatchedFile<>(config.hostsFile(), HostsFile::parse, nanoClock));
        if (!config.upstreams().isEmpty()) {
            var fixedUpstreams = config.upstreams();
            this.upstreams = () -> fixedUpstreams;
        } else if (config.resolvConf() != null) {
            int port = config.resolvConfPort();
            var watched = new WatchedFile<>(config.resolvConf(), lines -> ResolvConf.parse(lines, port), nanoClock);
            this.upstreams = watched::get;
        } else {
            this.upstreams = List::of;
        }
        this.forwarder = new Forwarder(transport, upstreams, self, config.serverTimeout(), config.totalTimeout(),
                counters);
        this.hostResolver = config.mode() == DnsConfig.Mode.HOST ? new HostResolver(config.maxHostLookups()) : null;
    }

    public DnsConfig config() {
        return config;
    }

    public DnsCounters counters() {
        return counters;
    }

    public AnswerCache cache() {
        return cache;
    }

    /** The upstream servers a question would go to now (after re-reading resolv.conf if it changed). */
    public List<InetSocketAddress> upstreams() {
        return forwarder.currentServers();
    }

    /** Declares an address this server listens on, so that it is never used as its own upstream. */
    public void addSelfAddress(InetSocketAddress address) {
        self.add(address);
    }

    /** The handler for datagram channels: it reads {@code DatagramPacket}s and writes the replies back. */
    public ChannelHandler datagramHandler() {
        return datagramHandler;
    }

    /**
     * The same handler as an initializer, for APIs that take one for datagram channels too (the stack's
     * {@code listen(gateway, 53, UDP, initializer)}).
     */
    public ChannelInitializer<Channel> datagramInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(datagramHandler);
            }
        };
    }

    /** The initializer for stream channels: 2-byte length-prefixed DNS messages (RFC 1035 §4.2.2). */
    public ChannelInitializer<Channel> streamInitializer() {
        return new DnsStreamInitializer(this);
    }

    /** Handles one received message (the readable bytes of {@code msg}, which stays the caller's). */
    public void handle(ByteBuf msg, ReplySink sink) {
        counters.queries.increment();
        if (msg.readableBytes() > config.maxQuerySize()) {
            counters.oversized.increment();
            counters.badInput("oversized message (" + msg.readableBytes() + " bytes)", sink.peer());
            if ((DnsHeader.flags(msg) & DnsHeader.FLAG_QR) == 0) {
                counters.refused.increment();
                sink.send(ReplyWriter.error(sink.alloc(), DnsHeader.id(msg), DnsHeader.flags(msg), null,
                        DnsHeader.RCODE_REFUSED), true);
            } else {
                sink.noReply();
            }
            return;
        }
        switch (Query.parse(msg)) {
            case Rejected r -> reject(r, sink);
            case Query q -> answer(q, sink);
        }
    }

    private void reject(Rejected r, ReplySink sink) {
        counters.badInput(r.reason(), sink.peer());
        if (r.rcode() == Rejected.DROP) {
            counters.dropped.increment();
            sink.noReply();
            return;
        }
        switch (r.rcode()) {
            case DnsHeader.RCODE_FORMERR -> counters.formerr.increment();
            case DnsHeader.RCODE_REFUSED -> counters.refused.increment();
            case Rejected.BADVERS -> {
                counters.badvers.increment();
                sink.send(ReplyWriter.badVersion(sink.alloc(), r.id(), r.flags(), r.question()), true);
                return;
            }
            default -> counters.notimp.increment();
        }
        sink.send(ReplyWriter.error(sink.alloc(), r.id(), r.flags(), r.question(), r.rcode()), true);
    }

    private void answer(Query q, ReplySink sink) {
        QuestionKey key = q.key();
        InFlight pending = inFlight.get(key);
        if (pending != null && pending.upstreamId == q.id()) {
            counters.loops.increment();
            counters.refused.increment();
            counters.badInput("our own upstream query came back (a forwarding loop)", sink.peer());
            sink.send(ReplyWriter.error(sink.alloc(), q.id(), q.flags(), q.question(), DnsHeader.RCODE_REFUSED), true);
            return;
        }
        LocalZone.Answer local = zone.lookup(key);
        if (local != null) {
            counters.localAnswers.increment();
            sink.send(localReply(q, local, sink.maxReplySize(q), sink), true);
            return;
        }
        long now = cache.now();
        CachedAnswer cached = cache.get(key, now);
        if (cached != null) {
            counters.cacheHits.increment();
            int max = sink.maxReplySize(q);
            if (cached.size() > max) {
                counters.truncatedReplies.increment();
            }
            sink.send(cached.render(sink.alloc(), q, now, max), true);
            return;
        }
        if (pending != null) {
            if (pending.add(q, sink, config.maxWaiters())) {
                counters.coalesced.increment();
                return;
            }
            if (!pending.isDone()) {
                overloaded(q, sink);
                return;
            }
        }
        counters.cacheMisses.increment();
        if (inFlight.size() >= config.maxInFlight()) {
            overloaded(q, sink);
            return;
        }
        var mine = new InFlight();
        mine.add(q, sink, config.maxWaiters());
        InFlight raced = inFlight.putIfAbsent(key, mine);
        if (raced != null) {
            if (!raced.add(q, sink, config.maxWaiters())) {
                overloaded(q, sink);
            } else {
                counters.coalesced.increment();
            }
            return;
        }
        resolve(q, key, mine, sink);
    }

    private void overloaded(Query q, ReplySink sink) {
        counters.overloaded.increment();
        counters.servfail.increment();
        sink.send(ReplyWriter.error(sink.alloc(), q.id(), q.flags(), q.question(), DnsHeader.RCODE_SERVFAIL), true);
    }

    private void resolve(Query q, QuestionKey key, InFlight flight, ReplySink sink) {
        int type = q.type();
        if (hostResolver != null && q.qclass() == Query.CLASS_IN && (type == Query.TYPE_A || type == Query.TYPE_AAAA)) {
            counters.hostLookups.increment();
            hostResolver.lookup(key.name())
                    .orTimeout(config.totalTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .whenComplete((addresses, error) -> {
                        if (error != null) {
                            fail(key, flight);
                        } else {
                            completeFromHost(q, key, flight, addresses);
                        }
                    });
            return;
        }
        forwarder.forward(q, sink.eventLoop(), new Forwarder.Listener() {
            @Override
            public void attempt(int upstreamId) {
                flight.upstreamId = upstreamId;
            }

            @Override
            public void reply(ByteBuf reply, ReplyScan scan) {
                try {
                    complete(key, flight, reply, scan);
                } finally {
                    reply.release();
                }
            }

            @Override
            public void failed(String reason) {
                fail(key, flight);
            }
        });
    }

    private void completeFromHost(Query q, QuestionKey key, InFlight flight, List<InetAddress> addresses) {
        var records = new ArrayList<DnsRecord>();
        for (InetAddress a : addresses) {
            boolean wanted = q.type() == Query.TYPE_A ? a instanceof Inet4Address : a instanceof Inet6Address;
            if (wanted) {
                records.add(LocalRecord.address(key.name(), a).toDnsRecord(config.hostTtl()));
            }
        }
        int rcode = addresses.isEmpty() ? DnsHeader.RCODE_NXDOMAIN : DnsHeader.RCODE_NOERROR;
        ByteBuf reply = ReplyWriter.answer(UnpooledByteBufAllocator.DEFAULT, q, rcode, false, records, 65535);
        records.forEach(io.netty.util.ReferenceCountUtil::release);
        try {
            ReplyScan scan = ReplyScan.scan(reply, io.netty.buffer.Unpooled.wrappedBuffer(q.question()));
            if (scan == null) {
                fail(key, flight);
            } else {
                complete(key, flight, reply, scan);
            }
        } finally {
            reply.release();
        }
    }

    private void complete(QuestionKey key, InFlight flight, ByteBuf reply, ReplyScan scan) {
        cache.put(key, reply, scan, cache.now());
        inFlight.remove(key, flight);
        byte[] wire = new byte[reply.readableBytes()];
        reply.getBytes(reply.readerIndex(), wire);
        if (scan.rcode() == DnsHeader.RCODE_SERVFAIL) {
            counters.servfail.increment();
        }
        for (InFlight.Waiter w : flight.finish()) {
            int max = w.sink().maxReplySize(w.query());
            if (wire.length > max) {
                counters.truncatedReplies.increment();
            }
            w.sink().send(CachedAnswer.render(w.sink().alloc(), wire, scan.ttlOffsets(), scan.ttls(), 0, w.query(),
                    max), false);
        }
    }

    private void fail(QuestionKey key, InFlight flight) {
        inFlight.remove(key, flight);
        for (InFlight.Waiter w : flight.finish()) {
            counters.servfail.increment();
            Query q = w.query();
            w.sink().send(ReplyWriter.error(w.sink().alloc(), q.id(), q.flags(), q.question(),
                    DnsHeader.RCODE_SERVFAIL), false);
        }
    }

    private ByteBuf localReply(Query q, LocalZone.Answer local, int maxSize, ReplySink sink) {
        var records = new ArrayList<DnsRecord>(local.records().size());
        try {
            for (LocalRecord r : local.records()) {
                records.add(r.toDnsRecord(config.localTtl()));
            }
            return ReplyWriter.answer(sink.alloc(), q, DnsHeader.RCODE_NOERROR, true, records, maxSize);
        } catch (IllegalArgumentException e) {
            // Netty's record applies IDN rules to owner names that a hosts file need not follow
            counters.servfail.increment();
            return ReplyWriter.error(sink.alloc(), q.id(), q.flags(), q.question(), DnsHeader.RCODE_SERVFAIL);
        } finally {
            records.forEach(io.netty.util.ReferenceCountUtil::release);
        }
    }

    @Override
    public void close() {
        if (hostResolver != null) {
            hostResolver.close();
        }
    }
}
