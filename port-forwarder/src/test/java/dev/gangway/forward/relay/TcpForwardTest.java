package dev.gangway.forward.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gangway.forward.TestPeers;
import dev.gangway.forward.dial.HostNetworkDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.table.Endpoints;
import dev.gangway.forward.table.Forward;
import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Forwarder;
import dev.gangway.forward.table.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TCP forwards against kernel sockets on loopback: data, half-close both ways, resets, backpressure. */
class TcpForwardTest {
    private static final InetAddress LOOPBACK = Endpoints.address("127.0.0.1");
    private static HostNetworkDialer dialer;
    private static Forwarder forwarder;

    @BeforeAll
    static void start() {
        dialer = HostNetworkDialer.create(2, Duration.ofSeconds(2));
        forwarder = new Forwarder(dialer, SourceAddressPolicy.DEFAULT, RelayLimits.DEFAULT);
    }

    @AfterAll
    static void stop() {
        forwarder.close();
        dialer.close();
    }

    private static Forward open(String host, InetSocketAddress guest) throws Exception {
        return forwarder.open(new ForwardSpec(Protocol.TCP, Endpoints.parse(host), guest), "test").get(5, TimeUnit.SECONDS);
    }

    private static Socket connect(Forward forward) throws IOException {
        var socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.connect(forward.spec().host(), 5_000);
        return socket;
    }

    @Test
    void echoesAndCarriesTheClientsFinThenTheServersFin() throws Exception {
        try (var echo = new TestPeers.TcpEcho(LOOPBACK, 0)) {
            var forward = open("127.0.0.1:0", echo.address());
            try (var client = connect(forward)) {
                client.getOutputStream().write("hello through the forward".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                var reply = client.getInputStream().readAllBytes();
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("hello through the forward");
            }
            await().untilAsserted(() -> {
                var c = forward.counters();
                assertThat(c.bytesToGuest()).isEqualTo(25);
                assertThat(c.bytesFromGuest()).isEqualTo(25);
                assertThat(c.accepted()).isEqualTo(1);
                assertThat(c.active()).isZero();
            });
            forwarder.close(Protocol.TCP, forward.spec().host()).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theGuestMayHalfCloseFirstAndStillReceive() throws Exception {
        try (var server = new ServerSocket(0, 50, LOOPBACK)) {
            var received = new CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try (var s = server.accept()) {
                    s.getOutputStream().write("banner".getBytes(StandardCharsets.UTF_8));
                    s.shutdownOutput();
                    received.complete(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
            var forward = open("127.0.0.1:0", (InetSocketAddress) server.getLocalSocketAddress());
            try (var client = connect(forward)) {
                assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("banner");
                client.getOutputStream().write("sent after the guest's FIN".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("sent after the guest's FIN");
            }
            forwarder.close(Protocol.TCP, forward.spec().host()).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnreachableGuestResetsTheClientAndTheForwardCarriesOnWhenItIsBack() throws Exception {
        int guestPort;
        try (var probe = new ServerSocket(0, 1, LOOPBACK)) {
            guestPort = probe.getLocalPort();
        }
        var guest = new InetSocketAddress(LOOPBACK, guestPort);
        var forward = open("127.0.0.1:0", guest);
        try (var client = connect(forward)) {
            assertClosedOrReset(client.getInputStream());
        } catch (SocketException resetWhileConnecting) {
            // The forward can accept, fail its dial and reset the client before the client's own
            // connect() has returned: the reset then surfaces there. Either way the client was reset.
            assertThat(resetWhileConnecting).hasMessageContaining("reset");
        }
        await().until(() -> forward.counters().dialFailures() == 1);

        try (var echo = new TestPeers.TcpEcho(LOOPBACK, guestPort); var client = connect(forward)) {
            client.getOutputStream().write("back".getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            assertThat(client.getInputStream().readAllBytes()).asString().isEqualTo("back");
        }
        forwarder.close(Protocol.TCP, forward.spec().host()).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aGuestResetBecomesAClientReset() throws Exception {
        try (var server = new ServerSocket(0, 50, LOOPBACK)) {
            Thread.ofVirtual().start(() -> {
                try (var s = server.accept()) {
                    s.getInputStream().read();
                    s.setSoLinger(true, 0);
                } catch (IOException e) {
                    // The test fails on the client side if this does not happen.
                }
            });
            var forward = open("127.0.0.1:0", (InetSocketAddress) server.getLocalSocketAddress());
            try (var client = connect(forward)) {
                client.getOutputStream().write('x');
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class)
                        .hasMessageContaining("reset");
            }
            forwarder.close(Protocol.TCP, forward.spec().host()).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void ipv6LoopbackHostAddress() throws Exception {
        try (var echo = new TestPeers.TcpEcho(LOOPBACK, 0)) {
            var forward = open("[::1]:0", echo.address());
            assertThat(forward.spec().hostText()).startsWith("[::1]:");
            try (var client = connect(forward)) {
                client.getOutputStream().write("v6".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                assertThat(client.getInputStream().readAllBytes()).asString().isEqualTo("v6");
            }
            forwarder.close(Protocol.TCP, forward.spec().host()).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGuestThatDoesNotReadHoldsTheClientBackInsteadOfFillingTheHeap() throws Exception {
        long total = 256L << 20;
        try (var server = new ServerSocket(0, 50, LOOPBACK)) {
            var accepted = new CompletableFuture<Socket>();
            Thread.ofVirtual().start(() -> {
                try {
                    accepted.complete(server.accept());
                } catch (IOException e) {
                    accepted.completeExceptionally(e);
                }
            });
            var forward = open("127.0.0.1:0", (InetSocketAddress) server.getLocalSocketAddress());
            try (var client = connect(forward)) {
                var sent = MessageDigest.getInstance("SHA-256");
                var writer = CompletableFuture.runAsync(() -> {
                    try {
                        var random = new Random(7);
                        var chunk = new byte[1 << 16];
                        for (long done = 0; done < total; done += chunk.length) {
                            random.nextBytes(chunk);
                            sent.update(chunk);
                            client.getOutputStream().write(chunk);
                        }
                        client.shutdownOutput();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                var guestSide = accepted.get(10, TimeUnit.SECONDS);
                // While the guest does not read, the relay reads no more than socket buffers can hold.
                await().pollDelay(Duration.ofMillis(200)).during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(20))
                        .until(forward.counters()::bytesToGuest, n -> true);
                assertThat(writer).isNotDone();
                assertThat(forward.counters().bytesToGuest()).isLessThan(64L << 20);

                var received = MessageDigest.getInstance("SHA-256");
                try (guestSide; InputStream in = guestSide.getInputStream()) {
                    var buffer = new byte[1 << 16];
                    long got = 0;
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        received.update(buffer, 0, n);
                        got += n;
                    }
                    assertThat(got).isEqualTo(total);
                }
                writer.get(30, TimeUnit.SECONDS);
                assertThat(received.digest()).isEqualTo(sent.digest());
            }
            forwarder.close(Protocol.TCP, forward.spec().host()).get(5, TimeUnit.SECONDS);
        }
    }

    private static void assertClosedOrReset(InputStream in) {
        try {
            assertThat(in.read()).isEqualTo(-1);
        } catch (IOException e) {
            assertThat(e).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }
}
