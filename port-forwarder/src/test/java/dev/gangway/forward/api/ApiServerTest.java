package dev.gangway.forward.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gangway.forward.ForwarderOptions;
import dev.gangway.forward.ForwarderService;
import dev.gangway.forward.TestPeers;
import dev.gangway.forward.dial.HostNetworkDialer;
import dev.gangway.forward.table.Endpoints;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API over its unix socket: create, list with counters, delete, and each error status. */
class ApiServerTest {
    @TempDir
    Path dir;
    private HostNetworkDialer dialer;
    private ForwarderService service;
    private ApiClient api;
    private HttpServer http;
    private String guest;

    @BeforeEach
    void start() throws Exception {
        dialer = HostNetworkDialer.create(1, Duration.ofSeconds(2));
        service = ForwarderService.start(dialer, dir.resolve("gangway/api.sock"), ForwarderOptions.DEFAULT);
        api = new ApiClient(service.apiSocket());
        http = TestPeers.http(InetAddress.getLoopbackAddress(), "hello from the guest");
        guest = "127.0.0.1:" + http.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        service.close();
        dialer.close();
        http.stop(0);
    }

    @Test
    void createListShowsCountersDelete() throws Exception {
        var created = api.expose(new ForwardRequest("tcp", "127.0.0.1:0", guest));
        assertThat(created.protocol()).isEqualTo("tcp");
        assertThat(created.guest()).isEqualTo(guest);
        assertThat(created.origin()).isEqualTo("api");
        var port = Endpoints.parse(created.host()).getPort();
        assertThat(port).isPositive();

        try (var client = HttpClient.newHttpClient()) {
            var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from the guest");
        }

        org.awaitility.Awaitility.await().untilAsserted(() -> {
            var listed = api.list();
            assertThat(listed).hasSize(1);
            var view = listed.getFirst();
            assertThat(view.host()).isEqualTo(created.host());
            assertThat(view.connections().total()).isEqualTo(1);
            assertThat(view.bytes().toGuest()).isPositive();
            assertThat(view.bytes().fromGuest()).isGreaterThan("hello from the guest".length());
        });

        var deleted = api.unexpose("tcp", created.host());
        assertThat(deleted.host()).isEqualTo(created.host());
        assertThat(api.list()).isEmpty();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port)).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void theSocketIsTheOwnersOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(service.apiSocket()))).isEqualTo("rw-------");
    }

    @Test
    void badInputIs400WithAMessage() {
        assertStatus(() -> api.expose(new ForwardRequest("sctp", "127.0.0.1:8080", guest)), 400, "unknown protocol");
        assertStatus(() -> api.expose(new ForwardRequest("tcp", "localhost:8080", guest)), 400, "not an IP address");
        assertStatus(() -> api.expose(new ForwardRequest("tcp", "127.0.0.1:70000", guest)), 400, "out of range");
        assertStatus(() -> api.expose(new ForwardRequest("tcp", "127.0.0.1:8080", "192.168.65.2:0")), 400, "guest port");
        assertStatus(() -> api.expose(new ForwardRequest("unix", "relative.sock", guest)), 400, "absolute");
        assertStatus(() -> api.expose(new ForwardRequest("tcp", "192.0.2.77:8080", guest)), 400, "not an address of this host");
        assertStatus(() -> api.call("POST", "/forwards", "{\"protocol\":\"tcp\",".getBytes(StandardCharsets.UTF_8)), 400, "bad JSON");
        assertStatus(() -> api.call("POST", "/forwards", "{\"protocol\":\"tcp\",\"hots\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                400, "bad JSON");
        assertStatus(() -> api.call("DELETE", "/forwards", null), 400, "protocol");
        assertStatus(() -> api.call("PUT", "/forwards", null), 405, "not allowed");
        assertStatus(() -> api.call("GET", "/nothing", null), 404, "no such resource");
        assertStatus(() -> api.unexpose("tcp", "127.0.0.1:1"), 404, "nothing is forwarded");
    }

    @Test
    void aPortInUseIs409NamingTheHolder() throws Exception {
        try (var holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var host = "127.0.0.1:" + holder.getLocalPort();
            assertStatus(() -> api.expose(new ForwardRequest("tcp", host, guest)), 409,
                    "pid " + ProcessHandle.current().pid());
        }
        var first = api.expose(new ForwardRequest("udp", "127.0.0.1:0", guest));
        assertStatus(() -> api.expose(new ForwardRequest("udp", first.host(), guest)), 409, "already forwarded");
        var wildcard = "0.0.0.0:" + Endpoints.parse(first.host()).getPort();
        assertStatus(() -> api.expose(new ForwardRequest("udp", wildcard, guest)), 409, "the gangway forward");
    }

    @Test
    void aSecondServiceOnTheSameSocketIsRefused() {
        assertThatThrownBy(() -> ForwarderService.start(dialer, service.apiSocket(), ForwarderOptions.DEFAULT))
                .hasMessageContaining("already listening");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertStatus(Call call, int status, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
