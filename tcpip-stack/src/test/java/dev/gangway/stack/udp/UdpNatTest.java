package dev.gangway.stack.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.GuestClient;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import dev.gangway.stack.link.TestFrames;
import dev.gangway.stack.wire.DhcpOptions;
import dev.gangway.stack.wire.Ipv4Packet;
import dev.gangway.stack.wire.MacAddress;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UDP NAT against a real host echo socket on 127.0.0.1 (through the host alias): the flow bound
 * evicts the least recently used flow, idle flows close, and a guest that stops reading its link does not
 * make the stack buffer without bound (frames are dropped and counted).
 */
class UdpNatTest {
    static final MacAddress GUEST = MacAddress.parse("02:00:00:00:0a:01");

    @TempDir
    Path dir;

    static final class Echo implements AutoCloseable {
        final DatagramSocket socket;

        Echo() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofPlatform().daemon().start(() -> {
                var buffer = new byte[65536];
                while (!socket.isClosed()) {
                    var packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                        socket.send(new DatagramPacket(buffer, packet.getLength(), packet.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    static int lease(GuestClient guest) throws Exception {
        guest.send(TestFrames.dhcp(GUEST, DhcpOptions.DISCOVER, 1, 0));
        var offer = guest.await(f -> TestFrames.dhcpReply(f) != null, Duration.ofSeconds(10));
        return TestFrames.dhcpReply(offer).yiaddr();
    }

    static UdpLink udp(NetworkStack stack) {
        return stack.gateway().links().getFirst().transport(Ipv4Packet.PROTO_UDP, UdpLink.class);
    }

    static <T> T onLoop(NetworkStack stack, Callable<T> task) throws Exception {
        return stack.gateway().links().getFirst().loop().submit(task).get();
    }

    @Test
    void flowsAreBoundedAndCloseWhenIdle() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "unix socket links need native epoll (Linux)");
        var config = NetworkConfig.defaults().withUdp(Duration.ofSeconds(2), 4);
        try (var stack = NetworkStack.start(config, null, e -> { });
                var server = LinkServer.open(LinkSpec.parse("qemu:unix:" + dir.resolve("l.sock")), stack,
                        stack.group(), stack.epoll());
                var guest = GuestClient.qemu(dir.resolve("l.sock"));
                var echo = new Echo()) {
            int me = lease(guest);
            for (int port = 40000; port < 40010; port++) {
                guest.send(TestFrames.udp(GUEST, TestFrames.GATEWAY_MAC, me, TestFrames.ALIAS, port,
                        echo.socket.getLocalPort(), ("from " + port).getBytes(StandardCharsets.US_ASCII)));
                int expected = port;
                var reply = guest.await(f -> f.length > 42 && f[23] == 17
                        && ((f[36] & 0xFF) << 8 | (f[37] & 0xFF)) == expected, Duration.ofSeconds(10));
                assertThat(reply).as("echo to guest port %d", port).isNotNull();
                assertThat(TestFrames.toBytes(io.netty.buffer.Unpooled.wrappedBuffer(reply).slice(26, 4)))
                        .as("the reply comes from the host alias").containsExactly(192, 168, 65, 254);
                assertThat(onLoop(stack, () -> udp(stack).flowCount())).isLessThanOrEqualTo(4);
            }
            assertThat(stack.counters().drops("nat/flow-evicted")).isEqualTo(6);
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> onLoop(stack, () -> udp(stack).flowCount()) == 0);
        }
    }

    @Test
    void aGuestThatStopsReadingCostsBoundedMemory() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "unix socket links need native epoll (Linux)");
        try (var stack = NetworkStack.start(NetworkConfig.defaults(), null, e -> { });
                var server = LinkServer.open(LinkSpec.parse("qemu:unix:" + dir.resolve("s.sock")), stack,
                        stack.group(), stack.epoll());
                var stalled = SocketChannel.open(java.net.UnixDomainSocketAddress.of(dir.resolve("s.sock")));
                var binding = stack.services().listen(InetAddress.getByName("192.168.65.1"), 7,
                        dev.gangway.stack.service.Protocol.UDP, new io.netty.channel.ChannelInitializer<>() {
                            @Override
                            protected void initChannel(io.netty.channel.Channel ch) {
                                ch.pipeline().addLast(new io.netty.channel.SimpleChannelInboundHandler<
                                        io.netty.channel.socket.DatagramPacket>() {
                                    @Override
                                    protected void channelRead0(io.netty.channel.ChannelHandlerContext ctx,
                                            io.netty.channel.socket.DatagramPacket msg) {
                                        ctx.writeAndFlush(new io.netty.channel.socket.DatagramPacket(
                                                ctx.alloc().buffer(65000).writeZero(65000), msg.sender()));
                                    }
                                });
                            }
                        })) {
            // Each request makes the stack send 65000 bytes (45 fragments) the guest never reads: 1000
            // requests are 65 MB, far more than socket buffers and the link's write bound together.
            var request = TestFrames.udp(GUEST, TestFrames.GATEWAY_MAC, TestFrames.ALIAS - 200, TestFrames.GATEWAY,
                    40000, 7, new byte[8]);
            var framed = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).flip();
            for (int i = 0; i < 1000; i++) {
                framed.rewind();
                while (framed.hasRemaining()) {
                    stalled.write(framed);
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> stack.counters().framesIn(dev.gangway.stack.stats.Layer.UDP) >= 1000);
            assertThat(stack.counters().drops("link/link-congested")).as("%s", stack.counters().snapshot())
                    .isPositive();
            var link = stack.gateway().links().getFirst();
            assertThat(onLoop(stack, () -> link.channel().unsafe().outboundBuffer().totalPendingWriteBytes()))
                    .as("queued for the guest: the write bound plus at most one frame")
                    .isLessThanOrEqualTo((8L << 20) + 65553 + 64);
        }
    }
}
