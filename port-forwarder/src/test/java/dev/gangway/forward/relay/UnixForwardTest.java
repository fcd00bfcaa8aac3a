package dev.gangway.forward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gangway.forward.TestPeers;
import dev.gangway.forward.dial.HostNetworkDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.table.Endpoints;
import dev.gangway.forward.table.ForwardException;
import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Forwarder;
import dev.gangway.forward.table.Protocol;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A unix socket forward carrying HTTP to a TCP server, as the Docker socket forward does. */
class UnixForwardTest {
    @TempDir
    Path dir;
    private HostNetworkDialer dialer;
    private Forwarder forwarder;
    private HttpServer http;

    @BeforeEach
    void start() throws Exception {
        dialer = HostNetworkDialer.create(1, Duration.ofSeconds(2));
        forwarder = new Forwarder(dialer, SourceAddressPolicy.DEFAULT, RelayLimits.DEFAULT);
        http = TestPeers.http(Endpoints.address("127.0.0.1"), "engine says hi");
    }

    @AfterEach
    void stop() {
        forwarder.close();
        dialer.close();
        http.stop(0);
    }

    private static String get(Path socket) throws Exception {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void carriesHttpAndRemovesTheSocketWhenClosed() throws Exception {
        var socket = dir.resolve("run/docker.sock");
        var guest = new InetSocketAddress(Endpoints.address("127.0.0.1"), http.getAddress().getPort());
        var forward = forwarder.open(new ForwardSpec(Protocol.UNIX, UnixDomainSocketAddress.of(socket), guest), "test")
                .get(5, TimeUnit.SECONDS);
        var response = get(socket);
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("engine says hi");
        assertThat(forward.counters().accepted()).isEqualTo(1);
        assertThat(forward.counters().bytesFromGuest()).isEqualTo(response.length());

        forwarder.close(Protocol.UNIX, UnixDomainSocketAddress.of(socket)).get(5, TimeUnit.SECONDS);
        assertThat(socket).doesNotExist();
    }

    @Test
    void halfClosesBothWaysAndCarriesBulkDataAfterTheClientsFin() throws Exception {
        try (var echo = new TestPeers.TcpEcho(Endpoints.address("127.0.0.1"), 0)) {
            var socket = dir.resolve("echo.sock");
            var forward = forwarder.open(new ForwardSpec(Protocol.UNIX, UnixDomainSocketAddress.of(socket), echo.address()),
                    "test").get(5, TimeUnit.SECONDS);
            var data = new byte[32 << 20];
            new java.util.SplittableRandom(3).nextBytes(data);
            try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return Channels.newInputStream(ch).readAllBytes();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                var out = ByteBuffer.wrap(data);
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                ch.shutdownOutput();
                assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo(data);
            }
            org.awaitility.Awaitility.await().untilAsserted(() -> {
                assertThat(forward.counters().bytesToGuest()).isEqualTo(data.length);
                assertThat(forward.counters().bytesFromGuest()).isEqualTo(data.length);
                assertThat(forward.counters().active()).isZero();
            });
        }
    }

    @Test
    void replacesAStaleSocketButNotALiveOneOrAFile() throws Exception {
        var guest = new InetSocketAddress(Endpoints.address("127.0.0.1"), http.getAddress().getPort());
        var socket = dir.resolve("stale.sock");
        try (var old = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        forwarder.open(new ForwardSpec(Protocol.UNIX, UnixDomainSocketAddress.of(socket), guest), "test").get(5, TimeUnit.SECONDS);
        assertThat(get(socket)).endsWith("engine says hi");

        var again = forwarder.open(new ForwardSpec(Protocol.UNIX, UnixDomainSocketAddress.of(socket), guest), "test");
        assertThat(again).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .extracting(Throwable::getCause, InstanceOfAssertFactories.type(ForwardException.class))
                .extracting(ForwardException::reason).isEqualTo(ForwardException.Reason.CONFLICT);

        var file = Files.writeString(dir.resolve("not-a-socket"), "data");
        var onFile = forwarder.open(new ForwardSpec(Protocol.UNIX, UnixDomainSocketAddress.of(file), guest), "test");
        assertThat(onFile).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("is not a socket");
        assertThat(file).hasContent("data");
    }
}
