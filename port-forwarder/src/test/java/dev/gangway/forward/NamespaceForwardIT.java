package dev.gangway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gangway.forward.dial.HostNetworkDialer;
import dev.gangway.forward.table.Endpoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forwarder end to end with real peers: servers in a network namespace behind a veth (busybox httpd,
 * socat, a kernel-socket echo server in its own JVM), clients that are curl and kernel sockets, and the control API driven by curl over its unix socket.
 * The dialer is the plain-host one; the stack's dialer replaces it later without changing the forwarder.
 */
class NamespaceForwardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HTTP = 8080;
    private static final int ECHO = 9000;
    private static final int UDP_ECHO = 5353;

    private static Lab lab;
    private static Path dir;
    private static HostNetworkDialer dialer;
    private static ForwarderService service;
    private static RecordingDialer recording;

    @BeforeAll
    static void start() throws Exception {
        Lab.require("ip", "ss", "socat", "busybox", "curl");
        dir = Files.createTempDirectory("gangway-forward-it");
        lab = Lab.create("gwfwd", 0);
        Files.writeString(dir.resolve("index.html"), "hello from the namespace\n");
        startHttpd();
        var java = ProcessHandle.current().info().command().orElseThrow();
        lab.start(java, "-cp", System.getProperty("java.class.path"), TestPeers.class.getName(), "tcp-echo",
                lab.guest().getHostAddress(), String.valueOf(ECHO));
        lab.start("socat", "-T", "30", "UDP4-RECVFROM:" + UDP_ECHO + ",fork", "PIPE");
        lab.awaitTcpListener(ECHO);
        lab.awaitUdpSocket(UDP_ECHO);
        dialer = HostNetworkDialer.create(2, Duration.ofSeconds(3));
        recording = new RecordingDialer(dialer);
        service = ForwarderService.start(recording, dir.resolve("run/api.sock"), ForwarderOptions.DEFAULT);
    }

    private static Process httpd;

    private static void startHttpd() throws Exception {
        httpd = lab.start("busybox", "httpd", "-f", "-p", lab.guest().getHostAddress() + ":" + HTTP, "-h", dir.toString());
        lab.awaitTcpListener(HTTP);
    }

    @AfterAll
    static void stop() throws IOException {
        if (service != null) {
            service.close();
        }
        if (dialer != null) {
            dialer.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static String guest(int port) {
        return lab.guest().getHostAddress() + ":" + port;
    }

    /** {@code curl} against the control API; returns the status code and the JSON body. */
    private static Lab.Result api(String method, String path, String body) throws IOException {
        var command = new java.util.ArrayList<>(java.util.List.of("curl", "-sS", "--unix-socket",
                service.apiSocket().toString(), "-X", method, "-w", "\n%{http_code}"));
        if (body != null) {
            command.addAll(java.util.List.of("-H", "Content-Type: application/json", "--data", body));
        }
        command.add("http://gangway" + path);
        var result = Lab.exec(command.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
        var out = result.output().strip();
        int cut = out.lastIndexOf('\n');
        return new Lab.Result(Integer.parseInt(out.substring(cut + 1)), cut < 0 ? "" : out.substring(0, cut));
    }

    private static JsonNode expose(String protocol, String host, String guest) throws IOException {
        var result = api("POST", "/forwards",
                "{\"protocol\":\"" + protocol + "\",\"host\":\"" + host + "\",\"guest\":\"" + guest + "\"}");
        assertThat(result.exit()).as(result.output()).isEqualTo(201);
        return JSON.readTree(result.output());
    }

    private static void unexpose(String protocol, String host) throws IOException {
        var query = "?protocol=" + protocol + "&host=" + java.net.URLEncoder.encode(host, StandardCharsets.UTF_8);
        assertThat(api("DELETE", "/forwards" + query, null).exit()).isEqualTo(200);
    }

    @Test
    void curlReachesTheServerThroughAForwardMadeWithTheApi() throws Exception {
        var forward = expose("tcp", "127.0.0.1:0", guest(HTTP));
        var host = forward.path("host").asText();
        var page = Lab.exec("curl", "-sS", "--max-time", "10", "http://" + host + "/");
        assertThat(page.output()).isEqualTo("hello from the namespace\n");

        var list = api("GET", "/forwards", null);
        assertThat(list.exit()).isEqualTo(200);
        var listed = JSON.readTree(list.output()).path("forwards");
        assertThat(listed).hasSize(1);
        var view = listed.get(0);
        assertThat(view.path("host").asText()).isEqualTo(host);
        assertThat(view.path("guest").asText()).isEqualTo(guest(HTTP));
        assertThat(view.path("connections").path("total").asLong()).isEqualTo(1);
        assertThat(view.path("bytes").path("toGuest").asLong()).isPositive();
        assertThat(view.path("bytes").path("fromGuest").asLong()).isGreaterThan(25);

        var conflict = api("POST", "/forwards", "{\"protocol\":\"tcp\",\"host\":\"" + host + "\",\"guest\":\"" + guest(HTTP) + "\"}");
        assertThat(conflict.exit()).isEqualTo(409);
        assertThat(JSON.readTree(conflict.output()).path("error").asText()).contains("already forwarded");
        var bad = api("POST", "/forwards", "{\"protocol\":\"tcp\",\"host\":\"127.0.0.1\",\"guest\":\"" + guest(HTTP) + "\"}");
        assertThat(bad.exit()).isEqualTo(400);
        assertThat(JSON.readTree(bad.output()).path("error").asText()).contains("ADDR:PORT");

        unexpose("tcp", host);
        assertThat(JSON.readTree(api("GET", "/forwards", null).output()).path("forwards")).isEmpty();
        assertThat(Lab.exec("curl", "-sS", "--max-time", "10", "http://" + host + "/").exit()).isEqualTo(7);
    }

    @Test
    void theGuestIsToldTheRealAddressOfARemoteClientAndTheHostAliasForALoopbackOne() throws Exception {
        var onVeth = expose("tcp", lab.hostSide().getHostAddress() + ":0", guest(HTTP)).path("host").asText();
        recording.sources().clear();
        // A client in the namespace is "another machine" to the host.
        var remote = Lab.exec("ip", "netns", "exec", lab.name(), "curl", "-sS", "--max-time", "10", "http://" + onVeth + "/");
        assertThat(remote.output()).isEqualTo("hello from the namespace\n");
        assertThat(recording.sources().poll().getAddress()).isEqualTo(lab.guest());
        var onLoopback = expose("tcp", "127.0.0.1:0", guest(HTTP)).path("host").asText();
        assertThat(Lab.exec("curl", "-sS", "--max-time", "10", "http://" + onLoopback + "/").output())
                .isEqualTo("hello from the namespace\n");
        assertThat(recording.sources().poll().getAddress().getHostAddress()).isEqualTo("192.168.65.254");
        unexpose("tcp", onVeth);
        unexpose("tcp", onLoopback);
    }

    @Test
    void ipv6HostAddress() throws Exception {
        var host = expose("tcp", "[::1]:0", guest(HTTP)).path("host").asText();
        assertThat(host).startsWith("[::1]:");
        assertThat(Lab.exec("curl", "-sS", "-g", "--max-time", "10", "http://" + host + "/").output())
                .isEqualTo("hello from the namespace\n");
        unexpose("tcp", host);
    }

    @Test
    void aUnixSocketForwardCarriesHttp() throws Exception {
        var socket = dir.resolve("run/docker.sock").toString();
        expose("unix", socket, guest(HTTP));
        assertThat(Lab.exec("curl", "-sS", "--max-time", "10", "--unix-socket", socket, "http://docker/").output())
                .isEqualTo("hello from the namespace\n");
        unexpose("unix", socket);
        assertThat(Path.of(socket)).doesNotExist();
    }

    @Test
    void udpRequestAndResponse() throws Exception {
        var host = Endpoints.parse(expose("udp", "127.0.0.1:0", guest(UDP_ECHO)).path("host").asText());
        try (var client = new DatagramSocket()) {
            client.setSoTimeout(10_000);
            for (var text : new String[] {"first question", "second question"}) {
                var bytes = text.getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(bytes, bytes.length, host));
                var reply = new DatagramPacket(new byte[1500], 1500);
                client.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo(text);
            }
        }
        unexpose("udp", Endpoints.format(host));
    }

    @Test
    void theForwardOutlivesItsGuestServerAndCarriesOnWhenItIsBack() throws Exception {
        var host = expose("tcp", "127.0.0.1:0", guest(HTTP)).path("host").asText();
        httpd.destroy();
        assertThat(httpd.waitFor(5, TimeUnit.SECONDS)).isTrue();
        var refused = Lab.exec("curl", "-sS", "--max-time", "10", "http://" + host + "/");
        // Empty reply (52) or reset (56), at once; or, when the forward resets the client before curl's own
        // connect() has returned, curl reports that as a failed connect (7). The forward stays listening:
        // the request after the server's restart below goes through it.
        assertThat(refused.exit()).as(refused.output()).isIn(7, 52, 56);
        startHttpd();
        assertThat(Lab.exec("curl", "-sS", "--max-time", "10", "http://" + host + "/").output())
                .isEqualTo("hello from the namespace\n");
        unexpose("tcp", host);
    }

    @Test
    void oneGibibyteEachWayKeepsItsSha256() throws Exception {
        long total = 1L << 30;
        var host = Endpoints.parse(expose("tcp", "127.0.0.1:0", guest(ECHO)).path("host").asText());
        var block = new byte[1 << 20];
        new SplittableRandom(42).nextBytes(block);
        long started = System.nanoTime();
        try (var socket = new Socket()) {
            socket.connect(host, 10_000);
            socket.setSoTimeout(60_000);
            var sent = MessageDigest.getInstance("SHA-256");
            var writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (long i = 0; i < total / block.length; i++) {
                        ByteBuffer.wrap(block).putLong(0, i); // no two blocks alike
                        sent.update(block);
                        out.write(block);
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            var received = MessageDigest.getInstance("SHA-256");
            long got = 0;
            InputStream in = socket.getInputStream();
            var buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.update(buffer, 0, n);
                got += n;
            }
            writer.get(60, TimeUnit.SECONDS);
            var counters = service.forwarder().list().stream()
                    .filter(f -> f.spec().host().equals(host)).findFirst().orElseThrow().counters();
            assertThat(got).as("received; the forward counted %s", counters).isEqualTo(total);
            assertThat(received.digest()).isEqualTo(sent.digest());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("1 GiB each way through the forward and a veth: %.1f s, %.2f Gbit/s each way%n",
                seconds, total * 8 / seconds / 1e9);
        var forward = service.forwarder().list().stream()
                .filter(f -> f.spec().host().equals(host)).findFirst().orElseThrow();
        org.awaitility.Awaitility.await().untilAsserted(() -> {
            assertThat(forward.counters().bytesToGuest()).isEqualTo(total);
            assertThat(forward.counters().bytesFromGuest()).isEqualTo(total);
            assertThat(forward.counters().active()).isZero();
        });
        unexpose("tcp", Endpoints.format(host));
    }
}
