package dev.gangway.integration.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gangway.integration.netns.NamespaceGuest;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.tcp.TcpLink;
import dev.gangway.stack.wire.Ipv4Packet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * iperf3 between the namespace guest and an iperf3 server on the host's 127.0.0.1, judged per interval:
 * no interval without throughput, no retransmit storm. Every run gets its own one-off server ({@code -1})
 * on a fresh port, so a run never meets the state a previous test left in a shared server. A client that
 * outlives its test by far is stopped, and the failure carries what both kernels and the stack hold for
 * the run's connections.
 */
final class Iperf {
    private Iperf() {
    }

    static void require() {
        NamespaceGuest.require(NamespaceGuest.onPath("iperf3"), "iperf3");
    }

    /** A one-off iperf3 server on 127.0.0.1, listening when this returns. */
    private record Server(Process process, int port) implements AutoCloseable {
        static Server start() throws IOException, InterruptedException {
            int port;
            try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            var process = new ProcessBuilder("iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // Connecting to find out would use up the one test a one-off server runs: watch for the listener.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                var listening = NamespaceGuest.run(List.of("ss", "-Hltn", "sport = :" + port));
                if (!listening.output().isBlank()) {
                    return new Server(process, port);
                }
                if (!process.isAlive()) {
                    throw new IOException("iperf3 -s exited with " + process.exitValue() + " before listening on " + port);
                }
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new IOException("iperf3 -s did not listen on 127.0.0.1:" + port + " within 10 s");
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Seconds per run: the acceptance is 10 ({@code -Dgangway.tcp.iperfSeconds=10}); CI runs 4. */
    static int seconds() {
        return Integer.getInteger("gangway.tcp.iperfSeconds", 4);
    }

    /** Runs one client in the guest and returns its median interval throughput in Gbit/s. */
    static double run(NamespaceGuest guest, int parallel, boolean reverse) throws Exception {
        var counters = guest.stack().counters();
        long retransmitsBefore = counters.drops("tcp/retransmit");
        long framesBefore = counters.framesOut(Layer.TCP);
        JsonNode json;
        try (var server = Server.start()) {
            // -t plus the setup and the end exchange take a few seconds; far beyond that the run is stuck.
            int limit = seconds() + 30;
            var result = guest.exec("timeout -s INT " + limit + " iperf3 -c 192.168.65.254 -p " + server.port()
                    + " -t " + seconds() + " -P " + parallel + (reverse ? " -R" : "") + " -J");
            if (result.exitCode() == 124) {
                throw new AssertionError("iperf3 -P " + parallel + (reverse ? " -R" : "") + " still running after "
                        + limit + " s\n" + diagnostics(guest, server.port()) + "\nclient output: " + result.output());
            }
            assertThat(result.exitCode()).as(result.output()).isZero();
            json = new ObjectMapper().readTree(result.output());
        }
        // iperf3 3.12 exits 0 even when a test failed; the failure is in the JSON's "error" field.
        assertThat(json.path("error").asText("")).as("iperf3 error").isEmpty();
        var intervals = json.path("intervals");
        assertThat(intervals.size()).as("intervals").isGreaterThanOrEqualTo(seconds());
        var rates = new double[intervals.size()];
        for (int i = 0; i < intervals.size(); i++) {
            rates[i] = intervals.get(i).path("sum").path("bits_per_second").asDouble();
            assertThat(rates[i]).as("interval %d of -P %d%s: %s", i, parallel, reverse ? " -R" : "",
                    intervals.get(i).path("sum")).isPositive();
        }
        var end = json.path("end");
        long bytes = end.path("sum_sent").path("bytes").asLong();
        long segments = Math.max(1, bytes / 1448);
        if (!reverse) {
            long retransmits = end.path("sum_sent").path("retransmits").asLong();
            assertThat(retransmits).as("guest retransmits of %d segments", segments).isLessThan(Math.max(200, segments / 10));
        } else {
            long ours = counters.drops("tcp/retransmit") - retransmitsBefore;
            long frames = Math.max(1, counters.framesOut(Layer.TCP) - framesBefore);
            assertThat(ours).as("stack retransmits of %d segments", frames).isLessThan(Math.max(200, frames / 10));
        }
        java.util.Arrays.sort(rates);
        double median = rates[rates.length / 2] / 1e9;
        System.out.printf("iperf3 -P %d%s: median %.2f Gbit/s, intervals %s%n", parallel, reverse ? " -R" : "",
                median, java.util.Arrays.toString(java.util.Arrays.stream(rates).map(r -> Math.round(r / 1e7) / 100.0).toArray()));
        if (Boolean.getBoolean("gangway.tcp.debug")) {
            System.out.println(counters.snapshot());
            System.out.println(guest.exec("nstat -az TcpRetransSegs TcpExtTCPTimeouts TcpExtTCPLossProbes"
                    + " TcpExtTCPSACKReorder TcpExtTCPOFOQueue; ip -s link show eth0").output());
        }
        return median;
    }

    /** What the guest's kernel, the host's kernel and the stack hold for the run's connections. */
    private static String diagnostics(NamespaceGuest guest, int port) {
        var out = new StringBuilder();
        try {
            out.append("guest sockets:\n").append(guest.exec("ss -tinmo").output());
            out.append("host sockets on ").append(port).append(":\n")
                    .append(NamespaceGuest.run(List.of("ss", "-tinmo", "sport = :" + port + " or dport = :" + port)).output());
            var link = guest.stack().gateway().links().getFirst();
            var flows = link.loop().submit(() -> link.transport(Ipv4Packet.PROTO_TCP, TcpLink.class).describeFlows())
                    .get(5, TimeUnit.SECONDS);
            out.append("stack connections:\n").append(String.join("\n", flows));
            out.append("\nstack counters: ").append(guest.stack().counters().snapshot());
        } catch (Exception e) {
            out.append("(diagnostics incomplete: ").append(e).append(')');
        }
        return out.toString();
    }
}
