package dev.gangway.integration.netns;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import dev.gangway.stack.link.TapBridge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The namespace lab: a fresh network namespace whose only interface is a TAP carried by
 * {@link TapBridge} to a {@link NetworkStack} running in the test JVM, configured by the kernel's own
 * DHCP client ({@code busybox udhcpc} with a script written here). The Linux kernel in the namespace is
 * the real TCP/IP peer of the stack. One guest per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500));
 * ...
 * var result = guest.exec("busybox ping -c 3 192.168.65.1");
 * }</pre>
 *
 * Names (namespace, socket folder) are unique per JVM and instance, so classes can run side by side.
 * Everything is torn down after the class, also after failures. Needs root, {@code ip}, {@code busybox}
 * and {@code /dev/net/tun}: without root the tests are skipped; as root a missing piece fails them.
 */
public final class NamespaceGuest implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(90);

    /** The outcome of a command run in the namespace: exit code and stdout+stderr. */
    public record Result(int exitCode, String output) {
    }

    private final UnaryOperator<NetworkConfig> configure;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private String name;
    private Path dir;
    private NetworkStack stack;
    private LinkServer server;
    private TapBridge bridge;
    private boolean namespaceCreated;
    private final List<Neighbour> neighbours = new CopyOnWriteArrayList<>();
    private LinkSpec spec;

    /** Another namespace guest on the same virtual network (the same switch), for guest-to-guest tests. */
    public final class Neighbour {
        private final String netns;
        private final TapBridge tap;

        private Neighbour(String netns, TapBridge tap) {
            this.netns = netns;
            this.tap = tap;
        }

        public Result exec(String shellCommand) throws IOException, InterruptedException {
            return run(List.of("ip", "netns", "exec", netns, "sh", "-c", shellCommand));
        }

        /** Runs this guest's DHCP client; true when it got a lease. */
        public boolean dhcp() throws IOException, InterruptedException {
            return exec("busybox udhcpc -i eth0 -s " + script() + " -q -n -t 5 -T 1 -O mtu").exitCode() == 0;
        }

        private void close() throws IOException, InterruptedException {
            tap.close();
            run(List.of("ip", "netns", "del", netns));
        }
    }

    private NamespaceGuest(UnaryOperator<NetworkConfig> configure) {
        this.configure = configure;
    }

    /** A guest on a network made from the defaults by {@code configure} (pcap is added by the lab). */
    public static NamespaceGuest withConfig(UnaryOperator<NetworkConfig> configure) {
        return new NamespaceGuest(configure);
    }

    /** True when running as root (the lab needs it; CI runs as root). */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Skips (not root) or fails (root) when {@code condition} is false: as root a missing prerequisite is a
     * failure, since CI installs them all.
     */
    public static void require(boolean condition, String what) {
        if (isRoot()) {
            if (!condition) {
                throw new AssertionError("namespace lab: missing prerequisite: " + what);
            }
        } else {
            Assumptions.assumeTrue(condition, "namespace lab needs root and " + what);
        }
    }

    public static boolean onPath(String tool) {
        for (var dirName : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dirName, tool))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(isRoot(), "the namespace lab needs root (network namespaces, TAP)");
        require(onPath("ip"), "iproute2 (ip)");
        require(onPath("busybox"), "busybox-static (udhcpc, ping)");
        require(Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun");
        name = "gw" + ProcessHandle.current().pid() + "n" + COUNTER.incrementAndGet();
        dir = Files.createTempDirectory("gangway-netns-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            var config = configure.apply(NetworkConfig.defaults()).withPcap(dir.resolve("capture.pcap"));
            stack = NetworkStack.start(config, null, events::add);
            spec = LinkSpec.parse("qemu:unix:" + dir.resolve("link.sock"));
            server = LinkServer.open(spec, stack, stack.group(), stack.epoll());
            host("ip", "netns", "add", name);
            namespaceCreated = true;
            host("ip", "-n", name, "link", "set", "lo", "up");
            bridge = TapBridge.start(name, "eth0", spec, events::add);
            host("ip", "-n", name, "link", "set", "eth0", "txqueuelen", "10000");
            host("ip", "-n", name, "link", "set", "eth0", "up");
            Files.writeString(script(), """
                    #!/bin/sh
                    # udhcpc hook of the namespace lab: applies the lease with ip and records it.
                    case "$1" in
                      deconfig)
                        ip addr flush dev "$interface"
                        ip link set "$interface" up
                        ;;
                      bound|renew)
                        ip addr flush dev "$interface"
                        ip addr add "$ip/$mask" dev "$interface"
                        [ -n "$mtu" ] && ip link set dev "$interface" mtu "$mtu"
                        [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
                        env > "$(dirname "$0")/lease.env"
                        ;;
                    esac
                    """);
            Files.setPosixFilePermissions(script(), PosixFilePermissions.fromString("rwx------"));
            var lease = dhcp();
            if (lease.isEmpty()) {
                throw new IllegalStateException("namespace lab: the guest got no DHCP lease; events: " + events);
            }
        } catch (Exception | Error e) {
            afterAll(context);
            throw e;
        }
    }

    private Path script() {
        return dir.resolve("udhcpc.script");
    }

    /**
     * Runs the guest's DHCP client once (DISCOVER to ACK, then exit) and returns the lease it applied, as
     * udhcpc's environment ({@code ip}, {@code mask}, {@code router}, {@code dns}, {@code mtu}, ...); empty
     * when no lease was obtained.
     */
    public Map<String, String> dhcp() throws IOException, InterruptedException {
        Files.deleteIfExists(dir.resolve("lease.env"));
        var result = exec("busybox udhcpc -i eth0 -s " + script() + " -q -n -t 5 -T 1 -O mtu -O search");
        var leaseFile = dir.resolve("lease.env");
        var lease = new LinkedHashMap<String, String>();
        if (result.exitCode() != 0 || !Files.exists(leaseFile)) {
            return lease;
        }
        for (var line : Files.readAllLines(leaseFile)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                lease.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return lease;
    }

    /** Runs {@code shellCommand} with {@code sh -c} inside the namespace. */
    public Result exec(String shellCommand) throws IOException, InterruptedException {
        return run(List.of("ip", "netns", "exec", name, "sh", "-c", shellCommand));
    }

    /** Runs a command on the host (outside the namespace). */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        var output = new StringBuilder();
        var reader = Thread.ofVirtual().start(() -> {
            try (var in = process.getInputStream()) {
                output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // The process died; what was read is all there is.
            }
        });
        if (!process.waitFor(EXEC_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            reader.join();
            throw new IOException("timed out after " + EXEC_TIMEOUT + ": " + command + "; output: " + output);
        }
        reader.join();
        return new Result(process.exitValue(), output.toString());
    }

    private static void host(String... command) throws IOException, InterruptedException {
        var result = run(List.of(command));
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + result.exitCode() + "): " + result.output());
        }
    }

    /** Creates another namespace guest attached to the same stack through its own link connection. */
    public Neighbour addNeighbour() throws IOException, InterruptedException {
        String netns = name + "x" + (neighbours.size() + 1);
        host("ip", "netns", "add", netns);
        TapBridge tap;
        try {
            host("ip", "-n", netns, "link", "set", "lo", "up");
            tap = TapBridge.start(netns, "eth0", spec, events::add);
            host("ip", "-n", netns, "link", "set", "eth0", "up");
        } catch (IOException | RuntimeException e) {
            run(List.of("ip", "netns", "del", netns));
            throw e;
        }
        var neighbour = new Neighbour(netns, tap);
        neighbours.add(neighbour);
        return neighbour;
    }

    public NetworkStack stack() {
        return stack;
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public Path pcap() {
        return dir.resolve("capture.pcap");
    }

    /** Link events the stack and the bridge reported. */
    public List<String> events() {
        return new ArrayList<>(events);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (var neighbour : neighbours) {
            neighbour.close();
        }
        neighbours.clear();
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (stack != null) {
            stack.close();
            stack = null;
        }
        if (namespaceCreated) {
            run(List.of("ip", "netns", "del", name));
            namespaceCreated = false;
        }
        if (dir != null && Files.exists(dir) && !Boolean.getBoolean("gangway.lab.keep")) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
