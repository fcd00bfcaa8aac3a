package dev.gangway.forward.dial;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * The socket flavour of an event loop group. Channels must match the group they are registered on, so the
 * forwarder asks {@link #of(EventLoopGroup)} rather than assuming.
 *
 * <p>The forwarder's own groups are NIO, not epoll, for a measured reason: in Netty 4.2.18's epoll transport,
 * once a half-closed channel's interest set becomes empty its descriptor is deleted from the epoll set but
 * still marked registered, so the next {@code EPOLL_CTL_MOD} (a pending write needing {@code EPOLLOUT}, or a
 * {@code read()}) fails with ENOENT and the channel's output is shut. A forwarded connection whose client
 * has sent FIN while the guest still streams a reply then loses the tail of it (seen as 11 MB missing in the
 * 1 GiB echo test through a veth). NIO has no such state. Groups handed in by a dialer are used as they
 * are; on epoll the same bug applies to them.
 */
public enum Transport {
    EPOLL,
    NIO;

    /** The transport for groups the forwarder creates itself: NIO (see the class comment for why not epoll). */
    public static Transport preferred() {
        return NIO;
    }

    /** The transport whose channels can be registered on {@code group}. */
    public static Transport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io && Epoll.isAvailable() && io.isIoType(EpollIoHandler.class)) {
            return EPOLL;
        }
        return NIO;
    }

    /** A new group of this transport with named daemon threads. */
    public EventLoopGroup newGroup(int threads, String name) {
        var factory = new DefaultThreadFactory(name, true);
        return switch (this) {
            case EPOLL -> new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory());
            case NIO -> new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory());
        };
    }

    public Class<? extends ServerChannel> serverSocketChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends Channel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends ServerChannel> serverDomainSocketChannel() {
        return this == EPOLL ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    }

    /** A datagram channel of the address family of {@code address} (no dual-stack surprises). */
    /**
     * A receive allocator for datagram channels that never truncates: Netty's default reads at most 2048
     * bytes of a datagram and silently drops the rest; a UDP payload can be 65507 bytes.
     */
    public static RecvByteBufAllocator wholeDatagrams() {
        return new FixedRecvByteBufAllocator(65536);
    }

    public Channel newDatagramChannel(InetAddress address) {
        var family = address instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        return this == EPOLL ? new EpollDatagramChannel(family) : new NioDatagramChannel(family);
    }

    /** The address type this transport's domain socket channels bind to. */
    public SocketAddress domainAddress(Path path) {
        return this == EPOLL ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
    }
}
