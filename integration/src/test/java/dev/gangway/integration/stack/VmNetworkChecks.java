package dev.gangway.integration.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.lab.GuestVm;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a lab VM on the stack must be able to do, whatever its link: DHCP, ping, UDP echo to the host. */
final class VmNetworkChecks {
    private VmNetworkChecks() {
    }

    static void dhcp(GuestVm vm) throws IOException {
        var result = vm.exec("udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 10 -T 2 && ip -4 addr show eth0 && ip route");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("inet 192.168.65.2/24").contains("default via 192.168.65.1");
    }

    static void ping(GuestVm vm) throws Exception {
        var range = Files.readString(Path.of("/proc/sys/net/ipv4/ping_group_range")).strip().replaceAll("\\s+", " ");
        run("sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647");
        try {
            var gateway = vm.exec("ping -c 3 -W 5 192.168.65.1");
            assertThat(gateway.output()).as(gateway.output()).contains("3 packets transmitted, 3 packets received");
            var host = vm.exec("ping -c 3 -W 5 192.168.65.254");
            assertThat(host.output()).as(host.output()).contains("3 packets transmitted, 3 packets received");
        } finally {
            run("sysctl", "-q", "-w", "net.ipv4.ping_group_range=" + range);
        }
    }

    /**
     * UDP from inside the VM to a host echo server on 127.0.0.1 (through the host alias), for sizes from 1
     * to 65507 bytes, and a closed port seen as refused. The VM's busybox has no UDP client, so a tiny
     * libc-free one ({@code udpecho.c}) is compiled here and copied in.
     */
    static void udpEcho(GuestVm vm) throws Exception {
        installUdpEcho(vm);
        try (var socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setReceiveBufferSize(1 << 20);
            var server = Thread.ofPlatform().daemon().start(() -> {
                var buffer = new byte[65536];
                while (!socket.isClosed()) {
                    var packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                        socket.send(new DatagramPacket(buffer, packet.getLength(), packet.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            for (int size : new int[] {1, 100, 1472, 1473, 4000, 8000, 32768, 65507}) {
                // A datagram lost on a loaded machine (udpecho says "timeout") is sent again, twice at most.
                var result = vm.exec("for t in 1 2 3; do /tmp/udpecho 192.168.65.254 " + socket.getLocalPort() + " "
                        + size + " && break; done");
                assertThat(result.output().strip().lines().toList()).as("echo of %d bytes", size).last()
                        .isEqualTo("ok");
                assertThat(result.output()).doesNotContain("differs").doesNotContain("short");
            }
            int closed;
            try (var probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                closed = probe.getLocalPort();
            }
            var refused = vm.exec("/tmp/udpecho 192.168.65.254 " + closed + " 10");
            assertThat(refused.output().strip()).isEqualTo("refused");
            socket.close();
            server.join(2000);
        }
    }

    private static void installUdpEcho(GuestVm vm) throws Exception {
        var encoded = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(UdpEchoClient.binary()));
        var copy = vm.exec("echo " + encoded + " | base64 -d > /tmp/udpecho && chmod +x /tmp/udpecho");
        assertThat(copy.exitCode()).as(copy.output()).isZero();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor();
    }
}
