package dev.gangway.stack.udp;

import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.IcmpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One guest UDP flow (guest address and port to one destination) carried by a connected host datagram
 * channel on the link's loop. Replies go back to the guest from the destination's guest-visible address;
 * a refusal reported by the host becomes an ICMP port unreachable quoting the guest's last datagram.
 */
final class UdpFlow extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(UdpFlow.class);
    /** Host errors are logged at most once per 10 s, whatever the guest does. */
    private static final AtomicLong LAST_LOG = new AtomicLong(System.nanoTime() - 20_000_000_000L);
    final UdpLink link;
    final UdpLink.FlowKey key;
    Channel channel;
    long lastActive;
    byte[] quote;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private boolean ready;

    /** Datagrams held while the host channel connects; more are dropped. */
    static final int MAX_PENDING = 16;

    UdpFlow(UdpLink link, UdpLink.FlowKey key, long now) {
        this.link = link;
        this.key = key;
        this.lastActive = now;
    }

    /** Sends one datagram payload to the host (ownership taken), or holds it until connected. */
    void send(ByteBuf payload) {
        var counters = link.link().gateway().counters();
        if (!ready) {
            if (pending.size() >= MAX_PENDING || !channel.isOpen()) {
                counters.drop(Layer.NAT, "host-not-ready");
                payload.release();
            } else {
                pending.add(payload);
            }
            return;
        }
        if (!channel.isActive() || !channel.isWritable()) {
            counters.drop(Layer.NAT, channel.isActive() ? "host-congested" : "host-closed");
            payload.release();
            return;
        }
        counters.out(Layer.NAT, payload.readableBytes());
        channel.writeAndFlush(payload, channel.voidPromise());
    }

    /** The host channel's connect finished. */
    void connected(boolean success) {
        if (!success) {
            link.link().gateway().counters().drop(Layer.NAT, "connect-failed");
            pending.forEach(ByteBuf::release);
            pending.clear();
            channel.close();
            return;
        }
        ready = true;
        ByteBuf payload;
        while ((payload = pending.poll()) != null) {
            send(payload);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.forEach(ByteBuf::release);
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        lastActive = System.nanoTime();
        var gateway = link.link().gateway();
        gateway.counters().in(Layer.NAT, packet.content().readableBytes());
        gateway.sendUdp(key.guestVisibleDst(), key.dstPort(), key.guestIp(), key.guestPort(), packet.content(), null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        var gateway = link.link().gateway();
        int code;
        if (cause instanceof PortUnreachableException) {
            code = IcmpPacket.CODE_PORT_UNREACHABLE;
        } else if (cause instanceof NoRouteToHostException) {
            code = IcmpPacket.CODE_HOST_UNREACHABLE;
        } else if (cause instanceof IOException && String.valueOf(cause.getMessage()).contains("unreachable")) {
            code = IcmpPacket.CODE_NET_UNREACHABLE;
        } else {
            gateway.counters().drop(Layer.NAT, "host-error");
            long now = System.nanoTime();
            long last = LAST_LOG.get();
            if (now - last > 10_000_000_000L && LAST_LOG.compareAndSet(last, now)) {
                LOG.warn("udp: host channel of flow {} failed: {}", key, cause.toString());
            }
            return;
        }
        gateway.counters().drop(Layer.NAT, "host-unreachable");
        if (quote != null) {
            gateway.sendIcmp(key.guestVisibleDst(), key.guestIp(), IcmpPacket.TYPE_DEST_UNREACHABLE, code, 0,
                    Unpooled.wrappedBuffer(quote));
        }
    }
}
