package dev.gangway.forward.relay;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/** The host side of one forward, listening: where it is bound and how to stop it. */
public interface Listener {
    /** The address actually bound (with the port the system chose when 0 was asked). */
    SocketAddress localAddress();

    /** Stops accepting (or receiving); connections in flight carry on until they end. */
    CompletableFuture<Void> close();

    /** A listener that is one Netty channel. */
    static Listener of(Channel channel) {
        return new Listener() {
            @Override
            public SocketAddress localAddress() {
                return channel.localAddress();
            }

            @Override
            public CompletableFuture<Void> close() {
                var done = new CompletableFuture<Void>();
                channel.close().addListener(f -> done.complete(null));
                return done;
            }
        };
    }
}
