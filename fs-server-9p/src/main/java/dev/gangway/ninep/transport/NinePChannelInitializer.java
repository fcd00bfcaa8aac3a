package dev.gangway.ninep.transport;

import dev.gangway.ninep.server.NinePServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * The 9P pipeline for any stream channel: a host TCP or unix socket, or a connection the virtual network
 * stack accepted on the gateway's port 564. Decoder, then the handler that owns the session; replies are
 * written as ready-made frames by the session.
 */
public final class NinePChannelInitializer extends ChannelInitializer<Channel> {
    private final NinePServer server;
    private final int maxFrame;

    public NinePChannelInitializer(NinePServer server, int maxFrame) {
        this.server = server;
        this.maxFrame = maxFrame;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast("9p-frames", new NinePFrameDecoder(maxFrame));
        ch.pipeline().addLast("9p-server", new NinePServerHandler(server));
    }
}
