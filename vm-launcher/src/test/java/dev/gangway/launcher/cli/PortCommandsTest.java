package dev.gangway.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gangway.forward.ForwarderOptions;
import dev.gangway.forward.ForwarderService;
import dev.gangway.forward.dial.HostNetworkDialer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gangway expose / ports / unexpose} against a running forwarder service on a unix socket. */
class PortCommandsTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private HostNetworkDialer dialer;
    private ForwarderService service;
    private HttpServer guest;

    @BeforeEach
    void start() throws Exception {
        dialer = HostNetworkDialer.create(1, Duration.ofSeconds(2));
        service = ForwarderService.start(dialer, dir.resolve("api.sock"), ForwarderOptions.DEFAULT);
        guest = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        guest.createContext("/", exchange -> {
            try (exchange) {
                var body = "served in the guest".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        guest.start();
    }

    @AfterEach
    void stop() {
        service.close();
        dialer.close();
        guest.stop(0);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static int freePort() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void exposeThenCurlThenPortsThenUnexpose() throws Exception {
        var api = service.apiSocket().toString();
        int port = freePort();
        int guestPort = guest.getAddress().getPort();
        assertThat(run("expose", "--api", api, "--guest", "127.0.0.1", port + ":" + guestPort)).isZero();
        assertThat(out.toString().strip()).isEqualTo("127.0.0.1:" + port + "/tcp -> 127.0.0.1:" + guestPort);

        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("served in the guest");
        }

        org.awaitility.Awaitility.await().untilAsserted(() -> {
            assertThat(run("ports", "--api", api)).isZero();
            assertThat(out.toString().lines()).hasSize(2).last().asString()
                    .startsWith("tcp   127.0.0.1:" + port).contains("api").containsPattern(" 0 +1 +0 +\\d+ +\\d+$");
        });

        assertThat(run("expose", "--api", api, "--guest", "127.0.0.1", port + ":" + guestPort)).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("gangway: 127.0.0.1:" + port + "/tcp is already forwarded").contains("fix:");

        assertThat(run("unexpose", "--api", api, String.valueOf(port))).isZero();
        assertThat(out.toString()).startsWith("stopped 127.0.0.1:" + port + "/tcp");
        assertThat(run("unexpose", "--api", api, String.valueOf(port))).isEqualTo(2);
        assertThat(err.toString()).contains("nothing is forwarded");
    }

    @Test
    void portsServeRunsAStandaloneForwarderUntilInterrupted() throws Exception {
        var api = dir.resolve("standalone/api.sock");
        var serveOut = new StringWriter();
        var code = new java.util.concurrent.CompletableFuture<Integer>();
        var server = Thread.ofPlatform().start(() -> code.complete(
                Main.run(new String[] {"ports", "serve", "--api", api.toString()}, new PrintWriter(serveOut, true),
                        new PrintWriter(new StringWriter(), true))));
        org.awaitility.Awaitility.await().until(() -> serveOut.toString().startsWith("forwarder API on " + api));
        int port = freePort();
        assertThat(run("expose", "--api", api.toString(), "--guest", "127.0.0.1",
                port + ":" + guest.getAddress().getPort())).isZero();
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("served in the guest");
        }
        server.interrupt();
        assertThat(code.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(api).doesNotExist();
    }

    @Test
    void mistakesAreOneLineAndExitCode2() throws Exception {
        var api = service.apiSocket().toString();
        assertThat(run("expose", "--api", api, "8080")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().contains("HOSTPORT:GUESTPORT").contains("fix:");

        assertThat(run("expose", "--api", api, "--guest", "nowhere", "8080:80")).isEqualTo(2);
        assertThat(err.toString()).contains("not an IP address");

        try (var holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(run("expose", "--api", api, holder.getLocalPort() + ":80")).isEqualTo(2);
            assertThat(err.toString().lines()).singleElement().asString()
                    .contains("in use by").contains("pid " + ProcessHandle.current().pid());
        }

        assertThat(run("ports", "--api", dir.resolve("none.sock").toString())).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().contains("no gangway daemon answers");
    }
}
