package dev.gangway.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code gangway dns serve} as a user runs it: a separate JVM serving on loopback, asked with dig, stopped
 * with SIGTERM (it prints its counters on the way out).
 */
class DnsCommandIT {
    @Test
    void servesBuiltInAndStaticNamesUntilTerminated() throws Exception {
        var dig = Path.of("/usr/bin/dig");
        if (!Files.isExecutable(dig)) {
            if ("root".equals(System.getProperty("user.name"))) {
                throw new AssertionError("missing prerequisite: dig (bind9-dnsutils)");
            }
            Assumptions.abort("needs dig (bind9-dnsutils)");
        }
        int port;
        try (var probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        var log = Files.createTempFile("gangway-dns-serve-", ".log");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "dns", "serve",
                "--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.1:9", "--hosts-file", "none",
                "--record", "db.test A 10.0.0.5", "--vm-name", "docker-vm", "--vm-address", "192.168.65.2")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive()
                    || Files.readString(log).contains("serving on"));
            assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(ask(dig, port, "host.docker.internal")).isEqualTo("192.168.65.254");
            assertThat(ask(dig, port, "db.test")).isEqualTo("10.0.0.5");
            assertThat(ask(dig, port, "docker-vm")).isEqualTo("192.168.65.2");
        } finally {
            p.destroy();
            p.waitFor();
        }
        assertThat(Files.readString(log)).contains("gangway dns: stopped;").contains("localAnswers=3");
        Files.delete(log);
    }

    private static String ask(Path dig, int port, String name) throws IOException, InterruptedException {
        Process d = new ProcessBuilder(List.of(dig.toString(), "@127.0.0.1", "-p", String.valueOf(port), "+short",
                "+tries=1", "+time=5", name, "A")).redirectErrorStream(true).start();
        String out = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        d.waitFor();
        return out;
    }
}
