package dev.gangway.dns.lab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A real dnsmasq on a loopback address, serving a test zone, logging every query it receives to a file. */
public final class Dnsmasq implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");

    private final Process process;
    private final Path log;
    private final InetSocketAddress address;

    private Dnsmasq(Process process, Path log, InetSocketAddress address) {
        this.process = process;
        this.log = log;
        this.address = address;
    }

    /** Starts dnsmasq on {@code ip:port} with {@code zoneArgs} (--host-record=..., --address=..., ...). */
    public static Dnsmasq start(String ip, int port, Path dir, List<String> zoneArgs) throws IOException {
        Prerequisite.require(Files.isExecutable(BINARY), "dnsmasq (apt-get install dnsmasq-base)");
        Files.createDirectories(dir);
        Path log = dir.resolve("dnsmasq-" + ip + "-" + port + ".log");
        Files.deleteIfExists(log);
        var cmd = new ArrayList<>(List.of(BINARY.toString(), "--no-daemon", "--port=" + port,
                "--listen-address=" + ip, "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                "--pid-file=", "--log-queries", "--log-facility=" + log, "--cache-size=0"));
        if (Prerequisite.isRoot()) {
            cmd.add("--user=root");
        }
        cmd.addAll(zoneArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq-" + ip + "-" + port + ".out").toFile()).start();
        var d = new Dnsmasq(p, log, new InetSocketAddress(ip, port));
        await().atMost(Duration.ofSeconds(10)).until(() -> !p.isAlive() || d.logText().contains("started, version"));
        if (!p.isAlive()) {
            throw new IOException("dnsmasq exited with " + p.exitValue() + ": "
                    + Files.readString(dir.resolve("dnsmasq-" + ip + "-" + port + ".out")));
        }
        return d;
    }

    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /**
     * How many queries for {@code name} of {@code type} dnsmasq has logged (as "query[T]" or, for its own
     * zones, "auth[T]").
     */
    public long queries(String name, String type) {
        var line = Pattern.compile("(query|auth)\\[" + type + "\\] " + Pattern.quote(name) + " from ");
        return logText().lines().filter(l -> line.matcher(l).find()).count();
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public void stop() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
