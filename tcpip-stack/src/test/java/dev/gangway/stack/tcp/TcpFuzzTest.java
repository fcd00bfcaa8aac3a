package dev.gangway.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.GuestClient;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import dev.gangway.stack.service.Protocol;
import dev.gangway.stack.wire.EthernetFrame;
import dev.gangway.stack.wire.EthernetRepr;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.Ipv4Packet;
import dev.gangway.stack.wire.Ipv4Repr;
import dev.gangway.stack.wire.MacAddress;
import dev.gangway.stack.wire.TcpOptions;
import dev.gangway.stack.wire.TcpPacket;
import dev.gangway.stack.wire.TcpRepr;
import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.Epoll;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 8: TCP segments mutated in every field (data offsets, options, flags, sequence and
 * acknowledgement numbers, lengths), most with valid checksums so they reach the engine, sent on real
 * connections (to a host socket through the host alias, and to a service on the gateway) after a real
 * handshake. Nothing escapes: the link stays up, a clean connection still works afterwards, and the leak
 * detector (PARANOID in tests) reports no ByteBuf leak.
 */
class TcpFuzzTest {
    static final int CONNECTIONS = 120;
    static final int SEGMENTS_PER_CONNECTION = 400;
    static final MacAddress GUEST = MacAddress.parse("02:00:00:00:0f:06");
    static final MacAddress GATEWAY_MAC = NetworkConfig.defaults().gatewayMac();
    static final int GUEST_IP = Ipv4Address.parse("192.168.65.2");
    static final int GATEWAY = Ipv4Address.parse("192.168.65.1");
    static final int ALIAS = Ipv4Address.parse("192.168.65.254");
    static final int ECHO_PORT = 7;

    @TempDir
    Path dir;

    static byte[] frame(int dst, TcpRepr tcp, byte[] payload, boolean fixChecksum) {
        int headerLength = TcpRepr.emittedHeaderLength(tcp.options());
        int tcpLength = headerLength + payload.length;
        var buf = Unpooled.buffer(14 + 20 + tcpLength);
        new EthernetRepr(GATEWAY_MAC, GUEST, EthernetFrame.TYPE_IPV4).emit(buf, 0);
        Ipv4Repr.of(GUEST_IP, dst, Ipv4Packet.PROTO_TCP, 64, 1, tcpLength).emit(buf, 14);
        tcp.emit(buf, 34);
        buf.setBytes(34 + headerLength, payload);
        buf.writerIndex(14 + 20 + tcpLength);
        if (fixChecksum) {
            TcpRepr.fillChecksum(buf, 34, headerLength, Unpooled.wrappedBuffer(payload), GUEST_IP, dst);
        }
        var out = new byte[buf.readableBytes()];
        buf.getBytes(0, out);
        return out;
    }

