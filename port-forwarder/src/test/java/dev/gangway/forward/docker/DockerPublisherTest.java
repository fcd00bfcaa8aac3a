package dev.gangway.forward.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gangway.forward.TestPeers;
import dev.gangway.forward.dial.HostNetworkDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.relay.RelayLimits;
import dev.gangway.forward.table.Endpoints;
import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Forwarder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher against an engine that serves responses captured from a real dockerd over real HTTP: the list at
 * start, the streamed events, an engine restart. The "guest" is 127.0.0.2, so published ports are reached on
 * real sockets.
 */
class DockerPublisherTest {
    private final AtomicReference<byte[]> containers = new AtomicReference<>(Fixtures.bytes("containers-web-dns.json"));
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private HttpServer engine;
    /** Each engine serves while the generation is its own; stopping one moves the generation on. */
    private volatile int generation;
    private final java.util.concurrent.atomic.AtomicInteger streaming = new java.util.concurrent.atomic.AtomicInteger();
    private HostNetworkDialer dialer;
    private Forwarder forwarder;
    private DockerPublisher publisher;

    @BeforeEach
    void start() throws IOException {
        engine = engine(0);
        dialer = HostNetworkDialer.create(1, Duration.ofSeconds(2));
        forwarder = new Forwarder(dialer, SourceAddressPolicy.DEFAULT, RelayLimits.DEFAULT);
        var options = new DockerOptions(new InetSocketAddress(Endpoints.address("127.0.0.1"), engine.getAddress().getPort()),
                Endpoints.address("127.0.0.2"), false, Duration.ofMillis(50), Duration.ofMillis(400));
        publisher = new DockerPublisher(forwarder, dialer, options);
    }

    @AfterEach
    void stop() {
        publisher.close();
        forwarder.close();
        dialer.close();
        stopEngine();
    }

    /** Stops the engine as a dying dockerd would: every stream it serves ends. */
    private void stopEngine() {
        generation++;
        // A dying dockerd ends its event streams; the JDK server's stop alone does not end a response.
        await().atMost(Duration.ofSeconds(10)).until(() -> streaming.get() == 0);
        engine.stop(0);
    }

    private HttpServer engine(int port) throws IOException {
        int mine = ++generation;
        var server = HttpServer.create(new InetSocketAddress(Endpoints.address("127.0.0.1"), port), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/containers/json", exchange -> {
            try (exchange) {
                var body = containers.get();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.createContext("/events", exchange -> streamEvents(exchange, mine));
        server.start();
        return server;
    }

    private void streamEvents(HttpExchange exchange, int mine) throws IOException {
        streaming.incrementAndGet();
        try (exchange) {
            assertThat(exchange.getRequestURI().getRawQuery()).contains("filters=");
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            var out = exchange.getResponseBody();
            out.flush();
            while (generation == mine) {
                var line = events.poll(20, TimeUnit.MILLISECONDS);
                if (line != null) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streaming.decrementAndGet();
        }
    }

    private List<String> dockerForwards() {
        return forwarder.list().stream().filter(f -> f.origin().startsWith("docker:"))
                .map(f -> f.spec() + " " + f.origin()).sorted().toList();
    }

    @Test
    void followsTheEngineFromListToEventsToRestart() throws Exception {
        try (var web = new TestPeers.TcpEcho(Endpoints.address("127.0.0.2"), 28080)) {
            publisher.start();
            await().atMost(Duration.ofSeconds(20)).until(this::dockerForwards, is(
                    "127.0.0.1:28053/udp -> 127.0.0.2:28053 docker:dns",
                    "127.0.0.1:28080/tcp -> 127.0.0.2:28080 docker:web",
                    "[::1]:28080/tcp -> 127.0.0.2:28080 docker:web"));

            try (var client = new Socket("127.0.0.1", 28080)) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("to the container".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                assertThat(client.getInputStream().readAllBytes()).asString().isEqualTo("to the container");
            }

            // A port the user forwarded already is left alone; the rest of the range is published.
            var userSpec = ForwardSpec.parse("tcp", "127.0.0.1:28101", "127.0.0.2:9");
            forwarder.open(userSpec, "api").get(5, TimeUnit.SECONDS);
            containers.set(Fixtures.bytes("containers-web-range.json"));
            new String(Fixtures.bytes("events-dns-gone-range-started.jsonl"), StandardCharsets.UTF_8).lines().forEach(events::add);
            await().atMost(Duration.ofSeconds(20)).until(this::dockerForwards, is(
                    "127.0.0.1:28080/tcp -> 127.0.0.2:28080 docker:web",
                    "[::1]:28080/tcp -> 127.0.0.2:28080 docker:web",
                    "127.0.0.1:28100/tcp -> 127.0.0.2:28100 docker:range",
                    "[::1]:28100/tcp -> 127.0.0.2:28100 docker:range",
                    "[::1]:28101/tcp -> 127.0.0.2:28101 docker:range",
                    "127.0.0.1:28102/tcp -> 127.0.0.2:28102 docker:range",
                    "[::1]:28102/tcp -> 127.0.0.2:28102 docker:range"));
            assertThat(forwarder.get(userSpec.protocol(), userSpec.host())).hasValueSatisfying(
                    f -> assertThat(f.origin()).isEqualTo("api"));

            // The engine restarts with nothing running: the publisher reconnects and unpublishes.
            int port = engine.getAddress().getPort();
            stopEngine();
            containers.set(Fixtures.bytes("containers-none.json"));
            long listsBefore = publisher.listsApplied();
            engine = engine(port);
            await().atMost(Duration.ofSeconds(20)).until(this::dockerForwards, List::isEmpty);
            assertThat(publisher.listsApplied()).isGreaterThan(listsBefore);
            assertThat(forwarder.list()).hasSize(1);
        }
    }

    private static java.util.function.Predicate<List<String>> is(String... expected) {
        return actual -> actual.equals(List.of(expected).stream().sorted().toList());
    }
}
