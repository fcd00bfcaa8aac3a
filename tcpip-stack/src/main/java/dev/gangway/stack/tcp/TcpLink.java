package dev.gangway.stack.tcp;

import dev.gangway.stack.iface.Gateway;
import dev.gangway.stack.iface.GuestLink;
import dev.gangway.stack.iface.Ipv4Datagram;
import dev.gangway.stack.iface.LinkTransport;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.Ipv4Packet;
import dev.gangway.stack.wire.Parsed;
import dev.gangway.stack.wire.TcpOptions;
import dev.gangway.stack.wire.TcpPacket;
import dev.gangway.stack.wire.TcpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP of one guest link, on its loop: the connection table, the demultiplexing of guest segments, RST
 * for segments that belong to nothing, the services bound on gateway ports, dials into the guest, the
 * batching of ACKs and host flushes, and the link's writability.
 *
 * <p>Batching: guest segments arrive in bursts (one read of the link); in-order data is ACKed once per
 * burst, and host sockets are flushed once per burst, by a task that runs after the burst.
 *
 * <p>Link writability: when the link channel cannot take more frames, connections stop sending new
 * segments and wait here; the link's writability event resumes them.
 */
public final class TcpLink implements LinkTransport {
    private static final Logger LOG = LoggerFactory.getLogger(TcpLink.class);
    private static final AtomicLong LAST_LIMIT_LOG = new AtomicLong(System.nanoTime() - 20_000_000_000L);
    private static final int HOST_LOOPBACK = Ipv4Address.parse("127.0.0.1");
    private static final int EPHEMERAL_FIRST = 49152;

    /** A connection: the guest's end and the address and port the guest talks to. */
    record FlowKey(int guestIp, int guestPort, int localIp, int localPort) {
        @Override
        public String toString() {
            return Ipv4Address.format(guestIp) + ":" + guestPort + "<->" + Ipv4Address.format(localIp) + ":"
                    + localPort;
        }
    }

    private final GuestLink link;
    private final TcpConfig config;
    private final ChannelFactory<? extends SocketChannel> hostChannels;
    private final HashMap<FlowKey, TcpConnection> flows = new HashMap<>();
    private final Map<Integer, ChannelInitializer<Channel>> listeners = new HashMap<>();
    private final ArrayDeque<TcpConnection> flushQueue = new ArrayDeque<>();
    private final LinkedHashSet<TcpConnection> blocked = new LinkedHashSet<>();
    private final ArrayDeque<TcpConnection> timeWaits = new ArrayDeque<>();
    private final SplittableRandom random = new SplittableRandom();
    private final Runnable flushTask = this::flushBatch;
    private final ChannelInboundHandlerAdapter writabilityHook;
    private boolean flushScheduled;
    private int nextEphemeral = EPHEMERAL_FIRST;
    private boolean closed;

