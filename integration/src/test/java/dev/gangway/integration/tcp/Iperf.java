package dev.gangway.integration.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gangway.integration.netns.NamespaceGuest;
import dev.gangway.stack.stats.Layer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * iperf3 between the namespace guest and an iperf3 server on the host's 127.0.0.1 (a process this test
 * starts and stops), judged per interval: no interval without throughput, no retransmit storm.
 */
final class Iperf implements AutoCloseable {
    private final Process server;
    private final int port;

    private Iperf(Process server, int port) {
        this.server = server;
        this.port = port;
    }

    static Iperf start() throws IOException, InterruptedException {
        NamespaceGuest.require(NamespaceGuest.onPath("iperf3"), "iperf3");
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        var process = new ProcessBuilder("iperf3", "-s", "-B", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 50; i++) {
            try (var s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        // The probe connection above makes the server log an error; it keeps serving.
        return new Iperf(process, port);
    }

    /** Seconds per run: the acceptance is 10 ({@code -Dgangway.tcp.iperfSeconds=10}); CI runs 4. */
    static int seconds() {
        return Integer.getInteger("gangway.tcp.iperfSeconds", 4);
    }

    /** Runs one client in the guest and returns its median interval throughput in Gbit/s. */
    double run(NamespaceGuest guest, int parallel, boolean reverse) throws Exception {
        var counters = guest.stack().counters();
        long retransmitsBefore = counters.drops("tcp/retransmit");
        long framesBefore = counters.framesOut(Layer.TCP);
        JsonNode json = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            var result = guest.exec("iperf3 -c 192.168.65.254 -p " + port + " -t " + seconds() + " -P " + parallel
                    + (reverse ? " -R" : "") + " -J");
            assertThat(result.exitCode()).as(result.output()).isZero();
            json = new ObjectMapper().readTree(result.output());
            // The iperf3 server serves one test at a time and may still be closing the previous one when
            // the next client arrives; it then answers "busy". That is the server's state, not the link's.
            if (!json.path("error").asText("").contains("busy")) {
                break;
            }
            Thread.sleep(500);
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

    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(5, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }
}
