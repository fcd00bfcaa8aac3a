package dev.gangway.forward.relay;

import dev.gangway.forward.dial.GuestDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A unix stream socket whose clients are carried to a guest TCP port through {@link UnixBridge}. Accepting
 * runs on a virtual thread; the guest side of each client is dialed like any forward. Clients appear to the
 * guest as the host alias.
 */
final class UnixListener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(UnixListener.class);

    private final ServerSocketChannel server;
    private final Path path;
    private final GuestDialer dialer;
    private final InetSocketAddress guest;
    private final SourceAddressPolicy sources;
    private final RelayCounters counters;
    private final RelayLimits limits;

    private UnixListener(ServerSocketChannel server, Path path, GuestDialer dialer, InetSocketAddress guest,
                         SourceAddressPolicy sources, RelayCounters counters, RelayLimits limits) {
        this.server = server;
        this.path = path;
        this.dialer = dialer;
        this.guest = guest;
        this.sources = sources;
        this.counters = counters;
        this.limits = limits;
    }

    static UnixListener bind(Path path, GuestDialer dialer, InetSocketAddress guest, SourceAddressPolicy sources,
                             RelayCounters counters, RelayLimits limits, int backlog) throws IOException {
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), backlog);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        var listener = new UnixListener(server, path, dialer, guest, sources, counters, limits);
        Thread.ofVirtual().name("gangway-unix-accept " + path).start(listener::acceptLoop);
        return listener;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("accepting on {} failed: {}", path, e.toString());
                }
                return;
            }
            accept(client);
        }
    }

    private void accept(SocketChannel client) {
        counters.accepted.increment();
        if (counters.active.sum() >= limits.maxConnections()) {
            counters.refused.increment();
            closeQuietly(client);
            return;
        }
        counters.active.increment();
        var loop = dialer.eventLoops().next();
        dialer.dialStream(guest, sources.sourceFor(null, guest), loop).addListener((Future<Channel> dialed) -> {
            if (!dialed.isSuccess()) {
                counters.dialFailures.increment();
                counters.active.decrement();
                LOG.debug("{}: guest {} unreachable: {}", path, guest, dialed.cause().toString());
                closeQuietly(client);
                return;
            }
            new UnixBridge(client, dialed.getNow(), counters).start();
        });
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing a refused unix client: {}", e.toString());
        }
    }

    @Override
    public SocketAddress localAddress() {
        return UnixDomainSocketAddress.of(path);
    }

    @Override
    public CompletableFuture<Void> close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", path, e.toString());
        }
        return CompletableFuture.completedFuture(null);
    }
}