    TcpLink(GuestLink link, TcpConfig config, ChannelFactory<? extends SocketChannel> hostChannels) {
        this.link = link;
        this.config = config;
        this.hostChannels = hostChannels;
        this.writabilityHook = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (ctx.channel().isWritable()) {
                    resumeBlocked();
                }
                ctx.fireChannelWritabilityChanged();
            }
        };
        link.channel().pipeline().addLast("tcp-writability", writabilityHook);
    }

    public GuestLink link() {
        return link;
    }

    Gateway gateway() {
        return link.gateway();
    }

    TcpConfig config() {
        return config;
    }

    EventLoop loop() {
        return link.loop();
    }

    ChannelFactory<? extends SocketChannel> hostChannels() {
        return hostChannels;
    }

    SplittableRandom random() {
        return random;
    }

    /** Connections in the table, TIME_WAIT included. */
    public int flowCount() {
        return flows.size();
    }

    /** One line of state per connection, for diagnostics; call on the link's loop. */
    public List<String> describeFlows() {
        var lines = new ArrayList<String>(flows.size());
        for (var conn : flows.values()) {
            lines.add(conn.describe());
        }
        return lines;
    }

    // ---- guest segments

    @Override
    public void receive(Ipv4Datagram d) {
        var ip = d.ip();
        var counters = gateway().counters();
        TcpRepr seg;
        switch (TcpRepr.parse(d.buf(), d.payloadOffset(), d.payloadLength(), ip.src(), ip.dst())) {
            case Parsed.Refused<TcpRepr>(var reason) -> {
                counters.drop(Layer.TCP, reason.label());
                return;
            }
            case Parsed.Ok<TcpRepr>(var value) -> seg = value;
        }
        counters.in(Layer.TCP, d.payloadLength());
        var key = new FlowKey(ip.src(), seg.srcPort(), ip.dst(), seg.dstPort());
        var conn = flows.get(key);
        int payloadOffset = d.payloadOffset() + seg.headerLength();
        if (conn != null) {
            if (conn.state == TcpConnection.State.TIME_WAIT && seg.has(TcpPacket.SYN) && !seg.has(TcpPacket.ACK_FLAG)
                    && Seq.gt(seg.seq(), conn.rcv.nxt)) {
                // RFC 6191-like reuse: a new incarnation of a connection in TIME_WAIT.
                flows.remove(key);
                conn.state = TcpConnection.State.CLOSED;
            } else {
                conn.onSegment(seg, d.buf(), payloadOffset);
                return;
            }
        }
        if (seg.has(TcpPacket.SYN) && !seg.has(TcpPacket.ACK_FLAG) && !seg.has(TcpPacket.RST)) {
            open(key, seg);
            return;
        }
        if (!seg.has(TcpPacket.RST)) {
            counters.drop(Layer.TCP, "no-connection");
            resetFor(key, seg);
        }
    }

    /** RST for a segment that belongs to no connection (RFC 9293 3.10.7.1). */
    private void resetFor(FlowKey key, TcpRepr seg) {
        if (seg.has(TcpPacket.ACK_FLAG)) {
            send(key, TcpPacket.RST, seg.ack(), 0, 0, TcpOptions.NONE, null);
        } else {
            send(key, TcpPacket.RST | TcpPacket.ACK_FLAG, 0, seg.seq() + seg.sequenceLength(), 0, TcpOptions.NONE,
                    null);
        }
    }

    private void open(FlowKey key, TcpRepr syn) {
        var counters = gateway().counters();
        var net = gateway().config();
        if (flows.size() >= config.maxFlows()) {
            counters.drop(Layer.TCP, "flow-limit");
            long now = System.nanoTime();
            long last = LAST_LIMIT_LOG.get();
            if (now - last > 10_000_000_000L && LAST_LIMIT_LOG.compareAndSet(last, now)) {
                LOG.warn("tcp: link {} has {} connections, the limit (TcpConfig.maxFlows); refusing {} with RST",
                        link.name(), flows.size(), key);
            }
            resetFor(key, syn);
            return;
        }
        if (key.localIp() == net.gateway()) {
            var initializer = listeners.get(key.localPort());
            if (initializer == null) {
                counters.drop(Layer.TCP, "port-closed");
                resetFor(key, syn);
                return;
            }
            var conn = Handshake.fromSyn(this, key, syn);
            var peer = new ServicePeer(conn, initializer,
                    new InetSocketAddress(Ipv4Address.toInet(key.localIp()), key.localPort()),
                    new InetSocketAddress(Ipv4Address.toInet(key.guestIp()), key.guestPort()));
            conn.servicePeer = peer;
            flows.put(key, conn);
            Handshake.accepted(conn);
            return;
        }
        if (net.inSubnet(key.localIp()) && key.localIp() != net.hostAlias()) {
            counters.drop(Layer.TCP, "not-routed");
            resetFor(key, syn);
            return;
        }
        int target = key.localIp() == net.hostAlias() ? HOST_LOOPBACK : key.localIp();
        var conn = Handshake.fromSyn(this, key, syn);
        flows.put(key, conn);
        HostPeer.connect(conn, new InetSocketAddress(Ipv4Address.toInet(target), key.localPort()));
    }

    // ---- output

    /** Builds one segment (header, options, checksum; payload ownership taken) and sends it to the guest. */
    void send(FlowKey key, int flags, int seq, int ack, int window, TcpOptions options, ByteBuf payload) {
        var gateway = gateway();
        int headerLength = TcpRepr.emittedHeaderLength(options);
        var header = gateway.alloc().directBuffer(headerLength, headerLength);
        new TcpRepr(key.localPort(), key.guestPort(), seq, ack, flags, window, options, headerLength, 0)
                .emit(header, 0);
        header.writerIndex(headerLength);
        TcpRepr.fillChecksum(header, 0, headerLength, payload, key.localIp(), key.guestIp());
        int length = headerLength + (payload == null ? 0 : payload.readableBytes());
        gateway.counters().out(Layer.TCP, length);
        ByteBuf segment = payload == null ? header
                : gateway.alloc().compositeDirectBuffer(2).addComponents(true, header, payload);
        gateway.sendIpv4(key.localIp(), key.guestIp(), Ipv4Packet.PROTO_TCP, segment, null);
    }

    boolean writable() {
        return link.channel().isWritable();
    }

    void blockOnLink(TcpConnection conn) {
        if (!conn.blockedOnLink) {
            conn.blockedOnLink = true;
            blocked.add(conn);
        }
    }

    private void resumeBlocked() {
        while (!blocked.isEmpty() && writable()) {
            var it = blocked.iterator();
            var conn = it.next();
            it.remove();
            conn.blockedOnLink = false;
            if (conn.state == TcpConnection.State.ESTABLISHED) {
                conn.snd.output();
            }
        }
    }

    void scheduleFlush(TcpConnection conn) {
        if (!conn.inFlushQueue) {
            conn.inFlushQueue = true;
            flushQueue.add(conn);
        }
        if (!flushScheduled) {
            flushScheduled = true;
            loop().execute(flushTask);
        }
    }

    private void flushBatch() {
        flushScheduled = false;
        TcpConnection conn;
        while ((conn = flushQueue.poll()) != null) {
            conn.flushBatch();
        }
    }

    // ---- table

    void remove(TcpConnection conn) {
        if (flows.get(conn.key) == conn) {
            flows.remove(conn.key);
        }
        if (conn.blockedOnLink) {
            blocked.remove(conn);
            conn.blockedOnLink = false;
        }
    }

    void timeWait(TcpConnection conn) {
        if (conn.blockedOnLink) {
            blocked.remove(conn);
            conn.blockedOnLink = false;
        }
        timeWaits.add(conn);
    }

    @Override
    public void tick(long now) {
        while (!timeWaits.isEmpty() && now - timeWaits.peek().timeWaitUntil >= 0) {
            var conn = timeWaits.poll();
            if (conn.state == TcpConnection.State.TIME_WAIT) {
                conn.finish();
            }
        }
        for (var conn : new ArrayList<>(flows.values())) {
            conn.tick(now);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (var conn : new ArrayList<>(flows.values())) {
            conn.abort(false, "the guest link closed");
        }
        flows.clear();
        blocked.clear();
        flushQueue.clear();
        timeWaits.clear();
        listeners.clear();
        if (link.channel().pipeline().context(writabilityHook) != null) {
            link.channel().pipeline().remove(writabilityHook);
        }
    }

    // ---- service API side (on the link's loop)

    /**
     * Accepts guest connections to {@code gatewayPort}: each becomes a stream channel set up by
     * {@code initializer}.
     */
    public void listen(int gatewayPort, ChannelInitializer<Channel> initializer) {
        if (!closed) {
            listeners.put(gatewayPort, initializer);
        }
    }

    /** Stops accepting on {@code gatewayPort}; established connections stay. */
    public void unlisten(int gatewayPort, ChannelInitializer<Channel> initializer) {
        listeners.remove(gatewayPort, initializer);
    }

    /** Same as {@link #dial(int, int, InetSocketAddress, ChannelInitializer, Promise)} without an initializer. */
    public void dial(int guestIp, int guestPort, InetSocketAddress source, Promise<Channel> promise) {
        dial(guestIp, guestPort, source, null, promise);
    }

    /**
     * Opens a connection to {@code guestIp:guestPort} from {@code source} (or the gateway and an ephemeral
     * port); {@code promise} gets the stream channel once the guest accepted, or the failure. The channel
     * is set up by {@code initializer} (if not null) before it is registered.
     */
    public void dial(int guestIp, int guestPort, InetSocketAddress source, ChannelInitializer<Channel> initializer,
            Promise<Channel> promise) {
        if (closed) {
            promise.tryFailure(new java.io.IOException("the guest link closed"));
            return;
        }
        int ip = source == null ? gateway().config().gateway() : Ipv4Address.of(source.getAddress());
        int port = source == null || source.getPort() == 0 ? freePort(ip, guestIp, guestPort) : source.getPort();
        var key = new FlowKey(guestIp, guestPort, ip, port);
        if (flows.containsKey(key)) {
            promise.tryFailure(new IllegalStateException("source " + Ipv4Address.format(ip) + ":" + port
                    + " already has a connection to " + Ipv4Address.format(guestIp) + ":" + guestPort));
            return;
        }
        if (flows.size() >= config.maxFlows()) {
            gateway().counters().drop(Layer.TCP, "flow-limit");
            promise.tryFailure(new java.io.IOException("too many TCP connections on link " + link.name()
                    + " (TcpConfig.maxFlows = " + config.maxFlows() + ")"));
            return;
        }
        var conn = Handshake.activeOpen(this, key);
        conn.servicePeer = new ServicePeer(conn, initializer, new InetSocketAddress(Ipv4Address.toInet(ip), port),
                new InetSocketAddress(Ipv4Address.toInet(guestIp), guestPort));
        conn.dialPromise = promise;
        flows.put(key, conn);
    }

    private int freePort(int ip, int guestIp, int guestPort) {
        for (int tries = 0; tries < 65536 - EPHEMERAL_FIRST; tries++) {
            int port = nextEphemeral;
            nextEphemeral = port == 65535 ? EPHEMERAL_FIRST : port + 1;
            if (!flows.containsKey(new FlowKey(guestIp, guestPort, ip, port))) {
                return port;
            }
        }
        throw new IllegalStateException("no free TCP port on " + Ipv4Address.format(ip));
    }
}
