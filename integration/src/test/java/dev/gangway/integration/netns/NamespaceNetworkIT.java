package dev.gangway.integration.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.stack.stats.Layer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance 2 and 3 at MTU 1500: ping of the gateway and the host alias, UDP echo through the NAT for
 * every size class from 1 to 65507 bytes (fragmented both ways), ICMP port unreachable for a closed host
 * port, source-port churn past a small flow bound (64), and a capture that tshark decodes without
 * malformed packets.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamespaceNetworkIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500)
            .withUdp(java.time.Duration.ofSeconds(90), 64));

    static UdpEchoServer echo;
    static String pingGroupRange;

    @BeforeAll
    static void setUp() throws Exception {
        echo = UdpEchoServer.start();
        // ICMP echo sockets need the daemon's group in ping_group_range (empty by default); as root the
        // test may widen it, and puts it back afterwards.
        pingGroupRange = Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ping_group_range")).strip();
        NamespaceGuest.run(List.of("sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (echo != null) {
            echo.close();
        }
        if (pingGroupRange != null) {
            NamespaceGuest.run(List.of("sysctl", "-q", "-w",
                    "net.ipv4.ping_group_range=" + pingGroupRange.replaceAll("\\s+", " ")));
        }
    }

    @Test
    @Order(1)
    void pingsTheGateway() throws Exception {
        var result = guest.exec("busybox ping -c 3 -W 5 192.168.65.1");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("3 packets transmitted, 3 packets received");
    }

    @Test
    @Order(2)
    void pingsTheHostThroughItsAlias() throws Exception {
        var result = guest.exec("busybox ping -c 3 -W 5 192.168.65.254");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("3 packets transmitted, 3 packets received");
        assertThat(guest.stack().counters().framesIn(Layer.NAT)).isPositive();
        assertThat(guest.stack().counters().framesOut(Layer.NAT)).isPositive();
    }

    @Test
    @Order(2)
    void expiringTtlIsReportedByTheGateway() throws Exception {
        var result = guest.exec("busybox ping -c 1 -W 3 -t 1 192.168.65.254");
        assertThat(result.exitCode()).isNotZero();
        assertThat(guest.stack().counters().drops("ipv4/ttl-exceeded")).isPositive();
        var capture = NamespaceGuest.run(List.of("tshark", "-r", guest.pcap().toString(), "-Y",
                "icmp.type == 11 && ip.src == 192.168.65.1"));
        assertThat(capture.output()).contains("Time-to-live exceeded");
    }

    @Test
    @Order(3)
    void echoesEverySizeClassIntact() throws Exception {
        for (int size : new int[] {1, 2, 7, 8, 9, 100, 548, 1024, 1471, 1472, 1473, 1480, 2048, 2961, 4096, 8192,
                16384, 32768, 50000, 65000, 65506, 65507}) {
            UdpProbe.assertEchoes(guest, echo.port(), size);
        }
        assertThat(guest.stack().counters().drops("ipv4/fragment-overlap")).isZero();
    }

    @Test
    @Order(4)
    void closedHostPortIsRefused() throws Exception {
        int closed;
        try (var probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = probe.getLocalPort();
        }
        var result = guest.exec(UdpProbe.command(closed, 5));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output().strip()).isEqualTo("refused");
    }

    /** Source-port churn (each datagram from a fresh port, as a resolver does) past the flow bound. */
    @Test
    @Order(5)
    void portChurnBeyondTheFlowBoundIsAllAnswered() throws Exception {
        long evictedBefore = guest.stack().counters().drops("nat/flow-evicted");
        // Each datagram may be sent up to three times (UDP loss on a loaded machine), always from a new port.
        var result = guest.exec("for i in $(seq 100); do for t in 1 2 3; do " + UdpProbe.command(echo.port(), 16)
                + " && break; done; done | grep -c ok");
        assertThat(result.output().strip()).as("%s; counters %s", result.output(), guest.stack().counters().snapshot())
                .isEqualTo("100");
        assertThat(guest.stack().counters().drops("nat/flow-evicted") - evictedBefore).isGreaterThanOrEqualTo(36);
    }

    @Test
    @Order(6)
    void captureDecodesWithoutMalformedPackets() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("tshark"), "tshark");
        Thread.sleep(500); // the capture writer flushes when idle for 200 ms
        var pcap = guest.pcap().toString();
        var protocols = NamespaceGuest.run(List.of("tshark", "-r", pcap, "-q", "-z", "io,phs"));
        assertThat(protocols.exitCode()).as(protocols.output()).isZero();
        assertThat(protocols.output()).contains("arp", "icmp", "udp", "dhcp");
        var malformed = NamespaceGuest.run(List.of("tshark", "-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity == error"));
        assertThat(malformed.exitCode()).isZero();
        assertThat(withoutRootWarning(malformed.output())).as("malformed packets").isEmpty();
        var replies = NamespaceGuest.run(List.of("tshark", "-r", pcap, "-Y", "icmp.type == 3 && icmp.code == 3"));
        assertThat(replies.output()).contains("Destination unreachable");
    }

    /** tshark warns on stderr when run as root; that line is not a packet. */
    private static String withoutRootWarning(String output) {
        return output.lines().filter(line -> !line.startsWith("Running as user")).reduce("", (a, b) -> a + b + "\n")
                .strip();
    }
}
