package dev.gangway.integration.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * The user's path: {@code gangway net serve} and {@code gangway tap-bridge} as separate processes (the
 * CLI's main class on this test's class path), a namespace guest configured by udhcpc, the DNS proxy on
 * the gateway, one event line per link event, counters printed at exit.
 */
class NetServeCliIT {
    private final List<Process> processes = new ArrayList<>();
    private Path dir;
    private String netns;

    Process gangway(Path log, String... args) throws IOException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.gangway.launcher.cli.Main"));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    @Test
    void serveAndBridgeGiveANamespaceItsNetworkAndNames() throws Exception {
        Assumptions.assumeTrue(NamespaceGuest.isRoot(), "needs root (network namespaces, TAP)");
        NamespaceGuest.require(NamespaceGuest.onPath("busybox"), "busybox-static");
        dir = Files.createTempDirectory("gangway-cli-");
        netns = "gwcli" + ProcessHandle.current().pid();
        var socket = dir.resolve("link.sock");
        var serveLog = dir.resolve("serve.log");
        var serve = gangway(serveLog, "net", "serve", "--link", "qemu:unix:" + socket, "--pcap",
                dir.resolve("c.pcap").toString(), "--dns-upstream", "127.0.0.1:9");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(serveLog).contains("network "));
        assertThat(Files.readString(serveLog)).contains("listening: qemu:unix:" + socket)
                .contains("dns: serving on 192.168.65.1:53");
        NamespaceGuest.run(List.of("ip", "netns", "add", netns));
        var bridgeLog = dir.resolve("bridge.log");
        gangway(bridgeLog, "tap-bridge", "--netns", netns, "--connect", "qemu:unix:" + socket);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(bridgeLog).contains("connected"));
        var script = dir.resolve("udhcpc.script");
        Files.writeString(script, """
                #!/bin/sh
                case "$1" in
                  bound|renew)
                    ip addr add "$ip/$mask" dev "$interface"
                    ip route replace default via "$router" dev "$interface"
                    ;;
                esac
                """);
        script.toFile().setExecutable(true);
        var up = NamespaceGuest.run(List.of("ip", "netns", "exec", netns, "sh", "-c",
                "ip link set lo up && ip link set eth0 up && busybox udhcpc -i eth0 -s " + script
                        + " -q -n -t 10 -T 2 && busybox nslookup host.docker.internal 192.168.65.1"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("lease of 192.168.65.2 obtained").contains("Address: 192.168.65.254");
        var log = Files.readString(serveLog);
        assertThat(log).contains("link accepted: qemu:unix:").contains("link up: qemu:unix:");
        serve.destroy();
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(serveLog)).contains("counters: {").contains("dhcp.frames-in=");
    }

    @AfterEach
    void cleanUp() throws Exception {
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
