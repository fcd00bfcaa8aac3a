package dev.gangway.integration.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.forward.ForwarderOptions;
import dev.gangway.forward.ForwarderService;
import dev.gangway.forward.api.ApiClient;
import dev.gangway.forward.api.ForwardRequest;
import dev.gangway.forward.table.Endpoints;
import dev.gangway.integration.netns.NamespaceGuest;
import dev.gangway.launcher.wiring.StackDialer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Port forwarding through the userspace stack, end to end: servers run inside the guest namespace (its Linux
 * kernel is their TCP/IP stack), the forwarder's control API is driven over its unix socket, and every
 * forwarded connection is dialed by the stack's TCP engine ({@link StackDialer}), so the guest sees the
 * source address the forwarder chose. The stack runs on its default group (one loop per core), so host
 * channels and guest connections are often on different loops: the handover gate is exercised too.
 *
 * <p>CI moves 256 MiB per transfer; the acceptance run sets {@code -Dgangway.forward.transferMiB=1024} (1 GiB
 * each way, sha256 checked).
 */
class ForwardThroughStackIT {
    private static final int HTTP = 80;
    private static final int ECHO = 9000;
    private static final int STREAM = 9001;
    private static final int UDP_ECHO = 5353;
    private static final int GREET = 9002;
    private static final long SEED = 7;
    private static final long TRANSFER = Long.getLong("gangway.forward.transferMiB", 256) << 20;

    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(65520));

    static GuestServers servers;
    static StackDialer dialer;
    static ForwarderService service;
    static ApiClient api;
    static InetAddress guestIp;

    @BeforeAll
    static void start() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("curl"), "curl");
        guestIp = InetAddress.ofLiteral(guest.exec("ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1")
                .output().strip());
        servers = new GuestServers(guest.name());
        servers.http(guestIp, HTTP);
        servers.echo(guestIp, ECHO);
        servers.streamAfterEof(guestIp, STREAM, SEED, TRANSFER);
        servers.udpEcho(guestIp, UDP_ECHO);
        servers.greet(guestIp, GREET);
        dialer = StackDialer.of(guest.stack());
        service = ForwarderService.start(dialer, guest.dir().resolve("api.sock"),
                ForwarderOptions.DEFAULT);
        api = new ApiClient(service.apiSocket());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (dialer != null) {
            dialer.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    static String expose(String protocol, String host, int guestPort) throws Exception {
        return api.expose(new ForwardRequest(protocol, host, guestIp.getHostAddress() + ":" + guestPort)).host();
    }

    static NamespaceGuest.Result hostExec(String... command) throws Exception {
        return NamespaceGuest.run(List.of(command));
    }

    @Test
    void curlOnLoopbackReachesAGuestServerThatSeesTheHostAlias() throws Exception {
        var host = expose("tcp", "127.0.0.1:0", HTTP);
        var page = hostExec("curl", "-sS", "--max-time", "20", "http://" + host + "/");
        assertThat(page.output()).startsWith("peer 192.168.65.254:");
        var view = api.list().stream().filter(f -> f.host().equals(host)).findFirst().orElseThrow();
        assertThat(view.connections().total()).isEqualTo(1);
        assertThat(view.bytes().fromGuest()).isPositive();
        api.unexpose("tcp", host);
        assertThat(hostExec("curl", "-sS", "--max-time", "20", "http://" + host + "/").exitCode()).isEqualTo(7);
    }

    @Test
    void ipv6LoopbackAsTheHostAddress() throws Exception {
        var host = expose("tcp", "[::1]:0", HTTP);
        assertThat(host).startsWith("[::1]:");
        var page = hostExec("curl", "-sS", "-g", "--max-time", "20", "http://" + host + "/");
        assertThat(page.output()).as(page.toString()).startsWith("peer 192.168.65.254:");
        api.unexpose("tcp", host);
    }

    @Test
    void aUnixSocketForwardCarriesHttp() throws Exception {
        var socket = guest.dir().resolve("docker.sock").toString();
        expose("unix", socket, HTTP);
        var page = hostExec("curl", "-sS", "--max-time", "20", "--unix-socket", socket, "http://docker/");
        assertThat(page.output()).as(page.toString()).startsWith("peer 192.168.65.254:");
        api.unexpose("unix", socket);
    }

    @Test
    void aUdpForwardCarriesRequestsAndResponses() throws Exception {
        var host = Endpoints.parse(expose("udp", "127.0.0.1:0", UDP_ECHO));
        servers.peers.clear();
        try (var client = new DatagramSocket()) {
            client.setSoTimeout(10_000);
            for (var text : new String[] {"first question", "second question", "x".repeat(1400)}) {
                var bytes = text.getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(bytes, bytes.length, host));
                var reply = new DatagramPacket(new byte[65535], 65535);
                client.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
                        .isEqualTo("echo " + text);
            }
            assertThat(servers.peers).allSatisfy(peer ->
                    assertThat(peer.getAddress().getHostAddress()).isEqualTo("192.168.65.254"));
        }
        api.unexpose("udp", Endpoints.format(host));
    }

    /**
     * The client sends its request and FIN; only then does the guest stream the whole reply. The host socket
     * is half-closed (input shut) for the entire transfer, and its writes must wait for the client again and
     * again: the case where Netty's epoll transport has lost data.
     */
    @Test
    void aReplyStreamedAfterTheClientsFinArrivesWhole() throws Exception {
        var host = Endpoints.parse(expose("tcp", "127.0.0.1:0", STREAM));
        var expected = GuestServers.patternSha256(SEED, TRANSFER);
        try (var socket = new Socket()) {
            socket.connect(host, 10_000);
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write("GET everything\n".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            var digest = MessageDigest.getInstance("SHA-256");
            long got = readAll(socket.getInputStream(), digest);
            var view = api.list().stream().filter(f -> f.host().equals(Endpoints.format(host))).findFirst()
                    .orElseThrow();
            assertThat(got).as("bytes of the reply; forward %s; stack counters %s", view,
                    guest.stack().counters().snapshot()).isEqualTo(TRANSFER);
            assertThat(digest.digest()).isEqualTo(expected);
        }
        api.unexpose("tcp", Endpoints.format(host));
    }

    @Test
    void bothDirectionsAtOnceKeepTheirSha256() throws Exception {
        var host = Endpoints.parse(expose("tcp", "127.0.0.1:0", ECHO));
        try (var socket = new Socket()) {
            socket.connect(host, 10_000);
            socket.setSoTimeout(60_000);
            var sent = MessageDigest.getInstance("SHA-256");
            var writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    var block = new byte[1 << 20];
                    new SplittableRandom(11).nextBytes(block);
                    for (long i = 0; i < TRANSFER / block.length; i++) {
                        ByteBuffer.wrap(block).putLong(0, i);
                        sent.update(block);
                        out.write(block);
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            var received = MessageDigest.getInstance("SHA-256");
            long got;
            try {
                got = readAll(socket.getInputStream(), received);
            } catch (java.net.SocketTimeoutException e) {
                var view = api.list().stream().filter(f -> f.host().equals(Endpoints.format(host))).findFirst()
                        .orElseThrow();
                throw new AssertionError("the echo stalled; forward " + view + "; stack counters "
                        + guest.stack().counters().snapshot(), e);
            }
            writer.get(120, TimeUnit.SECONDS);
            assertThat(got).isEqualTo(TRANSFER);
            assertThat(received.digest()).isEqualTo(sent.digest());
        }
        var host2 = Endpoints.format(host);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            var view = api.list().stream().filter(f -> f.host().equals(host2)).findFirst().orElseThrow();
            assertThat(view.bytes().toGuest()).isEqualTo(TRANSFER);
            assertThat(view.bytes().fromGuest()).isEqualTo(TRANSFER);
            assertThat(view.connections().active()).isZero();
        });
        api.unexpose("tcp", host2);
    }

    /** The guest's reply and FIN arrive while the forwarder is still taking the dialed channel over. */
    @Test
    void aServerThatSpeaksFirstAndClosesIsHeardOnEveryConnection() throws Exception {
        var host = Endpoints.parse(expose("tcp", "127.0.0.1:0", GREET));
        int empty = 0;
        for (int i = 0; i < 300; i++) {
            try (var socket = new Socket()) {
                socket.connect(host, 10_000);
                socket.setSoTimeout(30_000);
                var got = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (!got.equals("ok\n")) {
                    empty++;
                }
            }
        }
        assertThat(empty).as("connections that did not get the greeting").isZero();
        api.unexpose("tcp", Endpoints.format(host));
    }

    @Test
    void aThousandConcurrentConnections() throws Exception {
        int count = 1000;
        var host = Endpoints.parse(expose("tcp", "127.0.0.1:0", ECHO));
        var sockets = new ArrayList<Socket>();
        try {
            for (int i = 0; i < count; i++) {
                var socket = new Socket();
                sockets.add(socket);
                socket.connect(host, 10_000);
                socket.setSoTimeout(60_000);
                socket.getOutputStream().write(("connection " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            // All are open at once; each gets its own bytes back.
            for (int i = 0; i < count; i++) {
                var expected = ("connection " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                byte[] got;
                try {
                    got = sockets.get(i).getInputStream().readNBytes(expected.length);
                } catch (IOException e) {
                    var view = api.list().stream().filter(f -> f.host().equals(Endpoints.format(host))).findFirst()
                            .orElseThrow();
                    throw new AssertionError("connection " + i + ": " + e + "; forward " + view + "; stack counters "
                            + guest.stack().counters().snapshot(), e);
                }
                assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo(new String(expected,
                        StandardCharsets.US_ASCII));
            }
            var view = api.list().stream().filter(f -> f.host().equals(Endpoints.format(host))).findFirst()
                    .orElseThrow();
            assertThat(view.connections().active()).isEqualTo(count);
            assertThat(view.connections().failed()).isZero();
        } finally {
            for (var socket : sockets) {
                socket.close();
            }
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(api.list().stream().filter(f -> f.host().equals(Endpoints.format(host))).findFirst()
                        .orElseThrow().connections().active()).isZero());
        api.unexpose("tcp", Endpoints.format(host));
    }

    /**
     * A client on another machine (a second namespace behind a veth) keeps its own address: the guest's server
     * sees it, not the host alias.
     */
    @Test
    void aNonLoopbackClientIsSeenInTheGuestWithItsOwnAddress() throws Exception {
        var client = guest.name() + "c";
        long tag = ProcessHandle.current().pid() % 200 + 20;
        var hostSide = "10.213." + tag + ".1";
        var clientSide = "10.213." + tag + ".2";
        var hostIf = "gwc" + ProcessHandle.current().pid() % 100000;
        try {
            check(hostExec("ip", "netns", "add", client));
            check(hostExec("ip", "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", client));
            check(hostExec("ip", "addr", "add", hostSide + "/30", "dev", hostIf));
            check(hostExec("ip", "link", "set", hostIf, "up"));
            check(hostExec("ip", "-n", client, "addr", "add", clientSide + "/30", "dev", "eth0"));
            check(hostExec("ip", "-n", client, "link", "set", "eth0", "up"));
            check(hostExec("ip", "-n", client, "link", "set", "lo", "up"));
            var host = expose("tcp", hostSide + ":0", HTTP);
            var page = hostExec("ip", "netns", "exec", client, "curl", "-sS", "--max-time", "20",
                    "http://" + host + "/");
            assertThat(page.output()).as(page.toString()).startsWith("peer " + clientSide + ":");
            api.unexpose("tcp", host);
        } finally {
            hostExec("ip", "link", "del", hostIf);
            hostExec("ip", "netns", "del", client);
        }
    }

    /**
     * The mirror case on the stack's own NAT host sockets: a host server sends its greeting and FIN first, then
     * reads what the guest uploads. The stack's host socket is half-closed (input shut) while the guest's
     * bytes must wait for the server again and again.
     */
    @Test
    void aHostServerThatHalfClosedFirstReceivesTheGuestsWholeUpload() throws Exception {
        try (var server = new java.net.ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            var result = CompletableFuture.supplyAsync(() -> {
                try (var client = server.accept()) {
                    client.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
                    client.shutdownOutput();
                    var digest = MessageDigest.getInstance("SHA-256");
                    long got = readAll(client.getInputStream(), digest);
                    return got + " " + java.util.HexFormat.of().formatHex(digest.digest());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            var alias = new java.net.InetSocketAddress(InetAddress.ofLiteral("192.168.65.254"), server.getLocalPort());
            var expected = GuestServers.patternSha256(SEED, TRANSFER);
            try (var socket = dev.gangway.posix.Netns.call("/run/netns/" + guest.name(), () -> {
                var s = new Socket();
                s.connect(alias, 10_000);
                return s;
            })) {
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("go\n");
                OutputStream out = socket.getOutputStream();
                for (long i = 0; i < TRANSFER / (64 << 10); i++) {
                    out.write(GuestServers.patternBlock(SEED, i));
                }
                socket.shutdownOutput();
                assertThat(result.get(120, TimeUnit.SECONDS)).as("stack counters %s",
                        guest.stack().counters().snapshot())
                        .isEqualTo(TRANSFER + " " + java.util.HexFormat.of().formatHex(expected));
            }
        }
    }

    private static void check(NamespaceGuest.Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private static long readAll(InputStream in, MessageDigest digest) throws IOException {
        var buffer = new byte[1 << 20];
        long got = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            digest.update(buffer, 0, n);
            got += n;
        }
        return got;
    }
}
