package dev.gangway.forward.relay;

import dev.gangway.forward.dial.GuestDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.dial.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Opens the host side of a forward: a TCP or unix listener whose clients are relayed into the guest, or a
 * UDP socket with a flow table. Every Netty channel is registered on the dialer's event loops; unix clients
 * are JDK channels on virtual threads (see {@link UnixBridge} for why).
 */
public final class HostListeners {
    /** Pending connections the kernel may queue per listener (the forward handles bursts of clients). */
    private static final int BACKLOG = 4096;

    private final GuestDialer dialer;
    private final Transport transport;
    private final SourceAddressPolicy sources;
    private final RelayLimits limits;

    public HostListeners(GuestDialer dialer, SourceAddressPolicy sources, RelayLimits limits) {
        this.dialer = dialer;
        this.transport = Transport.of(dialer.eventLoops());
        this.sources = sources;
        this.limits = limits;
    }

    /** Listens for TCP clients on {@code bind}; each is relayed to {@code guest}. */
    public CompletableFuture<Listener> tcp(InetSocketAddress bind, InetSocketAddress guest, RelayCounters counters) {
        return listening(new ServerBootstrap()
                .group(dialer.eventLoops(), dialer.eventLoops())
                .channel(transport.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(acceptor(() -> new StreamAcceptor(dialer, guest, sources, counters, limits)))
                .bind(bind));
    }

    /**
     * Listens for clients on the unix socket {@code path} (which must not exist); each is relayed to the
     * guest's TCP {@code guest} by a {@link UnixBridge}. The guest sees them as coming from the host alias.
     */
    public CompletableFuture<Listener> unix(Path path, InetSocketAddress guest, RelayCounters counters) {
        try {
            return CompletableFuture.completedFuture(
                    UnixListener.bind(path, dialer, guest, sources, counters, limits, BACKLOG));
        } catch (java.io.IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Pauses reading of each accepted client from its registration on, then adds a fresh acceptor (it holds
     * what arrives before the guest is dialed, so it is per client).
     */
    private static ChannelInitializer<Channel> acceptor(java.util.function.Supplier<StreamAcceptor> acceptor) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.config().setAutoRead(false);
                ch.pipeline().addLast("accept", acceptor.get());
            }
        };
    }

    /** Receives UDP datagrams on {@code bind}; each client address becomes one flow to {@code guest}. */
    public CompletableFuture<Listener> udp(InetSocketAddress bind, InetSocketAddress guest, RelayCounters counters) {
        return listening(new Bootstrap()
                .group(dialer.eventLoops())
                .channelFactory(() -> transport.newDatagramChannel(bind.getAddress()))
                .option(ChannelOption.RECVBUF_ALLOCATOR, Transport.wholeDatagrams())
                .handler(new DatagramRelay(dialer, guest, sources, counters, limits))
                .bind(bind));
    }

    private static CompletableFuture<Listener> listening(ChannelFuture bind) {
        var result = new CompletableFuture<Listener>();
        bind.addListener(f -> {
            if (f.isSuccess()) {
                result.complete(Listener.of(bind.channel()));
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }
}
