package dev.gangway.stack.udp;

import dev.gangway.stack.dhcp.DhcpServer;
import dev.gangway.stack.iface.GuestLink;
import dev.gangway.stack.iface.Ipv4Datagram;
import dev.gangway.stack.iface.LinkTransport;
import dev.gangway.stack.service.DatagramTransmitter;
import dev.gangway.stack.service.VirtualDatagramChannel;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.DhcpPacket;
import dev.gangway.stack.wire.DhcpRepr;
import dev.gangway.stack.wire.IcmpPacket;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.Parsed;
import dev.gangway.stack.wire.UdpPacket;
import dev.gangway.stack.wire.UdpRepr;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * UDP of one guest link, on its loop. A guest datagram goes, in this order, to: the DHCP server (port
 * 67), the service bound on the gateway port it targets, the dialled channel whose address it answers,
 * or a NAT flow: a connected host datagram channel per (guest address, guest port, destination), the
 * host alias mapped to {@code 127.0.0.1}. Flows are bounded (least recently used closed first) and
 * closed after the idle timeout.
 */
public final class UdpLink implements LinkTransport, DatagramTransmitter {
    /** A NAT flow: the guest's end and the destination it sent to. */
    record FlowKey(int guestIp, int guestPort, int guestVisibleDst, int dstPort) {
    }

    private static final int HOST_LOOPBACK = Ipv4Address.parse("127.0.0.1");
    private static final int EPHEMERAL_FIRST = 49152;

    private final GuestLink link;
    private final DhcpServer dhcp;
    private final ChannelFactory<? extends DatagramChannel> hostChannels;
    private final LinkedHashMap<FlowKey, UdpFlow> flows = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<Integer, VirtualDatagramChannel> services = new HashMap<>();
    private final Map<Long, VirtualDatagramChannel> dials = new HashMap<>();
    private final int maxFlows;
    private final long idleNanos;
    private int nextEphemeral = EPHEMERAL_FIRST;
    private boolean closed;

    UdpLink(GuestLink link, DhcpServer dhcp, ChannelFactory<? extends DatagramChannel> hostChannels) {
        this.link = link;
        this.dhcp = dhcp;
        this.hostChannels = hostChannels;
        var config = link.gateway().config();
        this.maxFlows = config.maxUdpFlows();
        this.idleNanos = config.udpIdleTimeout().toNanos();
    }

    public GuestLink link() {
        return link;
    }

    public int flowCount() {
        return flows.size();
    }

    // ---- service API side (called on the link's loop)

    /** Creates this link's channel for a service bound on {@code gatewayAddress:port}. */
    public VirtualDatagramChannel bind(int gatewayAddress, int port, ChannelInitializer<Channel> initializer) {
        var existing = services.get(port);
        if (existing != null) {
            return existing;
        }
        var channel = new VirtualDatagramChannel(this,
                new InetSocketAddress(Ipv4Address.toInet(gatewayAddress), port), null);
        channel.pipeline().addLast(initializer);
        services.put(port, channel);
        link.loop().register(channel);
        return channel;
    }

    /** A channel connected to {@code guest:port}, sending from {@code source} (or the gateway). */
    public VirtualDatagramChannel dial(int guestIp, int guestPort, InetSocketAddress source) {
        InetSocketAddress local = source;
        if (local == null || local.getPort() == 0) {
            int ip = local == null ? link.gateway().config().gateway() : Ipv4Address.of(local.getAddress());
            int port = freePort(ip);
            local = new InetSocketAddress(Ipv4Address.toInet(ip), port);
        }
        long key = dialKey(Ipv4Address.of(local.getAddress()), local.getPort());
        if (dials.containsKey(key)) {
            throw new IllegalStateException("source " + local + " is already in use by another dial");
        }
        var channel = new VirtualDatagramChannel(this, local,
                new InetSocketAddress(Ipv4Address.toInet(guestIp), guestPort));
        dials.put(key, channel);
        return channel;
    }

