package dev.gangway.forward.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a spliced stream: what this channel reads is written to its peer.
 *
 * <p>Buffers are passed on as they are (no copy); the peer's write releases them. Reading is paused
 * ({@code AUTO_READ} off) and resumed only when the peer is writable, so a slow reader on either side
 * holds the other side's reads back instead of growing a queue. A half-close (FIN) is carried as
 * {@code shutdownOutput()} on the peer once everything before it has been written; when both directions
 * have ended, both channels close. A reset or error on one side resets the other.
 */
final class StreamRelay extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamRelay.class);

    private final Channel peer;
    private final LongAdder bytes;
    private StreamRelay partner;
    private volatile boolean inputEnded;

    private StreamRelay(Channel peer, LongAdder bytes) {
        this.peer = peer;
        this.bytes = bytes;
    }

    /**
     * Joins a host client channel and a dialed guest channel, both with reading paused, and starts reading.
     * Runs on the host channel's event loop.
     *
     * @param early      what the host channel delivered before the guest was dialed (epoll reads once on a
     *                   peer's FIN even with reading paused); replayed in order, then released by the relay
     * @param hostEnded  whether the host client's FIN was among it
     */
    static void splice(Channel host, Channel guest, RelayCounters counters, java.util.List<Object> early,
                       boolean hostEnded) {
        var toGuest = new StreamRelay(guest, counters.bytesToGuest);
        var fromGuest = new StreamRelay(host, counters.bytesFromGuest);
        toGuest.partner = fromGuest;
        fromGuest.partner = toGuest;
        guest.pipeline().addLast("relay", fromGuest);
        host.pipeline().addLast("relay", toGuest);
        var ctx = host.pipeline().context(toGuest);
        for (var msg : early) {
            toGuest.channelRead(ctx, msg);
        }
        if (hostEnded) {
            toGuest.userEventTriggered(ctx, ChannelInputShutdownEvent.INSTANCE);
        } else if (host.isActive()) {
            host.read();
        }
        if (!early.isEmpty()) {
            guest.flush();
        }
        guest.read();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            closeWhenFlushed(peer);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytes.add(buf.readableBytes());
            peer.write(buf, peer.voidPromise());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable() && !inputEnded) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This channel drained below its low-water mark: the peer, which writes into it, may read again.
        if (ctx.channel().isWritable() && !partner.inputEnded && peer.isActive()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded = true;
            halfClosePeer(ctx.channel());
        } else if (!(evt instanceof ChannelInputShutdownReadComplete)) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void halfClosePeer(Channel self) {
        if (!(peer instanceof DuplexChannel duplex) || !peer.isActive()) {
            closeWhenFlushed(peer);
            return;
        }
        // shutdownOutput() fails writes still queued, so it waits for everything before it to be written.
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (!written.isSuccess()) {
                self.close();
                peer.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess() || partner.inputEnded) {
                    self.close();
                    peer.close();
                }
            });
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeWhenFlushed(peer);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("{}: {}; resetting {}", ctx.channel(), cause.toString(), peer, cause);
            reset(peer);
        } else {
            LOG.warn("{}: relay failed; closing both sides", ctx.channel(), cause);
            peer.close();
        }
        ctx.close();
    }

    static void closeWhenFlushed(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** Closes {@code channel} with an RST where it is a TCP socket, so its client sees a reset, not a FIN. */
    static void reset(Channel channel) {
        if (channel instanceof SocketChannel && channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                LOG.debug("{}: cannot set SO_LINGER 0: {}", channel, e.toString());
            }
        }
        channel.close();
    }
}
