package dev.gangway.forward.dial;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A {@link GuestDialer} that dials ordinary host addresses: the "guest" is any address this host can reach
 * (a server in a network namespace behind a veth, another machine, or loopback). It is what tests and
 * standalone use run on until the userspace stack provides its own {@code dial}.
 *
 * <p>The source address cannot be presented: the host kernel chooses it, so the guest sees the host's own
 * address. Dialed channels are registered on the event loop of the host-side channel, so each forwarded
 * connection lives on one thread.
 */
public final class HostNetworkDialer implements GuestDialer, AutoCloseable {
    private final EventLoopGroup group;
    private final Transport transport;
    private final int connectTimeoutMillis;
    private final boolean ownsGroup;

    /** Dials on {@code group} (whose transport is detected) with the given connect timeout. */
    public HostNetworkDialer(EventLoopGroup group, Duration connectTimeout) {
        this(group, connectTimeout, false);
    }

    private HostNetworkDialer(EventLoopGroup group, Duration connectTimeout, boolean ownsGroup) {
        this.group = group;
        this.transport = Transport.of(group);
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.ownsGroup = ownsGroup;
    }

    /** A dialer with its own event loop group of the preferred transport; {@link #close()} shuts it down. */
    public static HostNetworkDialer create(int threads, Duration connectTimeout) {
        var transport = Transport.preferred();
        return new HostNetworkDialer(transport.newGroup(threads, "gangway-forward"), connectTimeout, true);
    }

    @Override
    public EventLoopGroup eventLoops() {
        return group;
    }

    @Override
    public Future<Channel> dialStream(InetSocketAddress guest, InetSocketAddress source, EventLoop loop) {
        var bootstrap = new Bootstrap()
                .group(loop == null ? group.next() : loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(emptyPipeline());
        return promiseOf(bootstrap.connect(guest));
    }

    @Override
    public Future<Channel> dialDatagram(InetSocketAddress guest, InetSocketAddress source, EventLoop loop) {
        var bootstrap = new Bootstrap()
                .group(loop == null ? group.next() : loop)
                .channelFactory(() -> transport.newDatagramChannel(guest.getAddress()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.RECVBUF_ALLOCATOR, Transport.wholeDatagrams())
                .handler(emptyPipeline());
        return promiseOf(bootstrap.connect(guest));
    }

    @Override
    public void close() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static ChannelInitializer<Channel> emptyPipeline() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                // The forwarder installs its own handlers once the channel is handed over.
            }
        };
    }

    private static Future<Channel> promiseOf(ChannelFuture connect) {
        Promise<Channel> promise = connect.channel().eventLoop().newPromise();
        connect.addListener(f -> {
            if (f.isSuccess()) {
                promise.setSuccess(connect.channel());
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }
}