    private int freePort(int ip) {
        for (int tries = 0; tries < 65536 - EPHEMERAL_FIRST; tries++) {
            int port = nextEphemeral;
            nextEphemeral = port == 65535 ? EPHEMERAL_FIRST : port + 1;
            if (!dials.containsKey(dialKey(ip, port)) && !(ip == link.gateway().config().gateway()
                    && services.containsKey(port))) {
                return port;
            }
        }
        throw new IllegalStateException("no free UDP port on " + Ipv4Address.format(ip));
    }

    private static long dialKey(int ip, int port) {
        return ((ip & 0xFFFF_FFFFL) << 16) | port;
    }

    @Override
    public boolean transmit(InetSocketAddress source, InetSocketAddress destination, ByteBuf payload) {
        if (closed || !(destination.getAddress() instanceof java.net.Inet4Address)) {
            link.gateway().counters().drop(Layer.SERVICE, "no-route");
            payload.release();
            return false;
        }
        link.gateway().counters().in(Layer.SERVICE, payload.readableBytes());
        link.gateway().sendUdp(Ipv4Address.of(source.getAddress()), source.getPort(),
                Ipv4Address.of(destination.getAddress()), destination.getPort(), payload, null);
        return true;
    }

    @Override
    public void closed(VirtualDatagramChannel channel) {
        services.values().remove(channel);
        dials.values().remove(channel);
    }

    // ---- guest side

    @Override
    public void receive(Ipv4Datagram d) {
        var ip = d.ip();
        var counters = link.gateway().counters();
        var config = link.gateway().config();
        UdpRepr udp;
        switch (UdpRepr.parse(d.buf(), d.payloadOffset(), d.payloadLength(), ip.src(), ip.dst())) {
            case Parsed.Refused<UdpRepr>(var reason) -> {
                counters.drop(Layer.UDP, reason.label());
                return;
            }
            case Parsed.Ok<UdpRepr>(var value) -> udp = value;
        }
        counters.in(Layer.UDP, UdpPacket.HEADER_LENGTH + udp.payloadLength());
        int payloadOffset = d.payloadOffset() + UdpPacket.HEADER_LENGTH;
        boolean broadcast = ip.dst() == Ipv4Address.BROADCAST || ip.dst() == config.broadcast();
        if (udp.dstPort() == DhcpPacket.SERVER_PORT && (broadcast || ip.dst() == config.gateway())) {
            dhcp(d, payloadOffset, udp.payloadLength());
            return;
        }
        if (broadcast) {
            counters.drop(Layer.UDP, "broadcast");
            return;
        }
        if (ip.dst() == config.gateway()) {
            var service = services.get(udp.dstPort());
            if (service != null) {
                service.deliver(new DatagramPacket(d.buf().retainedSlice(payloadOffset, udp.payloadLength()),
                        new InetSocketAddress(Ipv4Address.toInet(ip.dst()), udp.dstPort()),
                        new InetSocketAddress(Ipv4Address.toInet(ip.src()), udp.srcPort())));
                return;
            }
        }
        var dialled = dials.get(dialKey(ip.dst(), udp.dstPort()));
        if (dialled != null) {
            var peer = dialled.remoteAddress();
            if (peer != null && peer.getPort() == udp.srcPort() && Ipv4Address.of(peer.getAddress()) == ip.src()) {
                dialled.deliver(new DatagramPacket(d.buf().retainedSlice(payloadOffset, udp.payloadLength()),
                        dialled.localAddress(), peer));
                return;
            }
        }
        if (ip.dst() == config.gateway()) {
            counters.drop(Layer.UDP, "port-unreachable");
            link.gateway().sendIcmpError(d, IcmpPacket.TYPE_DEST_UNREACHABLE, IcmpPacket.CODE_PORT_UNREACHABLE, 0,
                    ip.dst());
            return;
        }
        nat(d, udp, payloadOffset);
    }

