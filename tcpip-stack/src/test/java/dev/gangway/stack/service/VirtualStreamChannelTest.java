package dev.gangway.stack.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection that ended while its owner was not reading still hands over every queued byte, then closes. */
class VirtualStreamChannelTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Idle implements StreamTransmitter {
        volatile boolean closed;

        @Override
        public boolean canTransmit() {
            return true;
        }

        @Override
        public void transmit(ByteBuf data) {
            data.release();
        }

        @Override
        public void transmitted() {
        }

        @Override
        public void outputShutdown() {
        }

        @Override
        public void consumed() {
        }

        @Override
        public void closed() {
            closed = true;
        }
    }

    @Test
    void closeWhenDrainedWaitsForTheOwnerToReadEverything() throws Exception {
        var transmitter = new Idle();
        var channel = new VirtualStreamChannel(transmitter, new InetSocketAddress("192.168.65.254", 40000),
                new InetSocketAddress("192.168.65.2", 80));
        List<Object> seen = new CopyOnWriteArrayList<>();
        channel.config().setAutoRead(false);
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                var data = (ByteBuf) msg;
                seen.add(data.toString(StandardCharsets.US_ASCII));
                data.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                seen.add(evt);
            }
        });
        loop.register(channel).sync();
        loop.submit(() -> {
            channel.deliver(Unpooled.copiedBuffer("one", StandardCharsets.US_ASCII));
            channel.deliver(Unpooled.copiedBuffer("two", StandardCharsets.US_ASCII));
            channel.deliverEof();
            channel.closeWhenDrained();
        }).sync();
        assertThat(channel.isOpen()).as("still holds unread bytes").isTrue();
        for (int i = 0; i < 3 && channel.isOpen(); i++) {
            loop.submit(() -> {
                channel.read();
            }).sync();
            loop.submit(() -> { }).sync();
        }
        assertThat(seen).startsWith("one", "two").contains(ChannelInputShutdownEvent.INSTANCE);
        assertThat(channel.isOpen()).isFalse();
        assertThat(transmitter.closed).isTrue();
    }

    @Test
    void aReadAskedForWhileDeliveringIsNotLost() throws Exception {
        var channel = new VirtualStreamChannel(new Idle(), new InetSocketAddress("192.168.65.254", 40001),
                new InetSocketAddress("192.168.65.2", 80));
        List<String> seen = new CopyOnWriteArrayList<>();
        channel.config().setAutoRead(false);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                var data = (ByteBuf) msg;
                seen.add(data.toString(StandardCharsets.US_ASCII));
                data.release();
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.read(); // what a relay does when its peer is still writable
            }
        });
        loop.register(channel).sync();
        loop.submit(() -> {
            for (var word : new String[] {"a", "b", "c"}) {
                channel.deliver(Unpooled.copiedBuffer(word, StandardCharsets.US_ASCII));
            }
            channel.read();
        }).sync();
        for (int i = 0; i < 10 && seen.size() < 3; i++) {
            loop.submit(() -> { }).sync();
        }
        assertThat(seen).containsExactly("a", "b", "c");
        loop.submit(() -> channel.close()).sync();
    }
}
