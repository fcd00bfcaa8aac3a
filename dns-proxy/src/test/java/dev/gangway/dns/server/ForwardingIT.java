package dev.gangway.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gangway.dns.lab.Dig;
import dev.gangway.dns.lab.Dnsmasq;
import dev.gangway.dns.lab.FreePort;
import dev.gangway.dns.lab.ProxyUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The proxy in forward mode in front of a real dnsmasq on loopback serving a test zone: answers must be
 * those of dnsmasq, large answers must survive truncation, and repeated questions must come from the cache.
 */
class ForwardingIT {
    static final String BIG_STRING = "x".repeat(250);
    static final int BIG_STRINGS = 16;

    static Path dir;
    static Dnsmasq upstream;
    static ProxyUnderTest proxy;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("gangway-dns-fwd-");
        var zone = new ArrayList<>(List.of(
                "--auth-zone=test", "--auth-server=ns.test,lo", "--auth-soa=1,hostmaster.test,1200,120,604800",
                "--auth-ttl=300", "--local-ttl=300",
                "--host-record=a.test,10.1.2.3,fd00::1",
                "--host-record=cached.test,10.1.2.4",
                "--host-record=marker.test,10.1.2.5",
                "--mx-host=mx.test,mail.test,10",
                "--txt-record=t.test,hello world,second string",
                "--srv-host=_http._tcp.test,a.test,80,1,2"));
        zone.add("--txt-record=big.test," + String.join(",", java.util.Collections.nCopies(BIG_STRINGS, BIG_STRING)));
        int port = FreePort.on("127.0.0.1");
        upstream = Dnsmasq.start("127.0.0.1", port, dir, zone);
        proxy = new ProxyUnderTest(DnsConfig.builder().upstream(upstream.address()).hostsFile(null)
                .serverTimeout(Duration.ofSeconds(2)).totalTimeout(Duration.ofSeconds(3)).build());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"a.test,A", "a.test,AAAA", "mx.test,MX", "t.test,TXT", "_http._tcp.test,SRV", "nothere.test,A",
            "a.test,MX"})
    void answersAsTheUpstreamDoes(String name, String type) {
        String direct = Dig.ask(upstream.address(), name, type);
        String viaProxy = proxy.dig(name, type);
        assertThat(Dig.status(viaProxy)).isEqualTo(Dig.status(direct));
        assertThat(Dig.flags(viaProxy)).isEqualTo(Dig.flags(direct));
        assertThat(Dig.recordsWithoutTtl(viaProxy)).isEqualTo(Dig.recordsWithoutTtl(direct)).isNotEmpty();
        String again = proxy.dig(name, type);
        assertThat(Dig.status(again)).isEqualTo(Dig.status(direct));
        assertThat(Dig.recordsWithoutTtl(again)).isEqualTo(Dig.recordsWithoutTtl(direct));
    }

    @Test
    void ednsVersionOneGetsBadvers() {
        String out = proxy.dig("a.test", "A", "+edns=1", "+noednsneg");
        assertThat(Dig.status(out)).isEqualTo("BADVERS");
        assertThat(out).contains("EDNS: version: 0");
        assertThat(proxy.server.counters().badvers.sum()).isPositive();
    }

    @Test
    void nxdomainCarriesTheSoa() {
        String out = proxy.dig("missing.test", "A");
        assertThat(Dig.status(out)).isEqualTo("NXDOMAIN");
        assertThat(String.join("\n", Dig.records(out))).contains("SOA").contains("hostmaster.test.");
    }

    @Test
    void largeTxtIsFetchedOverTcpAndServedWhole() {
        long tcpBefore = proxy.server.counters().tcpRetries.sum();
        String udpOnly = proxy.dig("big.test", "TXT", "+ignore", "+notcp");
        assertThat(Dig.flags(udpOnly)).contains("tc");
        assertThat(proxy.server.counters().tcpRetries.sum()).isGreaterThan(tcpBefore);

        String viaUdpThenTcp = proxy.dig("big.test", "TXT");
        assertThat(viaUdpThenTcp).contains("Truncated, retrying in TCP mode");
        assertThat(bigStrings(viaUdpThenTcp)).isEqualTo(BIG_STRINGS);

        String viaTcp = proxy.dig("big.test", "TXT", "+tcp");
        assertThat(Dig.status(viaTcp)).isEqualTo("NOERROR");
        assertThat(bigStrings(viaTcp)).isEqualTo(BIG_STRINGS);
        assertThat(Dig.recordsWithoutTtl(viaTcp)).isEqualTo(Dig.recordsWithoutTtl(Dig.ask(upstream.address(),
                "big.test", "TXT", "+tcp")));
    }

    @Test
    void secondQuestionIsAnsweredFromTheCacheWithAgedTtl() {
        String first = proxy.dig("cached.test", "A");
        assertThat(Dig.status(first)).isEqualTo("NOERROR");
        long firstTtl = Dig.firstTtl(first);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(300))
                .until(() -> Dig.firstTtl(proxy.dig("cached.test", "A")) < firstTtl);
        assertThat(Dig.records(proxy.dig("cached.test", "A")).getFirst()).contains("10.1.2.4");
        assertUpstreamSawOnce("cached.test", "A");
    }

    @Test
    void nxdomainIsCachedForTheSoaNegativeTtl() {
        String first = proxy.dig("gone.test", "A");
        assertThat(Dig.status(first)).isEqualTo("NXDOMAIN");
        long soaTtl = Dig.firstTtl(first);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(300))
                .until(() -> Dig.firstTtl(proxy.dig("gone.test", "A")) < soaTtl);
        assertThat(Dig.status(proxy.dig("gone.test", "A"))).isEqualTo("NXDOMAIN");
        assertUpstreamSawOnce("gone.test", "A");
    }

    /** Proves the cache answered: a later, different question reached dnsmasq, the repeated one did not. */
    private static void assertUpstreamSawOnce(String name, String type) {
        String marker = "m" + System.nanoTime() + ".marker.test";
        proxy.dig(marker, "A");
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.queries(marker, "A") == 1);
        assertThat(upstream.queries(name, type)).isEqualTo(1);
    }

    private static long bigStrings(String digOutput) {
        return Dig.records(digOutput).stream().filter(l -> l.contains("TXT"))
                .mapToLong(l -> l.split("\"" + BIG_STRING + "\"", -1).length - 1).sum();
    }
}
