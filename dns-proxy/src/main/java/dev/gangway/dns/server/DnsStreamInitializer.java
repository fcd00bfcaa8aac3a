package dev.gangway.dns.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a DNS stream (TCP) channel: idle timeout, 2-byte length framing both ways, then a {@link
 * DnsStreamHandler}.
 */
final class DnsStreamInitializer extends ChannelInitializer<Channel> {
    /** RFC 7766 §6.2.3 suggests closing idle client connections after some seconds. */
    static final int IDLE_SECONDS = 10;

    private final DnsServer server;

    DnsStreamInitializer(DnsServer server) {
        this.server = server;
    }

    @Override
    protected void initChannel(Channel ch) {
        int maxFrame = server.config().maxQuerySize() + 2;
        ch.pipeline().addLast(
                new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                new LengthFieldBasedFrameDecoder(maxFrame, 0, 2, 0, 2),
                new LengthFieldPrepender(2),
                new DnsStreamHandler(server));
    }
}
