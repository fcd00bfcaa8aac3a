package dev.gangway.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gangway.dns.lab.Dig;
import dev.gangway.dns.lab.Dnsmasq;
import dev.gangway.dns.lab.FreePort;
import dev.gangway.dns.lab.ProxyUnderTest;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream failures: a stopped first server (ICMP port unreachable), a first server that swallows queries
 * (timeout), no server answering at all (SERVFAIL), and a resolv.conf edited while the proxy runs.
 */
class FailoverIT {
    static Path dir;
    static Dnsmasq first;
    static Dnsmasq second;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("gangway-dns-failover-");
        int port = FreePort.on("127.0.0.2");
        // the same port on two loopback addresses, as resolv.conf can only name addresses
        first = Dnsmasq.start("127.0.0.2", port, dir, List.of("--address=/which.test/10.0.0.2"));
        second = Dnsmasq.start("127.0.0.3", port, dir, List.of("--address=/which.test/10.0.0.3"));
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void stoppedFirstServerFallsThroughToTheSecond() throws Exception {
        int port = FreePort.on("127.0.0.4");
        try (var stopped = Dnsmasq.start("127.0.0.4", port, dir, List.of("--address=/which.test/10.0.0.4"));
                var proxy = new ProxyUnderTest(config().upstream(new InetSocketAddress("127.0.0.4", port))
                        .upstream(second.address()).build())) {
            assertThat(answer(proxy.dig("a.which.test", "A"))).isEqualTo("10.0.0.4");
            stopped.stop();
            assertThat(answer(proxy.dig("b.which.test", "A"))).isEqualTo("10.0.0.3");
            assertThat(proxy.server.counters().upstreamErrors.sum()
                    + proxy.server.counters().upstreamTimeouts.sum()).isPositive();
            assertThat(proxy.server.upstreams().getFirst()).isEqualTo(second.address());
        }
    }

    @Test
    void silentFirstServerTimesOutThenTheSecondAnswers() throws Exception {
        try (var blackHole = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                var proxy = new ProxyUnderTest(config().upstream((InetSocketAddress) blackHole.getLocalAddress())
                        .upstream(second.address()).build())) {
            String out = proxy.dig("c.which.test", "A");
            assertThat(answer(out)).isEqualTo("10.0.0.3");
            assertThat(proxy.server.counters().upstreamTimeouts.sum()).isPositive();
        }
    }

    @Test
    void noServerAnsweringGivesServfail() throws Exception {
        try (var blackHole = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                var proxy = new ProxyUnderTest(config().upstream((InetSocketAddress) blackHole.getLocalAddress())
                        .build())) {
            assertThat(Dig.status(proxy.dig("d.which.test", "A"))).isEqualTo("SERVFAIL");
            assertThat(proxy.server.counters().servfail.sum()).isEqualTo(1);
        }
    }

    @Test
    void editedResolvConfSwitchesUpstreamsWithoutRestart() throws Exception {
        Path resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, "# written by FailoverIT\nnameserver 127.0.0.2\noptions edns0\n");
        try (var proxy = new ProxyUnderTest(DnsConfig.builder().hostsFile(null).resolvConf(resolvConf)
                .resolvConfPort(first.port()).serverTimeout(Duration.ofMillis(500)).totalTimeout(Duration.ofSeconds(2))
                .build())) {
            assertThat(answer(proxy.dig("e1.which.test", "A"))).isEqualTo("10.0.0.2");
            Files.writeString(resolvConf, "# written by FailoverIT\nnameserver 127.0.0.3\noptions edns0\n");
            var n = new int[] {1};
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> answer(proxy.dig("e" + (++n[0]) + ".which.test", "A")).equals("10.0.0.3"));
            assertThat(proxy.server.upstreams()).containsExactly(new InetSocketAddress("127.0.0.3", first.port()));
        }
    }

    private static DnsConfig.Builder config() {
        return DnsConfig.builder().hostsFile(null).serverTimeout(Duration.ofMillis(500))
                .totalTimeout(Duration.ofSeconds(2));
    }

    private static String answer(String digOutput) {
        var records = Dig.records(digOutput);
        assertThat(records).as(digOutput).isNotEmpty();
        String[] f = records.getFirst().split("\\s+");
        return f[f.length - 1];
    }
}
