package dev.gangway.integration.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gangway.integration.netns.NamespaceGuest;
import dev.gangway.stack.service.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.net.ConnectException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service API over TCP with the guest kernel as peer: a service bound on the gateway answers the
 * guest's connections as stream channels with half-close; a dial opens a connection into the guest and
 * fails with "connection refused" when nothing listens there.
 */
class TcpServicesIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500));

    /** Echoes, and shuts its output down after the guest's FIN (half-close). */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.flush();
                ((DuplexChannel) ctx.channel()).shutdownOutput();
            }
        }
    }

    @Test
    void serviceOnTheGatewayEchoesWithHalfClose() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("socat"), "socat");
        var gateway = InetAddress.getByName("192.168.65.1");
        try (var binding = guest.stack().services().listen(gateway, 7777, Protocol.TCP, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                ch.pipeline().addLast(new Echo());
            }
        })) {
            var result = guest.exec("head -c 300000 /dev/urandom > " + guest.dir().resolve("svc.bin") + "; socat -t 30 - "
                    + "TCP:192.168.65.1:7777 < " + guest.dir().resolve("svc.bin") + " | cmp - " + guest.dir().resolve("svc.bin")
                    + " && echo same");
            assertThat(result.output()).as(result.output()).contains("same");
            var closed = guest.exec("echo x | socat -T 5 - TCP:192.168.65.1:7778");
            assertThat(closed.output()).contains("Connection refused");
        }
    }

    @Test
    void dialReachesAListenerInTheGuest() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("socat"), "socat");
        var started = guest.exec("setsid socat TCP-LISTEN:9000,reuseaddr SYSTEM:'tr a-z A-Z' </dev/null >/dev/null 2>&1 &"
                + " sleep 1");
        assertThat(started.exitCode()).isZero();
        var received = new CompletableFuture<String>();
        var text = new StringBuilder();
        var future = guest.stack().services().dial(InetAddress.getByName("192.168.65.2"), 9000, Protocol.TCP);
        var channel = future.get(30, TimeUnit.SECONDS);
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                var buf = (ByteBuf) msg;
                text.append(buf.toString(StandardCharsets.US_ASCII));
                buf.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    received.complete(text.toString());
                    ctx.close();
                }
            }
        });
        channel.writeAndFlush(channel.alloc().buffer().writeBytes("hello guest".getBytes(StandardCharsets.US_ASCII)));
        ((DuplexChannel) channel).shutdownOutput();
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo("HELLO GUEST");
    }

    @Test
    void dialToAClosedGuestPortIsRefused() {
        var future = guest.stack().services().dial(guest.stack().gateway().config() == null ? null
                : inet("192.168.65.2"), 9001, Protocol.TCP);
        assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ConnectException.class).hasMessageContaining("refused");
    }

    private static InetAddress inet(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
