package dev.gangway.integration.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gangway.integration.netns.NamespaceGuest;
import dev.gangway.stack.tcp.TcpLink;
import dev.gangway.stack.wire.Ipv4Packet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance 3, 4 and 5 at MTU 1500, with the guest kernel as peer: many concurrent connections each
 * moving data checked by sha256, then many short sequential ones, after which the stack's host file
 * descriptors and connection table are back at their baseline; half-close in both directions; a closed
 * host port is refused at once. CI runs 200 concurrent connections of 1 MiB and 1000 sequential ones;
 * the acceptance run sets {@code -Dgangway.tcp.concurrent=1000 -Dgangway.tcp.sequential=10000}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TcpConnectionsIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500));

    static HashReplyServer hash;
    static HashReplyServer greet;

    @BeforeAll
    static void start() throws Exception {
        hash = HashReplyServer.start(HashReplyServer.Mode.HASH);
        greet = HashReplyServer.start(HashReplyServer.Mode.GREET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hash != null) {
            hash.close();
        }
        if (greet != null) {
            greet.close();
        }
    }

    /** Runs {@link GuestClient} in the guest; {@code budgetBytes} sizes the wait (a minute plus a second per MiB). */
    static NamespaceGuest.Result guestJava(long budgetBytes, String... args) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java");
        var command = new StringBuilder(java + " -Xss256k -cp " + System.getProperty("java.class.path") + " "
                + GuestClient.class.getName());
        for (var arg : args) {
            command.append(' ').append(arg);
        }
        return TcpTransfers.longRun(guest, command.toString(), budgetBytes);
    }

    static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    static int flows() {
        int total = 0;
        for (var link : guest.stack().gateway().links()) {
            total += link.transport(Ipv4Packet.PROTO_TCP, TcpLink.class).flowCount();
        }
        return total;
    }

    static void awaitBaseline(long descriptors) {
        Callable<Boolean> back = () -> flows() == 0 && openDescriptors() <= descriptors;
        await("connection table empty and host descriptors back to " + descriptors).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(back);
    }

    @Test
    @Order(1)
    void closedHostPortIsRefused() throws Exception {
        int closed;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        NamespaceGuest.require(NamespaceGuest.onPath("socat"), "socat");
        var result = guest.exec("echo hello | socat -T 20 - TCP:192.168.65.254:" + closed);
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("Connection refused");
        assertThat(guest.stack().counters().drops("tcp/host-refused")).isPositive();
    }

    /**
     * A destination the host has no route to: the host's connect fails with EHOSTUNREACH at once (an
     * {@code unreachable} route for one TEST-NET-2 address, added here and removed after; no packet leaves
     * the machine), and the guest's connect fails with "No route to host" through the stack's ICMP
     * destination unreachable, as on a direct path.
     */
    @Test
    @Order(2)
    void unreachableHostFailsWithNoRouteToHost() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("socat"), "socat");
        String target = "198.51.100." + (2 + ProcessHandle.current().pid() % 250);
        run("ip", "route", "add", "unreachable", target + "/32");
        try {
            long before = guest.stack().counters().drops("tcp/host-unreachable");
            var result = guest.exec("echo hello | socat -T 20 - TCP:" + target + ":80");
            assertThat(result.exitCode()).as(result.output()).isNotZero();
            assertThat(result.output()).contains("No route to host");
            assertThat(guest.stack().counters().drops("tcp/host-unreachable")).isGreaterThan(before);
        } finally {
            run("ip", "route", "del", "unreachable", target + "/32");
        }
    }

    static void run(String... command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    @Test
    @Order(2)
    void halfCloseFromTheGuest() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("socat"), "socat");
        var result = guest.exec("printf 'guest data' | socat -t 30 - TCP:192.168.65.254:" + hash.port());
        assertThat(result.exitCode()).as(result.output()).isZero();
        var expected = java.util.HexFormat.of().formatHex(HashingHttpServer.sha256().digest("guest data".getBytes()));
        assertThat(result.output().strip()).isEqualTo(expected + " 10");
    }

    @Test
    @Order(3)
    void halfCloseFromTheHost() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("socat"), "socat");
        greet.received.clear();
        // The host sends its greeting and shuts its output down first; the guest answers afterwards.
        var result = guest.exec("(sleep 1; printf 'late guest data') | socat -t 30 - TCP:192.168.65.254:" + greet.port());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEqualTo(HashReplyServer.GREETING);
        await().atMost(Duration.ofSeconds(30)).until(() -> !greet.received.isEmpty());
        assertThat(greet.received.poll()).isEqualTo("late guest data");
    }

    @Test
    @Order(4)
    void concurrentConnectionsThenSequentialOnesLeaveNothingBehind() throws Exception {
        awaitBaseline(Long.MAX_VALUE);
        long baseline = openDescriptors();
        int concurrent = Integer.getInteger("gangway.tcp.concurrent", 200);
        var many = guestJava((long) concurrent << 20, "concurrent", "192.168.65.254", Integer.toString(hash.port()),
                Integer.toString(concurrent), Integer.toString(1 << 20));
        assertThat(many.output().strip()).as("%s; stack: %s", many.output(), guest.stack().counters().snapshot()).isEqualTo("ok " + concurrent);
        awaitBaseline(baseline);
        int sequential = Integer.getInteger("gangway.tcp.sequential", 1000);
        var serial = guestJava((long) sequential << 14, "sequential", "192.168.65.254", Integer.toString(hash.port()),
                Integer.toString(sequential), "100");
        assertThat(serial.output().strip()).as("%s; stack: %s", serial.output(), guest.stack().counters().snapshot()).isEqualTo("ok " + sequential);
        awaitBaseline(baseline);
    }
}
