package dev.gangway.stack.icmp;

import dev.gangway.posix.IcmpSocket;
import dev.gangway.posix.PosixException;
import dev.gangway.stack.iface.GuestLink;
import dev.gangway.stack.iface.Ipv4Datagram;
import dev.gangway.stack.iface.LinkTransport;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.IcmpPacket;
import dev.gangway.stack.wire.IcmpRepr;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.Parsed;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICMP of one guest link. Echo requests to the gateway are answered here. Echo requests to the host
 * alias or beyond the subnet are re-originated through an unprivileged host ICMP echo socket per
 * (guest, identifier, destination) flow: the kernel sends a real echo and delivers only its replies,
 * which go back to the guest with the guest's identifier restored. Nothing is answered that the host
 * did not answer. Other ICMP messages from guests are counted and dropped.
 */
final class IcmpLink implements LinkTransport {
    private static final Logger LOG = LoggerFactory.getLogger(IcmpLink.class);
    private static final AtomicBoolean DENIED_LOGGED = new AtomicBoolean();
    private static final int HOST_LOOPBACK = Ipv4Address.parse("127.0.0.1");

    private record Key(int guestIp, int ident, int dst) {
    }

    private final class EchoFlow extends ChannelInboundHandlerAdapter {
        final Key key;
        DatagramChannel channel;
        long lastActive;

        EchoFlow(Key key) {
            this.key = key;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof DatagramPacket packet)) {
                    return;
                }
                var content = packet.content();
                int length = content.readableBytes();
                if (length < IcmpPacket.HEADER_LENGTH) {
                    link.gateway().counters().drop(Layer.ICMP, "host-truncated");
                    return;
                }
                var view = new IcmpPacket(content, content.readerIndex());
                if (view.type() != IcmpPacket.TYPE_ECHO_REPLY) {
                    return;
                }
                lastActive = System.nanoTime();
                link.gateway().counters().in(Layer.NAT, length);
                int rest = (key.ident << 16) | view.sequence();
                link.gateway().sendIcmp(key.dst, key.guestIp, IcmpPacket.TYPE_ECHO_REPLY, 0, rest,
                        content.retainedSlice(content.readerIndex() + IcmpPacket.HEADER_LENGTH,
                                length - IcmpPacket.HEADER_LENGTH));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            link.gateway().counters().drop(Layer.ICMP, "host-error");
        }
    }

    private final GuestLink link;
    private final IntFunction<DatagramChannel> socketChannels;
    private final LinkedHashMap<Key, EchoFlow> flows = new LinkedHashMap<>(16, 0.75f, true);

    IcmpLink(GuestLink link, IntFunction<DatagramChannel> socketChannels) {
        this.link = link;
        this.socketChannels = socketChannels;
    }

    @Override
    public void receive(Ipv4Datagram d) {
        var gateway = link.gateway();
        var counters = gateway.counters();
        var ip = d.ip();
        IcmpRepr icmp;
        switch (IcmpRepr.parse(d.buf(), d.payloadOffset(), d.payloadLength())) {
            case Parsed.Refused<IcmpRepr>(var reason) -> {
                counters.drop(Layer.ICMP, reason.label());
                return;
            }
            case Parsed.Ok<IcmpRepr>(var value) -> icmp = value;
        }
        counters.in(Layer.ICMP, d.payloadLength());
        if (icmp.type() != IcmpPacket.TYPE_ECHO_REQUEST || icmp.code() != 0) {
            counters.drop(Layer.ICMP, "unsupported-type");
            return;
        }
        var config = gateway.config();
        if (ip.dst() == Ipv4Address.BROADCAST || ip.dst() == config.broadcast()) {
            counters.drop(Layer.ICMP, "broadcast-echo");
            return;
        }
        ByteBuf body = d.buf().retainedSlice(d.payloadOffset() + IcmpPacket.HEADER_LENGTH, icmp.bodyLength());
        if (ip.dst() == config.gateway()) {
            gateway.sendIcmp(ip.dst(), ip.src(), IcmpPacket.TYPE_ECHO_REPLY, 0, icmp.rest(), body);
            return;
        }
        relay(ip.src(), ip.dst(), icmp, body);
    }

    private void relay(int guestIp, int dst, IcmpRepr icmp, ByteBuf body) {
        var counters = link.gateway().counters();
        var key = new Key(guestIp, icmp.ident(), dst);
        var flow = flows.get(key);
        if (flow == null) {
            flow = open(key);
            if (flow == null) {
                body.release();
                return;
            }
        }
        flow.lastActive = System.nanoTime();
        var channel = flow.channel;
        if (!channel.isActive() || !channel.isWritable()) {
            counters.drop(Layer.ICMP, "host-congested");
            body.release();
            return;
        }
        var header = link.gateway().alloc().directBuffer(IcmpPacket.HEADER_LENGTH, IcmpPacket.HEADER_LENGTH);
        var view = new IcmpPacket(header, 0);
        view.setType(IcmpPacket.TYPE_ECHO_REQUEST);
        view.setCode(0);
        view.setChecksum(0);
        view.setIdent(icmp.ident());
        view.setSequence(icmp.sequence());
        header.writerIndex(IcmpPacket.HEADER_LENGTH);
        var message = link.gateway().alloc().directBuffer(IcmpPacket.HEADER_LENGTH + body.readableBytes());
        message.writeBytes(header).writeBytes(body);
        header.release();
        body.release();
        int target = dst == link.gateway().config().hostAlias() ? HOST_LOOPBACK : dst;
        counters.out(Layer.NAT, message.readableBytes());
        channel.writeAndFlush(new DatagramPacket(message, new InetSocketAddress(Ipv4Address.toInet(target), 0)),
                channel.voidPromise());
    }

    private EchoFlow open(Key key) {
        var counters = link.gateway().counters();
        if (socketChannels == null) {
            counters.drop(Layer.ICMP, "no-echo-sockets");
            return null;
        }
        int fd;
        try {
            fd = IcmpSocket.open();
        } catch (PosixException e) {
            counters.drop(Layer.ICMP, "echo-socket-denied");
            if (DENIED_LOGGED.compareAndSet(false, true)) {
                LOG.warn("icmp: cannot open a host echo socket ({}); widen net.ipv4.ping_group_range to include "
                        + "this process's group to relay ping", e.getMessage());
            }
            return null;
        }
        if (flows.size() >= link.gateway().config().maxIcmpFlows()) {
            var eldest = flows.entrySet().iterator().next();
            flows.remove(eldest.getKey());
            eldest.getValue().channel.close();
            counters.drop(Layer.ICMP, "flow-evicted");
        }
        var flow = new EchoFlow(key);
        flow.channel = socketChannels.apply(fd);
        flow.channel.pipeline().addLast(flow);
        link.loop().register(flow.channel);
        flows.put(key, flow);
        return flow;
    }

    @Override
    public void tick(long now) {
        long idle = link.gateway().config().udpIdleTimeout().toNanos();
        var expired = new ArrayList<Key>();
        flows.forEach((key, flow) -> {
            if (now - flow.lastActive >= idle) {
                expired.add(key);
            }
        });
        for (var key : expired) {
            flows.remove(key).channel.close();
        }
    }

    @Override
    public void close() {
        flows.values().forEach(flow -> flow.channel.close());
        flows.clear();
    }
}
