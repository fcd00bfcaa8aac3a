package dev.gangway.stack.tcp;

import static dev.gangway.stack.tcp.TcpFuzzTest.GATEWAY;
import static dev.gangway.stack.tcp.TcpFuzzTest.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.GuestClient;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import dev.gangway.stack.service.Protocol;
import dev.gangway.stack.wire.TcpOptions;
import dev.gangway.stack.wire.TcpPacket;
import dev.gangway.stack.wire.TcpRepr;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both windows closed at once: a gateway service that does not read has let the guest fill the stack's
 * receive window, and the guest's own window stopped the service's bytes. The guest's next segment at
 * RCV.NXT carries data the stack cannot take, but its ACK and window must still count (RFC 9293
 * 3.10.7.4); otherwise each side waits for the other for ever.
 */
class ZeroWindowTest {
    static final int PORT = 7007;
    static final int GUEST_PORT = 40000;
    static final int GUEST_WINDOW = 1000;
    static final int BUFFER = 65536;

    @TempDir
    Path dir;

    static TcpRepr segment(int seq, int ack, int flags, int window) {
        // The SYN offers an MSS above the guest's window, so the window alone bounds what is sent.
        var options = flags == TcpPacket.SYN ? TcpOptions.syn(1460, -1, false, false, 0, 0) : TcpOptions.NONE;
        return new TcpRepr(GUEST_PORT, PORT, seq, ack, flags, window, options, 0, 0);
    }

    static int seq(byte[] f) {
        return Unpooled.wrappedBuffer(f).getInt(34 + 4);
    }

    static int ack(byte[] f) {
        return Unpooled.wrappedBuffer(f).getInt(34 + 8);
    }

    static int window(byte[] f) {
        return Unpooled.wrappedBuffer(f).getUnsignedShort(34 + 14);
    }

    static int payloadLength(byte[] f) {
        int ipLength = Unpooled.wrappedBuffer(f).getUnsignedShort(14 + 2);
        int headerLength = ((f[14] & 0x0F) + (f[34 + 12] >> 4 & 0x0F)) * 4;
        return ipLength - headerLength;
    }

    static boolean toGuest(byte[] f) {
        return f.length >= 54 && f[23] == 6 && ((f[34 + 2] & 0xFF) << 8 | (f[34 + 3] & 0xFF)) == GUEST_PORT;
    }

    @Test
    void aProbeIntoAClosedWindowStillDeliversItsAck() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "unix socket links need native epoll (Linux)");
        var config = NetworkConfig.defaults().withTcp(TcpConfig.defaults().withBufferBytes(BUFFER));
        try (var stack = NetworkStack.start(config, null, event -> { })) {
            var binding = stack.services().listen(InetAddress.getByName("192.168.65.1"), PORT, Protocol.TCP,
                    new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            // Never reads: what the guest sends stays queued and closes the window.
                            ch.config().setOption(ChannelOption.AUTO_READ, false);
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[8 * GUEST_WINDOW]));
                                }
                            });
                        }
                    });
            var server = LinkServer.open(LinkSpec.parse("qemu:unix:" + dir.resolve("zw.sock")), stack, stack.group(),
                    stack.epoll());
            try (server; binding; var guest = GuestClient.qemu(dir.resolve("zw.sock"))) {
                int ours = 5000;
                guest.send(frame(GATEWAY, segment(ours, 0, TcpPacket.SYN, GUEST_WINDOW), new byte[0], true));
                var synAck = guest.await(f -> toGuest(f) && (f[34 + 13] & 0x12) == 0x12, Duration.ofSeconds(10));
                assertThat(synAck).as("SYN-ACK").isNotNull();
                int theirs = seq(synAck) + 1;
                ours++;
                guest.send(frame(GATEWAY, segment(ours, theirs, TcpPacket.ACK_FLAG, GUEST_WINDOW), new byte[0], true));

                // The service's bytes stop at the guest's window.
                int first = theirs;
                var data = guest.await(f -> toGuest(f) && seq(f) == first && payloadLength(f) > 0, Duration.ofSeconds(10));
                assertThat(data).as("the service's first bytes").isNotNull();
                assertThat(payloadLength(data)).isEqualTo(GUEST_WINDOW);

                // The guest fills the stack's receive window without acknowledging those bytes.
                int sent = 0;
                while (sent < BUFFER) {
                    int len = Math.min(1400, BUFFER - sent);
                    guest.send(frame(GATEWAY, segment(ours + sent, theirs, TcpPacket.ACK_FLAG | TcpPacket.PSH,
                            GUEST_WINDOW), new byte[len], true));
                    sent += len;
                }
                int full = ours + BUFFER;
                var closed = guest.await(f -> toGuest(f) && ack(f) == full && window(f) == 0, Duration.ofSeconds(10));
                assertThat(closed).as("the stack announces its closed window").isNotNull();

                // A probe at RCV.NXT: one byte the stack cannot take, and the ACK of the service's bytes.
                guest.send(frame(GATEWAY, segment(full, theirs + GUEST_WINDOW, TcpPacket.ACK_FLAG | TcpPacket.PSH,
                        GUEST_WINDOW), new byte[1], true));
                int next = theirs + GUEST_WINDOW;
                var more = guest.await(f -> toGuest(f) && seq(f) == next && payloadLength(f) > 0, Duration.ofSeconds(5));
                assertThat(more).as("the service's next bytes, sent once the probe's ACK opened the guest's window")
                        .isNotNull();
                assertThat(ack(more)).as("the probe's byte was not taken").isEqualTo(full);
            }
        }
    }
}
