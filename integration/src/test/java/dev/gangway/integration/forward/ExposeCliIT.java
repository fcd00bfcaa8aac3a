package dev.gangway.integration.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.integration.netns.NamespaceGuest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code docker run -p} the user's way: {@code gangway net serve} (which hosts the port forwarder) and
 * {@code gangway tap-bridge} as processes, a server inside the guest namespace, {@code gangway expose 8080:80}
 * against the running daemon's API, curl on the host. Then the guest restarts (its link goes away, a new
 * bridge brings the interface back with the same MAC, DHCP runs again) and the forward that already existed
 * carries connections again.
 */
class ExposeCliIT {
    private static final String MAC = "02:42:c0:a8:41:02";

    private final List<Process> processes = new ArrayList<>();
    private Path dir;
    private String netns;
    private GuestServers servers;

    private Process gangway(Path log, String... args) throws IOException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.gangway.launcher.cli.Main"));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    private NamespaceGuest.Result cli(String... args) throws Exception {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.gangway.launcher.cli.Main"));
        command.addAll(List.of(args));
        return NamespaceGuest.run(command);
    }

    private Process bridge(Path link, int generation) throws Exception {
        var log = dir.resolve("bridge" + generation + ".log");
        var bridge = gangway(log, "tap-bridge", "--netns", netns, "--connect", "qemu:unix:" + link);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("connected"));
        var up = NamespaceGuest.run(List.of("ip", "netns", "exec", netns, "sh", "-c",
                "ip link set eth0 address " + MAC + " && ip link set eth0 up && busybox udhcpc -i eth0 -s "
                        + dir.resolve("udhcpc.script") + " -q -n -t 10 -T 2"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("lease of 192.168.65.2 obtained");
        return bridge;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void exposeReachesTheGuestThroughTheStackAndSurvivesAGuestRestart() throws Exception {
        Assumptions.assumeTrue(NamespaceGuest.isRoot(), "needs root (network namespaces, TAP)");
        NamespaceGuest.require(NamespaceGuest.onPath("busybox"), "busybox-static");
        NamespaceGuest.require(NamespaceGuest.onPath("curl"), "curl");
        dir = Files.createTempDirectory("gangway-expose-");
        netns = "gwexp" + ProcessHandle.current().pid();
        var link = dir.resolve("link.sock");
        var api = dir.resolve("api.sock");
        var serveLog = dir.resolve("serve.log");
        gangway(serveLog, "net", "serve", "--link", "qemu:unix:" + link, "--api", api.toString(),
                "--dns-upstream", "127.0.0.1:9");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(serveLog).contains("network "));
        assertThat(Files.readString(serveLog)).contains("ports: forwarder API on " + api);
        Files.writeString(dir.resolve("udhcpc.script"), """
                #!/bin/sh
                case "$1" in
                  deconfig)
                    ip addr flush dev "$interface"
                    ;;
                  bound|renew)
                    ip addr add "$ip/$mask" dev "$interface"
                    ip route replace default via "$router" dev "$interface"
                    ;;
                esac
                """);
        dir.resolve("udhcpc.script").toFile().setExecutable(true);
        NamespaceGuest.run(List.of("ip", "netns", "add", netns));
        NamespaceGuest.run(List.of("ip", "-n", netns, "link", "set", "lo", "up"));
        var bridge = bridge(link, 1);
        var guestIp = InetAddress.ofLiteral("192.168.65.2");
        servers = new GuestServers(netns);
        servers.http(guestIp, 80);

        int port = freePort();
        var exposed = cli("expose", "--api", api.toString(), port + ":80");
        assertThat(exposed.exitCode()).as(exposed.output()).isZero();
        assertThat(exposed.output()).contains("127.0.0.1:" + port + "/tcp -> 192.168.65.2:80");
        var url = "http://127.0.0.1:" + port + "/";
        var page = NamespaceGuest.run(List.of("curl", "-sS", "--max-time", "20", url));
        assertThat(page.output()).as(page.toString()).startsWith("peer 192.168.65.254:");
        var ports = cli("ports", "--api", api.toString());
        assertThat(ports.output()).contains("127.0.0.1:" + port).contains("192.168.65.2:80");

        // The guest goes away: the forward stays, its clients are refused at once.
        bridge.destroy();
        assertThat(bridge.waitFor(20, TimeUnit.SECONDS)).isTrue();
        servers.close();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(serveLog).contains("link down"));
        var refused = NamespaceGuest.run(List.of("curl", "-sS", "--max-time", "20", url));
        assertThat(refused.exitCode()).as(refused.output()).isIn(52, 56);

        // It comes back (new link, DHCP again): the same forward carries connections again.
        bridge(link, 2);
        servers = new GuestServers(netns);
        servers.http(guestIp, 80);
        var again = NamespaceGuest.run(List.of("curl", "-sS", "--max-time", "20", url));
        assertThat(again.output()).as(again.toString()).startsWith("peer 192.168.65.254:");

        var unexposed = cli("unexpose", "--api", api.toString(), String.valueOf(port));
        assertThat(unexposed.exitCode()).as(unexposed.output()).isZero();
        assertThat(NamespaceGuest.run(List.of("curl", "-sS", "--max-time", "20", url)).exitCode()).isEqualTo(7);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (servers != null) {
            servers.close();
        }
        for (var process : processes) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (netns != null) {
            NamespaceGuest.run(List.of("ip", "netns", "del", netns));
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