    private void dhcp(Ipv4Datagram d, int offset, int length) {
        var counters = link.gateway().counters();
        DhcpRepr request;
        switch (DhcpRepr.parse(d.buf(), offset, length)) {
            case Parsed.Refused<DhcpRepr>(var reason) -> {
                counters.drop(Layer.DHCP, reason.label());
                return;
            }
            case Parsed.Ok<DhcpRepr>(var value) -> request = value;
        }
        counters.in(Layer.DHCP, length);
        var reply = dhcp.handle(request);
        if (reply == null) {
            return;
        }
        int size = reply.emittedLength();
        var out = link.gateway().alloc().directBuffer(size, size);
        reply.emit(out, 0);
        out.writerIndex(size);
        counters.out(Layer.DHCP, size);
        var gatewayIp = link.gateway().config().gateway();
        link.gateway().sendUdp(gatewayIp, DhcpPacket.SERVER_PORT, DhcpServer.destination(request, reply),
                DhcpPacket.CLIENT_PORT, out, request.chaddr());
    }

    private void nat(Ipv4Datagram d, UdpRepr udp, int payloadOffset) {
        var ip = d.ip();
        var counters = link.gateway().counters();
        var key = new FlowKey(ip.src(), udp.srcPort(), ip.dst(), udp.dstPort());
        long now = System.nanoTime();
        var flow = flows.get(key);
        if (flow == null) {
            flow = open(key, now);
            if (flow == null) {
                link.gateway().sendIcmpError(d, IcmpPacket.TYPE_DEST_UNREACHABLE, IcmpPacket.CODE_NET_UNREACHABLE,
                        0, config().gateway());
                return;
            }
        }
        flow.lastActive = now;
        flow.quote = quoteBytes(d);
        flow.send(d.buf().retainedSlice(payloadOffset, udp.payloadLength()));
    }

    private dev.gangway.stack.NetworkConfig config() {
        return link.gateway().config();
    }

    private UdpFlow open(FlowKey key, long now) {
        var counters = link.gateway().counters();
        if (flows.size() >= maxFlows) {
            var eldest = flows.entrySet().iterator().next();
            flows.remove(eldest.getKey());
            eldest.getValue().channel.close();
            counters.drop(Layer.NAT, "flow-evicted");
        }
        int target = key.guestVisibleDst() == config().hostAlias() ? HOST_LOOPBACK : key.guestVisibleDst();
        var flow = new UdpFlow(this, key, now);
        ChannelFuture connect = new Bootstrap()
                .group(link.loop())
                .channelFactory(hostChannels)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536))
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .handler(flow)
                .connect(new InetSocketAddress(Ipv4Address.toInet(target), key.dstPort()));
        flow.channel = connect.channel();
        if (connect.isDone() && !connect.isSuccess()) {
            counters.drop(Layer.NAT, "connect-failed");
            return null;
        }
        connect.addListener(f -> flow.connected(f.isSuccess()));
        flows.put(key, flow);
        flow.channel.closeFuture().addListener(f -> {
            if (flows.get(key) == flow) {
                flows.remove(key);
            }
        });
        return flow;
    }

    private static byte[] quoteBytes(Ipv4Datagram d) {
        if (d.headerOffset() < 0) {
            return null;
        }
        int length = d.ip().headerLength() + Math.min(8, d.payloadLength());
        var bytes = new byte[length];
        d.buf().getBytes(d.headerOffset(), bytes);
        return bytes;
    }

    @Override
    public void tick(long now) {
        var idle = new ArrayList<UdpFlow>();
        for (var flow : flows.values()) {
            if (now - flow.lastActive >= idleNanos) {
                idle.add(flow);
            }
        }
        for (var flow : idle) {
            flows.remove(flow.key);
            flow.channel.close();
            link.gateway().counters().drop(Layer.NAT, "flow-idle");
        }
    }

    @Override
    public void close() {
        closed = true;
        for (var flow : new ArrayList<>(flows.values())) {
            flow.channel.close();
        }
        flows.clear();
        for (var channel : new ArrayList<>(services.values())) {
            channel.close();
        }
        for (var channel : new ArrayList<>(dials.values())) {
            channel.close();
        }
        services.clear();
        dials.clear();
    }
}
