package dev.gangway.forward.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The /proc lookup against the running kernel: sockets of this JVM must be found and named. */
class PortHoldersTest {
    @Test
    void decodesTheKernelsByteOrder() {
        assertThat(PortHolders.decode("0100007F").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(PortHolders.decode("00000000000000000000000001000000")).isEqualTo(Endpoints.address("::1"));
        assertThat(PortHolders.decode("0000000000000000FFFF00000100007F")).isEqualTo(Endpoints.address("127.0.0.1"));
    }

    @Test
    void namesAnotherProcessByPidAndCommand() throws Exception {
        dev.gangway.forward.Lab.requireTools("socat");
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        var socat = new ProcessBuilder("socat", "TCP4-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr", "EXEC:cat")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            var holders = new PortHolders();
            var address = new InetSocketAddress(Endpoints.address("127.0.0.1"), port);
            org.awaitility.Awaitility.await().until(() -> holders.find(Protocol.TCP, address).isPresent());
            assertThat(holders.find(Protocol.TCP, address)).hasValue(new PortHolders.Holder(socat.pid(), "socat"));
        } finally {
            socat.destroy();
            socat.waitFor();
        }
    }

    @Test
    void findsThisProcessHoldingATcpListenerAndAUdpSocket() throws Exception {
        var holders = new PortHolders();
        try (var tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             var udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            var tcpHolder = holders.find(Protocol.TCP, new InetSocketAddress(Endpoints.address("127.0.0.1"), tcp.getLocalPort()));
            assertThat(tcpHolder).hasValueSatisfying(h -> assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid()));
            // A wildcard request overlaps the loopback listener.
            assertThat(holders.find(Protocol.TCP, new InetSocketAddress(Endpoints.address("0.0.0.0"), tcp.getLocalPort())))
                    .isPresent();
            assertThat(holders.find(Protocol.UDP, new InetSocketAddress(Endpoints.address("127.0.0.1"), udp.getLocalPort())))
                    .hasValueSatisfying(h -> assertThat(h.toString()).startsWith("pid " + ProcessHandle.current().pid() + " ("));
            // Another address of the same port does not.
            assertThat(holders.inode(Protocol.TCP, new InetSocketAddress(Endpoints.address("127.0.0.2"), tcp.getLocalPort())))
                    .isEmpty();
        }
    }
}
