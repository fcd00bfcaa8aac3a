package dev.gangway.ninep.transport;

import dev.gangway.ninep.server.NinePServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Host listeners for a {@link NinePServer}: TCP addresses and unix socket paths, all on one event loop
 * group (epoll when available, NIO otherwise; unix sockets need epoll). The event loops only move bytes;
 * file I/O runs on the server's virtual threads.
 */
public final class NinePListener implements AutoCloseable {
    private final NinePServer server;
    private final EventLoopGroup group;
    private final boolean epoll;
    private final List<Channel> channels = new ArrayList<>();
    private final List<Path> socketPaths = new ArrayList<>();

    public NinePListener(NinePServer server) {
        this.server = server;
        this.epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(2, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** Listens on a TCP address; returns the bound address (port 0 picks a free port). */
    public InetSocketAddress listenTcp(InetSocketAddress address) throws InterruptedException {
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        var ch = bind(type, address);
        return (InetSocketAddress) ch.localAddress();
    }

    /** Listens on a unix stream socket at {@code path} (a stale socket file there is replaced). */
    public void listenUnix(Path path) throws InterruptedException, IOException {
        if (!epoll) {
            throw new IOException("unix sockets need Netty's native epoll transport, which is not available");
        }
        Files.deleteIfExists(path);
        bind(EpollServerDomainSocketChannel.class, new DomainSocketAddress(path.toFile()));
        socketPaths.add(path);
    }

    private Channel bind(Class<? extends ServerChannel> type, SocketAddress address) throws InterruptedException {
        var ch = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childHandler(new NinePChannelInitializer(server, serverMaxFrame()))
                .bind(address).sync().channel();
        synchronized (channels) {
            channels.add(ch);
        }
        return ch;
    }

    private int serverMaxFrame() {
        return server.limits().maxMsize();
    }

    @Override
    public void close() {
        synchronized (channels) {
            channels.forEach(c -> c.close().syncUninterruptibly());
            channels.clear();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        for (var p : socketPaths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A socket file left behind is replaced on the next listen.
            }
        }
    }
}
