package dev.gangway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gangway.forward.dial.HostNetworkDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.relay.RelayLimits;
import dev.gangway.forward.table.Endpoints;
import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Forwarder;
import dev.gangway.forward.table.Protocol;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A thousand clients connected through one forward at the same time, each with its own echo. */
class ConcurrentForwardsIT {
    private static final int CLIENTS = 1000;

    @Test
    void aThousandConcurrentConnections() throws Exception {
        try (var echo = new TestPeers.TcpEcho(Endpoints.address("127.0.0.1"), 0);
             var dialer = HostNetworkDialer.create(2, Duration.ofSeconds(5));
             var forwarder = new Forwarder(dialer, SourceAddressPolicy.DEFAULT, RelayLimits.DEFAULT);
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var forward = forwarder.open(new ForwardSpec(Protocol.TCP, Endpoints.parse("127.0.0.1:0"), echo.address()), "it")
                    .get(5, TimeUnit.SECONDS);
            var host = (InetSocketAddress) forward.spec().host();
            var allConnected = new CountDownLatch(CLIENTS);
            var release = new CountDownLatch(1);
            var results = new ArrayList<Future<String>>();
            for (int i = 0; i < CLIENTS; i++) {
                var message = "client " + i + " ";
                results.add(threads.submit(() -> {
                    try (var socket = new Socket()) {
                        socket.connect(host, 30_000);
                        socket.setSoTimeout(60_000);
                        var bytes = message.repeat(50).getBytes(StandardCharsets.UTF_8);
                        socket.getOutputStream().write(bytes);
                        var echoed = socket.getInputStream().readNBytes(bytes.length);
                        allConnected.countDown();
                        release.await();
                        socket.shutdownOutput();
                        assertThat(socket.getInputStream().read()).isEqualTo(-1);
                        return new String(echoed, StandardCharsets.UTF_8);
                    }
                }));
            }
            assertThat(allConnected.await(120, TimeUnit.SECONDS)).isTrue();
            // Every client is connected and has had its echo: all are open through the forward at once.
            assertThat(forward.counters().active()).isEqualTo(CLIENTS);
            release.countDown();
            for (int i = 0; i < CLIENTS; i++) {
                assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(("client " + i + " ").repeat(50));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> forward.counters().active() == 0);
            var c = forward.counters();
            assertThat(c.accepted()).isEqualTo(CLIENTS);
            assertThat(c.dialFailures()).isZero();
            assertThat(c.refused()).isZero();
        }
    }
}
