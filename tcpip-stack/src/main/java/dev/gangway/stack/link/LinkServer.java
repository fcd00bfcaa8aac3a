package dev.gangway.stack.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening link: accepts guests on a unix or TCP stream socket (QEMU framing, or vmnet), or serves one
 * guest on a unix datagram socket (vfkit, QEMU dgram). Every accepted connection is a separate link on
 * one event loop of the group; a connection that sends garbage, stalls in the handshake or disconnects
 * is closed and counted, and the server goes on accepting.
 */
public final class LinkServer implements AutoCloseable {
    /** Host socket buffers for links: frames come in bursts as large as the guest's transmit queue. */
    static final int SOCKET_BUFFER = 4 << 20;
    /** Frames queued for a guest beyond this make the link unwritable; the stack then drops. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(2 << 20, 8 << 20);
    static final int HANDSHAKE_SECONDS = 10;

    private final LinkSpec spec;
    private final Channel channel;

    private LinkServer(LinkSpec spec, Channel channel) {
        this.spec = spec;
        this.channel = channel;
    }

    /** The listening (or, for datagrams, bound) channel; for tests. */
    Channel channel() {
        return channel;
    }

    public LinkSpec spec() {
        return spec;
    }

    /** The bound address (useful for {@code qemu:tcp:HOST:0}). */
    public java.net.SocketAddress localAddress() {
        return channel.localAddress();
    }

    /** Starts listening; fails with an IOException that names the address when it cannot. */
    public static LinkServer open(LinkSpec spec, LinkAcceptor acceptor, EventLoopGroup group, boolean epoll)
            throws IOException {
        var counter = new AtomicInteger();
        try {
            return switch (spec.kind()) {
                case QEMU_UNIX, QEMU_TCP, VPNKIT -> {
                    if (spec.kind() != LinkSpec.Kind.QEMU_TCP && !epoll) {
                        throw new IOException("unix socket links need the native epoll transport (Linux)");
                    }
                    var bootstrap = new ServerBootstrap()
                            .group(group)
                            .channel(spec.kind() == LinkSpec.Kind.QEMU_TCP
                                    ? (epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                                    : EpollServerDomainSocketChannel.class)
                            .childOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                            .childOption(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                            .childHandler(new ChannelInitializer<Channel>() {
                                @Override
                                protected void initChannel(Channel ch) {
                                    String name = spec + "#" + counter.incrementAndGet();
                                    acceptor.event("link accepted: " + name);
                                    if (spec.kind() == LinkSpec.Kind.VPNKIT) {
                                        ch.pipeline().addLast(new ReadTimeoutHandler(HANDSHAKE_SECONDS, TimeUnit.SECONDS));
                                        ch.pipeline().addLast("vmnet", new VmnetHandshake(acceptor, name,
                                                acceptor.maxFrameLength() - 18));
                                        ch.pipeline().addLast("handshake-errors", new HandshakeErrors(acceptor, name));
                                    } else {
                                        ch.pipeline().addLast("frames", new QemuStreamFrameDecoder(LinkAcceptor.MAX_WIRE_FRAME));
                                        ch.pipeline().addLast("length", new LengthFieldPrepender(4));
                                        ch.pipeline().addLast("port", acceptor.portHandler(name));
                                    }
                                }
                            });
                    java.net.SocketAddress address;
                    if (spec.kind() == LinkSpec.Kind.QEMU_TCP) {
                        address = new InetSocketAddress(spec.host(), spec.port());
                    } else {
                        removeStaleSocket(spec.path());
                        address = new DomainSocketAddress(spec.path().toString());
                    }
                    var bound = bootstrap.bind(address).sync().channel();
                    yield new LinkServer(spec, bound);
                }
                case VFKIT -> {
                    if (!epoll) {
                        throw new IOException("unix datagram links need the native epoll transport (Linux)");
                    }
                    removeStaleSocket(spec.path());
                    String name = spec.toString();
                    var bound = new Bootstrap()
                            .group(group)
                            .channel(EpollDomainDatagramChannel.class)
                            .option(ChannelOption.RECVBUF_ALLOCATOR,
                                    new FixedRecvByteBufAllocator(LinkAcceptor.MAX_WIRE_FRAME + 1))
                            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                            .handler(new ChannelInitializer<Channel>() {
                                @Override
                                protected void initChannel(Channel ch) throws IOException {
                                    // Netty's domain datagram config has no SO_RCVBUF; the socket itself does.
                                    // A burst of guest frames beyond the default (about 200 KiB) would be dropped.
                                    ((Socket) ((EpollDomainDatagramChannel) ch).fd()).setReceiveBufferSize(SOCKET_BUFFER);
                                    ch.pipeline().addLast("peer", new DatagramPeerHandler(acceptor, name));
                                    ch.pipeline().addLast("port", acceptor.portHandler(name));
                                }
                            })
                            .bind(new DomainSocketAddress(spec.path().toString())).sync().channel();
                    yield new LinkServer(spec, bound);
                }
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + spec, e);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + spec + ": " + e.getMessage(), e);
        }
    }

    private static void removeStaleSocket(Path path) throws IOException {
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            var attrs = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isOther()) {
                throw new IOException(path + " exists and is not a socket");
            }
            Files.delete(path);
        }
    }

    /** Turns handshake failures (garbage, timeout) into one event line and a closed connection. */
    private static final class HandshakeErrors extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final LinkAcceptor acceptor;
        private final String name;

        HandshakeErrors(LinkAcceptor acceptor, String name) {
            this.acceptor = acceptor;
            this.name = name;
        }

        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            acceptor.event("link error: " + name + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage()) + " (link closed)");
            ctx.close();
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (spec.path() != null) {
            try {
                Files.deleteIfExists(spec.path());
            } catch (IOException ignored) {
                // Already gone or not ours to remove; nothing depends on it.
            }
        }
    }
}
