package dev.gangway.launcher.wiring;

import dev.gangway.forward.dial.GuestDialer;
import dev.gangway.forward.dial.Transport;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.service.NetworkServices;
import dev.gangway.stack.service.Protocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.Objects;

/**
 * The forwarder's {@link GuestDialer} on top of the stack's {@link NetworkServices#dial}: a forwarded
 * connection becomes a TCP connection (or UDP flow) opened by the stack itself, so the guest sees the
 * source address the forwarder's {@link dev.gangway.forward.dial.SourceAddressPolicy} chose (the client's
 * own address, or the host alias {@code 192.168.65.254} for loopback and unix clients).
 *
 * <p>Threading: on a NIO stack {@link #eventLoops()} is the stack's group, so the forwarder's host sockets
 * are registered on the same loops as the guest links, and with one loop a forwarded flow never leaves that
 * thread. On an epoll stack the host sockets get a NIO loop of their own (see {@link #of} for the measured
 * reason). Dialed channels complete on the guest link's loop; the stack decides which, not the caller.
 *
 * <p>The channel is handed over as the contract asks: {@code AUTO_READ} off and half-closure allowed, set by
 * an initializer before the stack registers it, so what the guest sends before the forwarder takes the
 * channel over (its future may complete on the link's loop before the forwarder's listener runs) waits in
 * the channel, behind the window offered to the guest. The guest network is IPv4: an IPv6 guest address fails at once with
 * {@link NoRouteToHostException}, and a source the stack could not present (IPv6, or unspecified) is
 * replaced by the stack's default (the gateway with an ephemeral port).
 */
public final class StackDialer implements GuestDialer, AutoCloseable {
    private final NetworkServices services;
    private final EventLoopGroup loops;
    private final boolean ownsLoops;

    /** A dialer whose host side runs on {@code loops} (not closed by {@link #close()}). */
    public StackDialer(NetworkServices services, EventLoopGroup loops) {
        this(services, loops, false);
    }

    private StackDialer(NetworkServices services, EventLoopGroup loops, boolean ownsLoops) {
        this.services = Objects.requireNonNull(services, "services");
        this.loops = Objects.requireNonNull(loops, "loops");
        this.ownsLoops = ownsLoops;
    }

    /**
     * A dialer into the guests of {@code stack}. On a NIO stack the forwarder shares the stack's loops. On an
     * epoll stack it gets one NIO loop of its own, because Netty 4.2.18's epoll channels lose data once
     * half-closed: when a channel's interest set becomes empty (input shut down, no write waiting) its
     * descriptor is deleted from the epoll set while the registration still counts as added, so the next write
     * that has to wait fails ({@code epoll_ctl(MOD)}: ENOENT) and the rest of the stream is dropped. A
     * forwarded client that sent its request and FIN and then reads a long reply hits exactly that. The cost
     * is one thread hop per batch between the host socket and the guest connection.
     */
    public static StackDialer of(NetworkStack stack) {
        if (Transport.of(stack.group()) == Transport.NIO) {
            return new StackDialer(stack.services(), stack.group(), false);
        }
        return new StackDialer(stack.services(), Transport.NIO.newGroup(1, "gangway-forward"), true);
    }

    /** Shuts down the dialer's own loop, if it has one. */
    @Override
    public void close() {
        if (ownsLoops) {
            loops.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(5,
                    java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Override
    public EventLoopGroup eventLoops() {
        return loops;
    }

    @Override
    public Future<Channel> dialStream(InetSocketAddress guest, InetSocketAddress source, EventLoop loop) {
        return dial(guest, source, loop, Protocol.TCP);
    }

    @Override
    public Future<Channel> dialDatagram(InetSocketAddress guest, InetSocketAddress source, EventLoop loop) {
        return dial(guest, source, loop, Protocol.UDP);
    }

    private Future<Channel> dial(InetSocketAddress guest, InetSocketAddress source, EventLoop loop,
            Protocol protocol) {
        var executor = loop == null ? loops.next() : loop;
        if (!(guest.getAddress() instanceof Inet4Address)) {
            return executor.newFailedFuture(new NoRouteToHostException("the virtual network is IPv4 only: no route to "
                    + guest));
        }
        try {
            return services.dial(guest.getAddress(), guest.getPort(), protocol, presentable(source),
                    handover(protocol));
        } catch (RuntimeException e) {
            return executor.newFailedFuture(e);
        }
    }

    /**
     * Configures the channel before the stack registers it: the guest may answer the moment the handshake
     * completes, before the forwarder (on another thread) has even seen the future complete, so reading
     * starts paused and a FIN waits, as an input-shutdown event, behind the bytes before it.
     */
    private static ChannelInitializer<Channel> handover(Protocol protocol) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.config().setAutoRead(false);
                if (protocol == Protocol.TCP) {
                    channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                }
            }
        };
    }

    /** The source as the stack can present it: an IPv4 address that is not the wildcard, else the default. */
    private static InetSocketAddress presentable(InetSocketAddress source) {
        if (source == null || !(source.getAddress() instanceof Inet4Address v4) || v4.isAnyLocalAddress()) {
            return null;
        }
        return source;
    }
}
