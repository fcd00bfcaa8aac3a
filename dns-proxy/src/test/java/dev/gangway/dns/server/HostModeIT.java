package dev.gangway.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gangway.dns.lab.Dig;
import dev.gangway.dns.lab.Dnsmasq;
import dev.gangway.dns.lab.FreePort;
import dev.gangway.dns.lab.ProxyUnderTest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Host mode: A/AAAA through the host's own resolver (here glibc, which answers {@code localhost} from the
 * host's /etc/hosts without any network), everything else forwarded to dnsmasq.
 */
class HostModeIT {
    @Test
    void addressesComeFromTheHostResolverAndTheRestIsForwarded() throws Exception {
        var dir = Files.createTempDirectory("gangway-dns-host-");
        int port = FreePort.on("127.0.0.1");
        try (var upstream = Dnsmasq.start("127.0.0.1", port, dir, List.of("--mx-host=localhost,mail.test,5",
                "--host-record=marker.test,10.9.9.9"));
                var proxy = new ProxyUnderTest(DnsConfig.builder().mode(DnsConfig.Mode.HOST).hostsFile(null)
                        .upstream(upstream.address()).build())) {
            String a = proxy.dig("localhost", "A");
            assertThat(Dig.status(a)).isEqualTo("NOERROR");
            assertThat(Dig.records(a)).anySatisfy(l -> assertThat(l).endsWith("127.0.0.1"));
            assertThat(proxy.server.counters().hostLookups.sum()).isEqualTo(1);

            String mx = proxy.dig("localhost", "MX");
            assertThat(Dig.records(mx)).anySatisfy(l -> assertThat(l).contains("MX").endsWith("mail.test."));

            proxy.dig("marker.test", "MX");
            await().atMost(Duration.ofSeconds(5)).until(() -> upstream.queries("marker.test", "MX") == 1);
            assertThat(upstream.queries("localhost", "A")).isZero();
            assertThat(upstream.queries("localhost", "MX")).isEqualTo(1);
        }
    }
}
