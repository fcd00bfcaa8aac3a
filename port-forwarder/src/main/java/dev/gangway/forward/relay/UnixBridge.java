package dev.gangway.forward.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unix-socket client joined to its guest stream: the client side is a JDK {@link SocketChannel} served by
 * two virtual threads (blocking I/O), the guest side a Netty channel on its event loop.
 *
 * <p>Why not a Netty domain socket: in Netty 4.2.18 NIO domain sockets cannot half-close (a client's FIN
 * closes the whole connection), and epoll ones lose their epoll registration once half-closed (see
 * {@link dev.gangway.forward.dial.Transport}). The Docker CLI half-closes its hijacked connections
 * ({@code docker exec -i}, attach), so this bridge keeps both halves independent.
 *
 * <p>Bounds: guest → client, the guest is read only while fewer than {@link #HIGH_WATER} bytes wait for the
 * client (plus at most one read batch); client → guest, the reader waits while the guest channel is not
 * writable. Buffers are passed to the guest channel as read (no copy on that side).
 */
final class UnixBridge {
    private static final Logger LOG = LoggerFactory.getLogger(UnixBridge.class);
    private static final int HIGH_WATER = 256 * 1024;
    private static final int READ_SIZE = 64 * 1024;
    private static final Object GUEST_ENDED = new Object();
    private static final Object CLOSED = new Object();

    private final SocketChannel client;
    private final Channel guest;
    private final RelayCounters counters;
    private final LinkedBlockingQueue<Object> toClient = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final Semaphore guestWritable = new Semaphore(0);
    private final AtomicInteger directionsEnded = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean guestPaused;

    UnixBridge(SocketChannel client, Channel guest, RelayCounters counters) {
        this.client = client;
        this.guest = guest;
        this.counters = counters;
    }

    void start() {
        guest.pipeline().addLast("unix-bridge", new GuestSide());
        guest.closeFuture().addListener(f -> toClient.add(CLOSED));
        Thread.ofVirtual().name("gangway-unix-to-guest").start(this::clientToGuest);
        Thread.ofVirtual().name("gangway-unix-to-client").start(this::guestToClient);
        guest.read();
    }

    private void clientToGuest() {
        try {
            while (!closed.get()) {
                ByteBuf buf = guest.alloc().ioBuffer(READ_SIZE);
                int n;
                try {
                    n = buf.writeBytes(client, READ_SIZE);
                } catch (IOException e) {
                    buf.release();
                    throw e;
                }
                if (n < 0) {
                    buf.release();
                    halfCloseGuest();
                    return;
                }
                counters.bytesToGuest.add(n);
                guestWritable.drainPermits();
                guest.writeAndFlush(buf, guest.voidPromise());
                while (!guest.isWritable() && guest.isActive()) {
                    guestWritable.tryAcquire(100, TimeUnit.MILLISECONDS);
                }
                if (!guest.isActive()) {
                    close();
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("unix client {}: {}", client, e.toString());
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    private void halfCloseGuest() {
        if (!(guest instanceof DuplexChannel duplex)) {
            close();
            return;
        }
        guest.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (written.isSuccess()) {
                duplex.shutdownOutput().addListener(shut -> ended());
            } else {
                close();
            }
        });
    }

    private void guestToClient() {
        try {
            while (true) {
                Object next = toClient.take();
                if (next == CLOSED) {
                    close();
                    return;
                }
                if (next == GUEST_ENDED) {
                    client.shutdownOutput();
                    ended();
                    continue;
                }
                var buf = (ByteBuf) next;
                int n = buf.readableBytes();
                try {
                    while (buf.isReadable()) {
                        buf.readBytes(client, buf.readableBytes());
                    }
                } finally {
                    buf.release();
                }
                if (queued.addAndGet(-n) < HIGH_WATER / 2 && guestPaused) {
                    guestPaused = false;
                    guest.read();
                }
            }
        } catch (IOException e) {
            LOG.debug("unix client {}: {}", client, e.toString());
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    private void ended() {
        if (directionsEnded.incrementAndGet() == 2) {
            close();
        }
    }

    /** Closes both sides once; buffers still queued are released on the guest's event loop. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        counters.active.decrement();
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing unix client: {}", e.toString());
        }
        guest.close().addListener(f -> guest.eventLoop().execute(() -> {
            Object m;
            while ((m = toClient.poll()) != null) {
                ReferenceCountUtil.release(m);
            }
            toClient.add(CLOSED);
        }));
    }

    /** The guest channel's handler: fills the queue to the client, pausing reads above the high-water mark. */
    private final class GuestSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf) || closed.get()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            counters.bytesFromGuest.add(buf.readableBytes());
            queued.addAndGet(buf.readableBytes());
            toClient.add(buf);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (queued.get() < HIGH_WATER) {
                ctx.read();
            } else {
                guestPaused = true;
                // The writer may have drained below the mark between the check and the flag.
                if (queued.get() < HIGH_WATER / 2) {
                    guestPaused = false;
                    ctx.read();
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                guestWritable.release();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                toClient.add(GUEST_ENDED);
            } else if (!(evt instanceof ChannelInputShutdownReadComplete)) {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("guest side of unix client {}: {}", client, cause.toString());
            close();
        }
    }
}
