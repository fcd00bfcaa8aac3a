package dev.gangway.stack.link;

import dev.gangway.posix.Netns;
import dev.gangway.posix.PosixException;
import dev.gangway.posix.TapDevice;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.codec.LengthFieldPrepender;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The guest side of a namespace guest: a TAP interface (optionally created inside a network namespace)
 * whose frames are carried to a stack's QEMU-framed stream link, and back. The socket side runs on a
 * Netty loop. With epoll the TAP descriptor is polled by that same loop (registered as an I/O handle): a
 * frame from the guest is written to the socket without crossing threads, and a wakeup's frames leave in
 * one flush. Without epoll one platform thread reads the TAP with blocking reads. Frames the socket
 * cannot take right now (the stack is not reading) are dropped and counted, as a NIC would.
 */
public final class TapBridge implements AutoCloseable {
    private static final int MAX_FRAME = 65535 + 18;

    private final TapDevice tap;
    private final EventLoopGroup group;
    private final Channel channel;
    private final Consumer<String> events;
    private final LongAdder dropped = new LongAdder();
    private final Thread reader;
    private volatile boolean closed;

    private TapBridge(TapDevice tap, EventLoopGroup group, Channel channel, Consumer<String> events, boolean polled)
            throws IOException {
        this.tap = tap;
        this.group = group;
        this.channel = channel;
        this.events = events;
        if (polled) {
            this.reader = null;
            pollTap();
        } else {
            this.reader = Thread.ofPlatform().daemon().name("tap-" + tap.name()).start(this::readTap);
        }
        channel.closeFuture().addListener(f -> {
            if (!closed) {
                events.accept("tap-bridge: the stack closed the link");
            }
            close();
        });
    }

    /**
     * Opens TAP {@code ifname} (in namespace {@code netns}, or in the current one when {@code null})
     * and connects it to {@code connect} (a {@code qemu:unix:} or {@code qemu:tcp:} link).
     */
    public static TapBridge start(String netns, String ifname, LinkSpec connect, Consumer<String> events)
            throws IOException {
        if (connect.kind() != LinkSpec.Kind.QEMU_UNIX && connect.kind() != LinkSpec.Kind.QEMU_TCP) {
            throw new IllegalArgumentException("the tap bridge speaks QEMU stream framing: use qemu:unix:PATH or "
                    + "qemu:tcp:HOST:PORT, not " + connect);
        }
        TapDevice tap;
        try {
            boolean nonBlocking = Epoll.isAvailable();
            tap = netns == null ? TapDevice.open(ifname, nonBlocking)
                    : Netns.call("/run/netns/" + netns, () -> TapDevice.open(ifname, nonBlocking));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        boolean epoll = Epoll.isAvailable();
        var group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            var bootstrap = new Bootstrap().group(group)
                    .option(ChannelOption.SO_SNDBUF, LinkServer.SOCKET_BUFFER)
                    .option(ChannelOption.SO_RCVBUF, LinkServer.SOCKET_BUFFER)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, LinkServer.WATER_MARK)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new QemuStreamFrameDecoder(MAX_FRAME));
                            ch.pipeline().addLast(new LengthFieldPrepender(4));
                            ch.pipeline().addLast(new ToTap(tap));
                        }
                    });
            Channel channel;
            if (connect.kind() == LinkSpec.Kind.QEMU_UNIX) {
                if (!epoll) {
                    throw new IOException("unix socket links need the native epoll transport (Linux)");
                }
                channel = bootstrap.channel(EpollDomainSocketChannel.class)
                        .connect(new DomainSocketAddress(connect.path().toString())).sync().channel();
            } else {
                channel = bootstrap.channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                        .connect(new InetSocketAddress(connect.host(), connect.port())).sync().channel();
            }
            events.accept("tap-bridge: " + tap.name() + (netns == null ? "" : " in netns " + netns)
                    + " connected to " + connect);
            return new TapBridge(tap, group, channel, events, epoll);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tap.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            tap.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot connect to " + connect + ": " + e.getMessage(), e);
        }
    }

    private static final class ToTap extends SimpleChannelInboundHandler<ByteBuf> {
        private final TapDevice tap;
        private final MemorySegment buffer = Arena.ofAuto().allocate(MAX_FRAME);

        ToTap(TapDevice tap) {
            this.tap = tap;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws PosixException {
            int length = frame.readableBytes();
            if (frame.nioBufferCount() == 1 && frame.isDirect()) {
                tap.write(MemorySegment.ofBuffer(frame.nioBuffer()), length);
            } else {
                frame.getBytes(frame.readerIndex(), buffer.asSlice(0, length).asByteBuffer());
                tap.write(buffer, length);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Registers the TAP descriptor with the socket's epoll loop; each readiness drains what is waiting. */
    private void pollTap() throws IOException {
        var fd = new FileDescriptor(tap.fd());
        var buffer = Arena.ofAuto().allocate(MAX_FRAME);
        var handle = new EpollIoHandle() {
            @Override
            public FileDescriptor fd() {
                return fd;
            }

            @Override
            public void handle(IoRegistration registration, IoEvent event) {
                drainTap(buffer);
            }

            @Override
            public void close() {
                // The descriptor belongs to the TapDevice, which closes it.
            }
        };
        try {
            var registration = ((IoEventLoop) channel.eventLoop()).register(handle).sync().getNow();
            registration.submit(EpollIoOps.EPOLLIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while registering " + tap.name(), e);
        }
    }

    /** On the loop: reads the frames waiting on the TAP (a bounded batch; epoll calls again for more). */
    private void drainTap(MemorySegment buffer) {
        boolean any = false;
        for (int i = 0; i < 64 && !closed; i++) {
            int length = readFrame(buffer);
            if (length < 0) {
                break;
            }
            var frame = copyForLink(buffer, length);
            if (frame != null) {
                channel.write(frame, channel.voidPromise());
                any = true;
            }
        }
        if (any) {
            channel.flush();
        }
    }

    /** On the reader thread (no epoll): blocking reads, one flush per frame. */
    private void readTap() {
        var buffer = Arena.ofAuto().allocate(MAX_FRAME);
        while (!closed) {
            int length = readFrame(buffer);
            if (length < 0) {
                return;
            }
            var frame = copyForLink(buffer, length);
            if (frame != null) {
                channel.writeAndFlush(frame, channel.voidPromise());
            }
        }
    }

    /** One frame from the TAP; -1 when none is waiting (non-blocking), or when reading failed and the bridge closed. */
    private int readFrame(MemorySegment buffer) {
        try {
            return tap.read(buffer);
        } catch (PosixException e) {
            if (!closed) {
                events.accept("tap-bridge: reading " + tap.name() + " failed: " + e.getMessage());
                close();
            }
            return -1;
        }
    }

    /** The frame copied for the link, or null (dropped and counted, as a NIC would) when the link cannot take it now. */
    private ByteBuf copyForLink(MemorySegment buffer, int length) {
        if (!channel.isWritable()) {
            dropped.increment();
            return null;
        }
        var frame = channel.alloc().directBuffer(length, length);
        frame.writeBytes(buffer.asSlice(0, length).asByteBuffer());
        return frame;
    }

    /** Frames from the TAP dropped because the link was not writable. */
    public long dropped() {
        return dropped.sum();
    }

    public String interfaceName() {
        return tap.name();
    }

    /** Completes when the link to the stack closes. */
    public io.netty.channel.ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        channel.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        tap.close();
        if (reader != null) {
            reader.interrupt();
        }
    }
}
