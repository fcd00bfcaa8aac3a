package dev.gangway.stack.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.service.Protocol;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.DhcpOptions;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.MacAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The links against clients written from the protocol notes, through a whole stack: QEMU stream and
 * vmnet over unix sockets, unix datagrams with the vfkit hello; garbage closes one link and the server
 * goes on; the service API answers UDP on the gateway.
 */
class LinkServerTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static NetworkStack stack;
    static List<LinkServer> servers = new CopyOnWriteArrayList<>();
    static List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "unix socket links need native epoll (Linux)");
        stack = NetworkStack.start(NetworkConfig.defaults().withMtu(4000).withHostOnly(true), null, events::add);
        for (var spec : List.of("qemu:unix:" + dir.resolve("qemu.sock"), "vpnkit:" + dir.resolve("vpnkit.sock"),
                "vfkit:" + dir.resolve("vfkit.sock"))) {
            servers.add(LinkServer.open(LinkSpec.parse(spec), stack, stack.group(), stack.epoll()));
        }
    }

    @AfterAll
    static void stop() {
        servers.forEach(LinkServer::close);
        if (stack != null) {
            stack.close();
        }
    }

    static MacAddress mac(int n) {
        return new MacAddress(0x02_00_00_00_00_00L | n);
    }

    static int offer(GuestClient client, MacAddress mac, int xid) throws Exception {
        client.send(TestFrames.dhcp(mac, DhcpOptions.DISCOVER, xid, 0));
        var reply = client.await(f -> {
            var d = TestFrames.dhcpReply(f);
            return d != null && d.xid() == xid;
        }, WAIT);
        assertThat(reply).as("DHCP offer").isNotNull();
        var offer = TestFrames.dhcpReply(reply);
        assertThat(offer.options().messageType()).isEqualTo(DhcpOptions.OFFER);
        return offer.yiaddr();
    }

    @Test
    void qemuStreamLinkServesDhcpAndSurvivesAGarbageNeighbour() throws Exception {
        try (var guest = GuestClient.qemu(dir.resolve("qemu.sock"))) {
            int address = offer(guest, mac(1), 11);
            assertThat(Ipv4Address.format(address)).startsWith("192.168.65.");
            long errors = stack.counters().drops("link/error");
            try (var garbage = GuestClient.qemu(dir.resolve("qemu.sock"))) {
                garbage.sendRaw(new byte[] {0, 0, 0, 3, 1, 2, 3});
                assertThat(garbage.closedByServer(WAIT)).isTrue();
            }
            try (var huge = GuestClient.qemu(dir.resolve("qemu.sock"))) {
                huge.sendRaw(new byte[] {0x7F, 0, 0, 0});
                assertThat(huge.closedByServer(WAIT)).isTrue();
            }
            assertThat(stack.counters().drops("link/error")).isEqualTo(errors + 2);
            assertThat(events).anyMatch(e -> e.startsWith("link error: qemu:unix:"));
            guest.send(TestFrames.dhcp(mac(1), DhcpOptions.REQUEST, 12, address));
            var ack = guest.await(f -> TestFrames.dhcpReply(f) != null && TestFrames.dhcpReply(f).xid() == 12, WAIT);
            assertThat(TestFrames.dhcpReply(ack).options().messageType()).isEqualTo(DhcpOptions.ACK);
            assertThat(TestFrames.dhcpReply(ack).options().mtu()).isEqualTo(4000);
        }
    }

    @Test
    void vmnetGivesTheSameMacAndAddressToTheSameUuid() throws Exception {
        String uuid = "0f0e0d0c-1111-2222-3333-444455556666";
        var vif = new GuestClient.Vif[1];
        int first;
        byte[] firstMac;
        try (var guest = GuestClient.vmnet(dir.resolve("vpnkit.sock"), uuid, vif)) {
            assertThat(vif[0].mtu()).isEqualTo(4000);
            assertThat(vif[0].maxPacketSize()).isEqualTo(4050);
            firstMac = vif[0].mac();
            first = offer(guest, MacAddress.of(firstMac), 21);
            guest.send(TestFrames.arpRequest(MacAddress.of(firstMac), first, TestFrames.GATEWAY));
            var arp = guest.await(f -> f.length >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2, WAIT);
            assertThat(arp).as("ARP reply from the gateway").isNotNull();
            assertThat(MacAddress.of(java.util.Arrays.copyOfRange(arp, 22, 28))).isEqualTo(TestFrames.GATEWAY_MAC);
        }
        try (var again = GuestClient.vmnet(dir.resolve("vpnkit.sock"), uuid, vif)) {
            assertThat(vif[0].mac()).isEqualTo(firstMac);
            assertThat(offer(again, MacAddress.of(vif[0].mac()), 22)).isEqualTo(first);
        }
        try (var other = GuestClient.vmnet(dir.resolve("vpnkit.sock"), "9f0e0d0c-1111-2222-3333-444455556666", vif)) {
            assertThat(vif[0].mac()).isNotEqualTo(firstMac);
            assertThat(offer(other, MacAddress.of(vif[0].mac()), 23)).isNotEqualTo(first);
        }
    }

    @Test
    void vmnetHandshakeThatStallsIsClosed() throws Exception {
        try (var stalled = GuestClient.qemu(dir.resolve("vpnkit.sock"))) {
            stalled.sendRaw("VMN3T".getBytes(StandardCharsets.US_ASCII));
            assertThat(stalled.closedByServer(Duration.ofSeconds(LinkServer.HANDSHAKE_SECONDS + 20))).isTrue();
        }
        assertThat(events).anyMatch(e -> e.startsWith("link error: vpnkit:") && e.endsWith("(link closed)"));
    }

    @Test
    void vmnetGarbageHandshakeIsClosed() throws Exception {
        try (var garbage = GuestClient.qemu(dir.resolve("vpnkit.sock"))) {
            garbage.sendRaw(new byte[49]);
            assertThat(garbage.closedByServer(WAIT)).isTrue();
        }
    }

    @Test
    void udpServiceOnTheGatewayAnswersLikeAHostSocket() throws Exception {
        var binding = stack.services().listen(Ipv4Address.toInet(TestFrames.GATEWAY), 5353, Protocol.UDP,
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                                var reply = ctx.alloc().buffer().writeBytes("echo:".getBytes(StandardCharsets.US_ASCII))
                                        .writeBytes(msg.content());
                                ctx.writeAndFlush(new DatagramPacket(reply, msg.sender()));
                            }
                        });
                    }
                });
        try (binding; var guest = GuestClient.qemu(dir.resolve("qemu.sock"))) {
            var me = mac(7);
            int address = offer(guest, me, 31);
            guest.send(TestFrames.udp(me, TestFrames.GATEWAY_MAC, address, TestFrames.GATEWAY, 40000, 5353,
                    "ping".getBytes(StandardCharsets.US_ASCII)));
            var reply = guest.await(f -> f.length > 42 && f[23] == 17 && ((f[34] & 0xFF) << 8 | (f[35] & 0xFF)) == 5353,
                    WAIT);
            assertThat(reply).as("service reply").isNotNull();
            assertThat(new String(reply, 42, reply.length - 42, StandardCharsets.US_ASCII)).isEqualTo("echo:ping");
            guest.send(TestFrames.udp(me, TestFrames.GATEWAY_MAC, address, TestFrames.GATEWAY, 40000, 5354,
                    "nobody".getBytes(StandardCharsets.US_ASCII)));
            var unreachable = guest.await(f -> f.length > 35 && f[23] == 1 && f[34] == 3 && f[35] == 3, WAIT);
            assertThat(unreachable).as("ICMP port unreachable for a port nobody listens on").isNotNull();
        }
    }

    @Test
    void vfkitDatagramLinkLearnsItsPeerFromTheHello() throws Exception {
        var received = new LinkedBlockingQueue<byte[]>();
        var peerPath = dir.resolve("vm-side.sock");
        Files.deleteIfExists(peerPath);
        var client = new Bootstrap().group(stack.group()).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket msg) {
                        received.add(TestFrames.toBytes(msg.content()));
                    }
                }).bind(new DomainSocketAddress(peerPath.toString())).sync().channel();
        try {
            var server = new DomainSocketAddress(dir.resolve("vfkit.sock").toString());
            client.writeAndFlush(new DomainDatagramPacket(Unpooled.copiedBuffer("VFKT", StandardCharsets.US_ASCII),
                    server)).sync();
            client.writeAndFlush(new DomainDatagramPacket(Unpooled.wrappedBuffer(
                    TestFrames.dhcp(mac(9), DhcpOptions.DISCOVER, 41, 0)), server)).sync();
            byte[] offer = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (offer == null && System.nanoTime() < deadline) {
                var frame = received.poll(1, TimeUnit.SECONDS);
                if (frame != null && TestFrames.dhcpReply(frame) != null && TestFrames.dhcpReply(frame).xid() == 41) {
                    offer = frame;
                }
            }
            assertThat(offer).as("DHCP offer over unix datagrams").isNotNull();
            assertThat(stack.counters().framesIn(Layer.DHCP)).isPositive();
        } finally {
            client.close().sync();
        }
    }

    /** Netty's domain datagram config has no SO_RCVBUF: the server sets it on the socket, above the default. */
    @Test
    void vfkitDatagramLinkHasTheLargerReceiveBuffer() throws Exception {
        var vfkit = servers.stream().filter(s -> s.spec().kind() == LinkSpec.Kind.VFKIT).findFirst().orElseThrow();
        var probe = new Bootstrap().group(stack.group()).channel(EpollDomainDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                    }
                }).register().sync().channel();
        try {
            int unset = ((Socket) ((EpollDomainDatagramChannel) probe).fd()).getReceiveBufferSize();
            int link = ((Socket) ((EpollDomainDatagramChannel) vfkit.channel()).fd()).getReceiveBufferSize();
            assertThat(link).as("the link's SO_RCVBUF against an unset socket's").isGreaterThan(unset);
        } finally {
            probe.close().sync();
        }
    }
}
