package dev.gangway.dns.upstream;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loops and host socket channel types the DNS proxy opens its own sockets with: native epoll on
 * Linux, NIO elsewhere.
 */
public record Transport(EventLoopGroup group, Class<? extends DatagramChannel> datagramChannel,
        Class<? extends SocketChannel> socketChannel, Class<? extends ServerSocketChannel> serverChannel,
        boolean epoll) implements AutoCloseable {

    public static Transport create(int threads, String name) {
        var factory = new DefaultThreadFactory(name, true);
        if (Epoll.isAvailable()) {
            return new Transport(new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory()),
                    EpollDatagramChannel.class, EpollSocketChannel.class, EpollServerSocketChannel.class, true);
        }
        return new Transport(new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory()),
                NioDatagramChannel.class, NioSocketChannel.class, NioServerSocketChannel.class, false);
    }

    /** {@code preferred} when it is one of ours (no thread hop), otherwise one of our loops. */
    public EventLoop loopFor(EventLoop preferred) {
        if (preferred != null && preferred.parent() == group) {
            return preferred;
        }
        return group.next();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
