package dev.gangway.dns.server;

import dev.gangway.dns.wire.Query;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves DNS on a datagram channel: each {@link DatagramPacket} is one query, answered with one datagram to
 * its sender. Replies written while a read batch is handled are flushed together at its end. Sharable: one
 * instance serves every datagram channel of a {@link DnsServer}.
 */
@ChannelHandler.Sharable
final class DnsDatagramHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DnsDatagramHandler.class);

    private final DnsServer server;

    DnsDatagramHandler(DnsServer server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            server.handle(packet.content(), new Sink(ctx, packet.sender(), server.config().maxUdpReply()));
        } catch (RuntimeException e) {
            // a bug, not the sender's fault: count it, say so (rate-limited) and serve the next datagram
            server.counters().internalErrors.increment();
            server.counters().badInput("internal error " + e, packet.sender());
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("dns: datagram channel {}: {}", ctx.channel(), cause.toString());
    }

    /** Replies to one datagram's sender. */
    private record Sink(ChannelHandlerContext ctx, InetSocketAddress sender, int maxUdpReply) implements ReplySink {
        @Override
        public ByteBufAllocator alloc() {
            return ctx.alloc();
        }

        @Override
        public EventLoop eventLoop() {
            return ctx.channel().eventLoop();
        }

        @Override
        public int maxReplySize(Query query) {
            return Math.max(512, Math.min(query.udpSize(), maxUdpReply));
        }

        @Override
        public void send(ByteBuf reply, boolean inline) {
            var packet = new DatagramPacket(reply, sender);
            if (inline) {
                ctx.write(packet, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(packet, ctx.voidPromise());
            }
        }

        @Override
        public void noReply() {
            // a datagram that gets no answer needs nothing more
        }

        @Override
        public Object peer() {
            return sender;
        }
    }
}
