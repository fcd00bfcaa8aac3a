package dev.gangway.stack.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class VirtualDatagramChannelTest {
    private static final DefaultEventLoopGroup GROUP = new DefaultEventLoopGroup(1);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress("192.168.65.1", 53);
    private static final InetSocketAddress GUEST = new InetSocketAddress("192.168.65.2", 40000);

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Records what the channel transmits, as the stack would receive it. */
    static final class Recorder implements DatagramTransmitter {
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public boolean transmit(InetSocketAddress source, InetSocketAddress destination, ByteBuf payload) {
            sent.add(source + ">" + destination + ":" + payload.toString(StandardCharsets.US_ASCII));
            payload.release();
            return true;
        }

        @Override
        public void closed(VirtualDatagramChannel channel) {
            closed = true;
        }
    }

    @Test
    void echoesThroughAnOrdinaryDatagramHandler() throws Exception {
        var recorder = new Recorder();
        var channel = new VirtualDatagramChannel(recorder, GATEWAY, null);
        channel.pipeline().addLast(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        ctx.writeAndFlush(new DatagramPacket(msg.content().retain(), msg.sender()));
                    }
                });
            }
        });
        GROUP.next().register(channel).sync();
        channel.eventLoop().submit(() -> channel.deliver(new DatagramPacket(
                Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), GATEWAY, GUEST))).sync();
        channel.eventLoop().submit(() -> { }).sync();
        assertThat(recorder.sent).containsExactly("/192.168.65.1:53>/192.168.65.2:40000:hello");
        channel.close().sync();
        assertThat(recorder.closed).isTrue();
    }

    @Test
    void boundsTheQueueWhileNotReading() throws Exception {
        var recorder = new Recorder();
        var channel = new VirtualDatagramChannel(recorder, GATEWAY, null);
        channel.config().setAutoRead(false);
        var seen = new CopyOnWriteArrayList<String>();
        channel.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                seen.add(msg.content().toString(StandardCharsets.US_ASCII));
            }
        });
        GROUP.next().register(channel).sync();
        channel.eventLoop().submit(() -> {
            for (int i = 0; i < VirtualDatagramChannel.MAX_QUEUED + 10; i++) {
                channel.deliver(new DatagramPacket(Unpooled.copiedBuffer("d" + i, StandardCharsets.US_ASCII),
                        GATEWAY, GUEST));
            }
        }).sync();
        assertThat(channel.dropped()).isEqualTo(10);
        channel.read();
        // The read is served by a task the channel schedules on its loop: wait for it, then make sure
        // one read delivered exactly one datagram.
        await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
        channel.eventLoop().submit(() -> { }).sync();
        assertThat(seen).containsExactly("d0");
        channel.close().sync();
        assertThat(channel.dropped()).isEqualTo(10);
    }

    @Test
    void connectedChannelSendsPlainBuffersToItsPeer() throws Exception {
        var recorder = new Recorder();
        var channel = new VirtualDatagramChannel(recorder, new InetSocketAddress("192.168.65.254", 50000), GUEST);
        GROUP.next().register(channel).sync();
        channel.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII)).sync();
        assertThat(recorder.sent).containsExactly("/192.168.65.254:50000>/192.168.65.2:40000:ping");
        channel.close().sync();
    }
}