    static TcpRepr segment(int srcPort, int dstPort, int seq, int ack, int flags, TcpOptions options) {
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, 65535, options, 0, 0);
    }

    /** Re-fixes the IPv4 and TCP checksums of a mutated frame whose TCP bytes changed. */
    static void refresh(byte[] frame, int dst) {
        var buf = Unpooled.wrappedBuffer(frame);
        new dev.gangway.stack.wire.Ipv4Packet(buf, 14).fillChecksum();
        int tcpLength = frame.length - 34;
        buf.setShort(34 + 16, 0);
        long sum = dev.gangway.stack.wire.Checksum.pseudoHeader(GUEST_IP, dst, Ipv4Packet.PROTO_TCP, tcpLength);
        buf.setShort(34 + 16, dev.gangway.stack.wire.Checksum.finish(dev.gangway.stack.wire.Checksum.add(sum, buf, 34,
                tcpLength)));
    }

    static byte[] mutate(byte[] frame, Random random, int dst) {
        var out = frame.clone();
        switch (random.nextInt(8)) {
            case 0 -> out[34 + 12] = (byte) (random.nextInt(16) << 4); // data offset
            case 1 -> out[34 + 13] = (byte) random.nextInt(256); // flags
            case 2 -> { // sequence number far or near
                int delta = random.nextBoolean() ? random.nextInt() : random.nextInt(200_000) - 100_000;
                Unpooled.wrappedBuffer(out).setInt(34 + 4, Unpooled.wrappedBuffer(out).getInt(34 + 4) + delta);
            }
            case 3 -> { // acknowledgement number far or near
                int delta = random.nextBoolean() ? random.nextInt() : random.nextInt(200_000) - 100_000;
                Unpooled.wrappedBuffer(out).setInt(34 + 8, Unpooled.wrappedBuffer(out).getInt(34 + 8) + delta);
            }
            case 4 -> { // option bytes
                for (int n = 1 + random.nextInt(6); n > 0; n--) {
                    out[34 + 20 + random.nextInt(Math.max(1, Math.min(40, out.length - 54)))] = (byte) random.nextInt(256);
                }
            }
            case 5 -> out = java.util.Arrays.copyOf(out, 34 + random.nextInt(out.length - 33)); // truncated
            case 6 -> Unpooled.wrappedBuffer(out).setShort(34 + 14, random.nextInt(65536)); // window
            default -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    out[34 + random.nextInt(out.length - 34)] ^= (byte) (1 + random.nextInt(255));
                }
            }
        }
        if (out.length >= 34 + 20 && random.nextInt(10) != 0) {
            Unpooled.wrappedBuffer(out).setShort(14 + 2, out.length - 14);
            refresh(out, dst);
        }
        return out;
    }

    @Test
    void mutatedSegmentsOnLiveConnectionsNeitherEscapeNorLeak() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "unix socket links need native epoll (Linux)");
        var leaks = new CopyOnWriteArrayList<String>();
        var field = AbstractByteBuf.class.getDeclaredField("leakDetector");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        var detector = (ResourceLeakDetector<Object>) field.get(null);
        detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));

        var events = new CopyOnWriteArrayList<String>();
        try (var stack = NetworkStack.start(NetworkConfig.defaults(), null, events::add);
                var host = new ServerSocket(0, 512, InetAddress.getLoopbackAddress())) {
            var acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!host.isClosed()) {
                    try {
                        var socket = host.accept();
                        Thread.ofVirtual().start(() -> {
                            try (socket) {
                                socket.getOutputStream().write(new byte[3000]);
                                socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                            } catch (IOException ignored) {
                                // Resets are part of the fuzzing.
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            var binding = stack.services().listen(InetAddress.getByName("192.168.65.1"), ECHO_PORT, Protocol.TCP,
                    new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.writeAndFlush(msg);
                                }
                            });
                        }
                    });
            var spec = LinkSpec.parse("qemu:unix:" + dir.resolve("tcp-fuzz.sock"));
            var server = LinkServer.open(spec, stack, stack.group(), stack.epoll());
            try (server; binding; var guest = GuestClient.qemu(dir.resolve("tcp-fuzz.sock"))) {
                var random = new Random(20261127);
                var options = TcpOptions.syn(1460, 7, true, true, 1, 0);
                for (int c = 0; c < CONNECTIONS; c++) {
                    int port = 20000 + c;
                    boolean service = c % 3 == 0;
                    int dst = service ? GATEWAY : ALIAS;
                    int dstPort = service ? ECHO_PORT : host.getLocalPort();
                    int iss = random.nextInt();
                    guest.discardReceived(false);
                    guest.send(frame(dst, segment(port, dstPort, iss, 0, TcpPacket.SYN, options), new byte[0], true));
                    var synAck = guest.await(f -> f.length >= 54 && (f[34 + 13] & 0x12) == 0x12
                            && ((f[34 + 2] & 0xFF) << 8 | (f[34 + 3] & 0xFF)) == port, Duration.ofSeconds(10));
                    assertThat(synAck).as("SYN-ACK for connection %d; events %s", c, events).isNotNull();
                    int theirs = Unpooled.wrappedBuffer(synAck).getInt(34 + 4) + 1;
                    int ours = iss + 1;
                    var established = TcpOptions.established(true, 2, 1, null);
                    guest.send(frame(dst, segment(port, dstPort, ours, theirs, TcpPacket.ACK_FLAG, established),
                            new byte[0], true));
                    guest.discardReceived(true);
                    for (int s = 0; s < SEGMENTS_PER_CONNECTION; s++) {
                        var payload = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(1400)];
                        random.nextBytes(payload);
                        int sack = random.nextInt(5);
                        var opts = TcpOptions.established(true, 3 + s, 1, sack == 0 ? null
                                : new int[] {theirs + random.nextInt(5000), theirs + 5000 + random.nextInt(5000)});
                        int flags = TcpPacket.ACK_FLAG | (random.nextInt(20) == 0 ? TcpPacket.FIN : 0)
                                | (random.nextInt(60) == 0 ? TcpPacket.RST : 0) | TcpPacket.PSH;
                        var clean = frame(dst, segment(port, dstPort, ours, theirs + random.nextInt(3000), flags, opts),
                                payload, true);
                        guest.send(random.nextInt(3) == 0 ? clean : mutate(clean, random, dst));
                        if (random.nextBoolean()) {
                            ours += payload.length;
                        }
                    }
                }
                // A clean connection to the echo service still works.
                guest.discardReceived(false);
                int port = 19999;
                guest.send(frame(GATEWAY, segment(port, ECHO_PORT, 1000, 0, TcpPacket.SYN, TcpOptions.NONE), new byte[0],
                        true));
                var synAck = guest.await(f -> f.length >= 54 && (f[34 + 13] & 0x12) == 0x12
                        && ((f[34 + 2] & 0xFF) << 8 | (f[34 + 3] & 0xFF)) == port, Duration.ofSeconds(30));
                assertThat(synAck).as("the link still answers after the fuzzing; events %s", events).isNotNull();
                int theirs = Unpooled.wrappedBuffer(synAck).getInt(34 + 4) + 1;
                guest.send(frame(GATEWAY, segment(port, ECHO_PORT, 1001, theirs, TcpPacket.ACK_FLAG | TcpPacket.PSH,
                        TcpOptions.NONE), "still alive".getBytes(), true));
                var echo = guest.await(f -> f.length > 54 && ((f[34 + 2] & 0xFF) << 8 | (f[34 + 3] & 0xFF)) == port
                        && new String(f, 54, f.length - 54).equals("still alive"), Duration.ofSeconds(30));
                assertThat(echo).as("echo on a clean connection after the fuzzing").isNotNull();
                assertThat(events).as("while the guest is attached").noneMatch(e -> e.startsWith("link error"));
            }
            host.close();
            acceptor.join(5000);
            var counters = stack.counters();
            for (var reason : java.util.List.of("tcp/bad-checksum", "tcp/bad-header-length", "tcp/bad-options",
                    "tcp/out-of-window", "tcp/unsupported", "tcp/ack-unsent")) {
                assertThat(counters.drops(reason)).as(reason + " in " + counters.snapshot()).isPositive();
            }
        }
        for (int round = 0; round < 5 && leaks.isEmpty(); round++) {
            System.gc();
            Thread.sleep(100);
            for (int i = 0; i < 100; i++) {
                ByteBufAllocator.DEFAULT.directBuffer(16).release();
                Unpooled.directBuffer(16).release();
            }
        }
        assertThat(leaks).as("ByteBuf leaks").isEmpty();
    }
}
