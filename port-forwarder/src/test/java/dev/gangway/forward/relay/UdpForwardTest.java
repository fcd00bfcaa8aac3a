package dev.gangway.forward.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gangway.forward.TestPeers;
import dev.gangway.forward.dial.HostNetworkDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.table.Endpoints;
import dev.gangway.forward.table.Forward;
import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Forwarder;
import dev.gangway.forward.table.Protocol;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UDP forwards against kernel sockets: request/response per client, the flow table's idle timeout and bound. */
class UdpForwardTest {
    private HostNetworkDialer dialer;
    private Forwarder forwarder;
    private TestPeers.UdpEcho echo;

    @BeforeEach
    void start() throws IOException {
        dialer = HostNetworkDialer.create(2, Duration.ofSeconds(2));
        echo = new TestPeers.UdpEcho(Endpoints.address("127.0.0.1"), "echo:");
    }

    @AfterEach
    void stop() {
        forwarder.close();
        dialer.close();
        echo.close();
    }

    private Forward open(String host, RelayLimits limits) throws Exception {
        forwarder = new Forwarder(dialer, SourceAddressPolicy.DEFAULT, limits);
        return forwarder.open(new ForwardSpec(Protocol.UDP, Endpoints.parse(host), echo.address()), "test")
                .get(5, TimeUnit.SECONDS);
    }

    private static String ask(DatagramSocket client, InetSocketAddress to, String text) throws IOException {
        var bytes = text.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(bytes, bytes.length, to));
        var reply = new DatagramPacket(new byte[65536], 65536);
        client.receive(reply);
        assertThat(reply.getSocketAddress()).isEqualTo(to);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void eachClientGetsItsOwnRepliesAndIdleFlowsEnd() throws Exception {
        var forward = open("127.0.0.1:0", new RelayLimits(16, 16, Duration.ofMillis(300), 4));
        var to = (InetSocketAddress) forward.spec().host();
        try (var a = new DatagramSocket(); var b = new DatagramSocket()) {
            a.setSoTimeout(5000);
            b.setSoTimeout(5000);
            assertThat(ask(a, to, "from a")).isEqualTo("echo:from a");
            assertThat(ask(b, to, "from b")).isEqualTo("echo:from b");
            assertThat(ask(a, to, "a again")).isEqualTo("echo:a again");
            var c = forward.counters();
            assertThat(c.accepted()).isEqualTo(2);
            assertThat(c.bytesToGuest()).isEqualTo("from a".length() + "from b".length() + "a again".length());
            assertThat(c.bytesFromGuest()).isEqualTo(c.bytesToGuest() + 3 * "echo:".length());
            await().atMost(Duration.ofSeconds(10)).until(() -> forward.counters().active() == 0);
            assertThat(ask(a, to, "after idle")).isEqualTo("echo:after idle");
            assertThat(forward.counters().accepted()).isEqualTo(3);
        }
    }

    @Test
    void sourcePortChurnEachNewPortIsServedAndTheTableEmptiesAgain() throws Exception {
        var forward = open("127.0.0.1:0", new RelayLimits(16, 4096, Duration.ofMillis(500), 4));
        var to = (InetSocketAddress) forward.spec().host();
        int clients = 300;
        for (int i = 0; i < clients; i++) {
            try (var client = new DatagramSocket()) {
                client.setSoTimeout(5000);
                assertThat(ask(client, to, "query " + i)).isEqualTo("echo:query " + i);
            }
        }
        // The kernel may hand a recently closed port out again: that client continues the same flow.
        assertThat(forward.counters().accepted()).isBetween((long) clients / 2, (long) clients);
        assertThat(forward.counters().dropped()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> forward.counters().active() == 0);
    }

    @Test
    void aFullFlowTableDropsNewClientsAndCountsThem() throws Exception {
        var forward = open("127.0.0.1:0", new RelayLimits(16, 1, Duration.ofSeconds(30), 4));
        var to = (InetSocketAddress) forward.spec().host();
        try (var a = new DatagramSocket(); var b = new DatagramSocket()) {
            a.setSoTimeout(5000);
            assertThat(ask(a, to, "first")).isEqualTo("echo:first");
            var bytes = "second".getBytes(StandardCharsets.UTF_8);
            b.send(new DatagramPacket(bytes, bytes.length, to));
            await().until(() -> forward.counters().dropped() == 1);
            assertThat(forward.counters().active()).isEqualTo(1);
            assertThat(ask(a, to, "still served")).isEqualTo("echo:still served");
        }
    }

    @Test
    void datagramsOfEverySizeCrossWhole() throws Exception {
        var forward = open("127.0.0.1:0", RelayLimits.DEFAULT);
        var to = (InetSocketAddress) forward.spec().host();
        try (var a = new DatagramSocket()) {
            a.setSoTimeout(5000);
            a.setReceiveBufferSize(1 << 20);
            for (int size : new int[] {1, 1472, 2049, 8000, 65507 - "echo:".length()}) {
                var text = "x".repeat(size);
                assertThat(ask(a, to, text)).as("%d bytes", size).isEqualTo("echo:" + text);
            }
        }
    }

    @Test
    void ipv6HostSocketToAnIpv4Guest() throws Exception {
        var forward = open("[::1]:0", RelayLimits.DEFAULT);
        try (var a = new DatagramSocket(new InetSocketAddress(Endpoints.address("::1"), 0))) {
            a.setSoTimeout(5000);
            assertThat(ask(a, (InetSocketAddress) forward.spec().host(), "v6")).isEqualTo("echo:v6");
        }
    }
}
