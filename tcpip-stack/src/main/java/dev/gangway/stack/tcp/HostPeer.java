package dev.gangway.stack.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The host socket of a NAT connection, registered on the guest link's loop. Guest bytes are written to
 * it as slices of the guest's frames (flushed once per batch); what it reads goes to the
 * {@link Sender}'s queue. Reading pauses while that queue is full (the guest's window is closed) and
 * starts only once the guest completed the handshake.
 *
 * <p>The write-buffer water marks are a quarter and a half of the connection buffer: the window offered
 * to the guest is the buffer minus what waits here, and crossing the low mark again sends the guest a
 * window update.
 */
final class HostPeer extends ChannelInboundHandlerAdapter implements Peer {
    private final TcpConnection conn;
    private Channel channel;
    private boolean dirty;
    private boolean outputShut;
    private boolean inputShut;

    private HostPeer(TcpConnection conn) {
        this.conn = conn;
    }

    /** Connects to {@code target} for the guest's SYN; the handshake continues when the connect completes. */
    static void connect(TcpConnection conn, InetSocketAddress target) {
        var peer = new HostPeer(conn);
        var link = conn.link;
        int buffer = link.config().bufferBytes();
        var future = new Bootstrap()
                .group(link.loop())
                .channelFactory(link.hostChannels())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) link.config().connectTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(buffer / 4, buffer / 2))
                .handler(peer)
                .connect(target);
        peer.channel = future.channel();
        conn.peer = peer;
        future.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                Handshake.accepted(conn);
            } else if (conn.state == TcpConnection.State.CONNECTING) {
                Handshake.refuse(conn, f.cause());
            }
        });
    }

    @Override
    public void write(ByteBuf data) {
        if (outputShut || !channel.isActive()) {
            data.release();
            return;
        }
        channel.write(data, channel.voidPromise());
        dirty = true;
    }

    @Override
    public void flush() {
        if (dirty) {
            dirty = false;
            channel.flush();
        }
    }

    @Override
    public long pendingBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public void shutdownOutput() {
        if (outputShut) {
            return;
        }
        outputShut = true;
        // After the writes already queued: shutting down at once would discard them.
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (f.channel().isActive() && f.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            }
        });
    }

    @Override
    public void setReading(boolean reading) {
        // After the host's EOF there is nothing to read, and epoll refuses to re-arm the descriptor.
        if (channel.isOpen() && !inputShut) {
            channel.config().setAutoRead(reading);
        }
    }

    @Override
    public void close() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void abort() {
        if (channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException ignored) {
                // Not connected yet: a plain close is all there is.
            }
            channel.close();
        }
    }

    @Override
    public String describe() {
        return "host socket " + (channel.isActive() ? "active" : "inactive")
                + (channel.config().isAutoRead() ? " reading" : " paused") + (inputShut ? " eof" : "")
                + (outputShut ? " output-shut" : "") + " outbound=" + pendingBytes();
    }

    // ---- host socket events

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf data && conn.peer == this) {
            conn.peerData(data);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (conn.peer == this) {
            conn.peerReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && conn.peer == this) {
            inputShut = true;
            conn.peerEof();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && conn.peer == this) {
            conn.peerDrained();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (conn.peer == this) {
            conn.peerFailed(String.valueOf(cause.getMessage()));
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (conn.peer == this && conn.state != TcpConnection.State.CONNECTING) {
            conn.peerFailed("the host socket closed");
        }
    }
}
