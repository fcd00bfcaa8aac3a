package dev.gangway.integration.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.dns.server.DnsConfig;
import dev.gangway.dns.server.DnsServer;
import dev.gangway.dns.upstream.Transport;
import dev.gangway.integration.netns.NamespaceGuest;
import dev.gangway.stack.service.Protocol;
import dev.gangway.stack.service.ServiceBinding;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DNS proxy at the gateway's port 53, reached by a Linux guest in a network namespace through the
 * userspace stack's service API: built-in names and a name forwarded to a real dnsmasq on the host's
 * loopback, asked with the guest's own tools (busybox nslookup, dig), over UDP and over TCP.
 */
class GuestDnsIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c);

    static Process dnsmasq;
    static Transport transport;
    static DnsServer server;
    static ServiceBinding binding;
    static ServiceBinding tcpBinding;

    @BeforeAll
    static void start() throws Exception {
        NamespaceGuest.require(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")), "dnsmasq (dnsmasq-base)");
        int port;
        try (var probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        dnsmasq = new ProcessBuilder("/usr/sbin/dnsmasq", "--no-daemon", "--port=" + port,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--conf-file=/dev/null", "--pid-file=", "--user=root", "--local-ttl=300",
                "--host-record=forwarded.test,10.7.7.7,fd00::7", "--address=/missing.test/")
                .redirectErrorStream(true).redirectOutput(guest.dir().resolve("dnsmasq.out").toFile()).start();
        var out = guest.dir().resolve("dnsmasq.out");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !dnsmasq.isAlive() || Files.readString(out).contains("started, version"));
        assertThat(dnsmasq.isAlive()).as(Files.readString(out)).isTrue();
        transport = Transport.create(1, "guest-dns");
        server = new DnsServer(DnsConfig.builder().hostsFile(null)
                .upstream(new InetSocketAddress("127.0.0.1", port))
                .serverTimeout(Duration.ofSeconds(2)).totalTimeout(Duration.ofSeconds(4)).build(), transport);
        binding = guest.stack().services().listen(InetAddress.getByName("192.168.65.1"), 53, Protocol.UDP,
                server.datagramInitializer());
        tcpBinding = guest.stack().services().listen(InetAddress.getByName("192.168.65.1"), 53, Protocol.TCP,
                server.streamInitializer());
    }

    @AfterAll
    static void stop() throws IOException {
        if (binding != null) {
            binding.close();
        }
        if (tcpBinding != null) {
            tcpBinding.close();
        }
        if (server != null) {
            server.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (dnsmasq != null) {
            dnsmasq.destroy();
        }
    }

    @Test
    void builtInNamesResolveInTheGuest() throws Exception {
        var host = guest.exec("busybox nslookup host.docker.internal 192.168.65.1");
        assertThat(host.exitCode()).as(host.output()).isZero();
        assertThat(host.output()).contains("192.168.65.254");
        var gateway = guest.exec("busybox nslookup gateway.docker.internal 192.168.65.1");
        assertThat(gateway.output()).as(gateway.output()).contains("192.168.65.1");
    }

    @Test
    void forwardedNamesResolveInTheGuest() throws Exception {
        var forwarded = guest.exec("busybox nslookup forwarded.test 192.168.65.1");
        assertThat(forwarded.exitCode()).as(forwarded.output()).isZero();
        assertThat(forwarded.output()).contains("10.7.7.7");
        var dig = guest.exec("dig @192.168.65.1 +tries=1 +time=5 +short forwarded.test A");
        assertThat(dig.output().strip()).isEqualTo("10.7.7.7");
        assertThat(server.counters().upstreamQueries.sum()).isPositive();
        // the same question again (dig's, with EDNS0) is answered from the cache
        var again = guest.exec("dig @192.168.65.1 +tries=1 +time=5 +short forwarded.test A");
        assertThat(again.output().strip()).isEqualTo("10.7.7.7");
        assertThat(server.counters().cacheHits.sum()).isPositive();
    }

    @Test
    void namesResolveOverTcpThroughTheStack() throws Exception {
        var local = guest.exec("dig @192.168.65.1 +tcp +tries=1 +time=5 +short host.docker.internal A");
        assertThat(local.output().strip()).as(local.output()).isEqualTo("192.168.65.254");
        var forwarded = guest.exec("dig @192.168.65.1 +tcp +tries=1 +time=5 +short forwarded.test AAAA");
        assertThat(forwarded.output().strip()).as(forwarded.output()).isEqualTo("fd00::7");
    }

    @Test
    void unknownNamesGetNxdomainFromUpstream() throws Exception {
        var out = guest.exec("dig @192.168.65.1 +tries=1 +time=5 missing.test A");
        assertThat(out.output()).contains("status: NXDOMAIN");
    }
}
