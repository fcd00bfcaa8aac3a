package dev.gangway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A "guest" in a network namespace reached over a veth pair, with servers started inside it, for the
 * forwarder's integration tests. Names and the /30 subnet are derived from this JVM's pid so runs can sit
 * side by side. Closing kills the servers this lab started and deletes the namespace (and so the veth).
 */
public final class Lab implements AutoCloseable {
    private final String name;
    private final InetAddress hostSide;
    private final InetAddress guest;
    private final List<Process> servers = new ArrayList<>();

    private Lab(String name, InetAddress hostSide, InetAddress guest) {
        this.name = name;
        this.hostSide = hostSide;
        this.guest = guest;
    }

    /** Skips when not root; as root, a missing tool is a failure. */
    public static void require(String... tools) {
        requireTools(tools);
        assumeTrue(isRoot(), "network namespaces need root: skipping");
    }

    /** Skips when a tool is missing and this is not root; as root (CI), a missing tool is a failure. */
    public static void requireTools(String... tools) {
        boolean root = isRoot();
        for (var tool : tools) {
            boolean found = List.of("/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/").stream()
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir + tool)));
            if (!found) {
                if (root) {
                    fail(tool + " is missing (install it: apt-get install " + tool + "; scripts/test does so as root)");
                }
                assumeTrue(false, tool + " is missing and this is not root: skipping");
            }
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A fresh namespace named {@code prefix-PID} with a veth to the host. */
    public static Lab create(String prefix, int index) throws IOException {
        long pid = ProcessHandle.current().pid();
        var name = prefix + "-" + pid + "-" + index;
        int a = (int) (pid % 200) + 20;
        int b = (int) ((pid / 200 + index) % 64) * 4;
        var hostSide = InetAddress.ofLiteral("10.231." + a + "." + (b + 1));
        var guest = InetAddress.ofLiteral("10.231." + a + "." + (b + 2));
        var hostIf = "gwf" + pid % 100000 + "h" + index;
        var guestIf = "gwf" + pid % 100000 + "g" + index;
        var lab = new Lab(name, hostSide, guest);
        run("ip", "netns", "add", name);
        try {
            run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", guestIf, "netns", name);
            run("ip", "addr", "add", hostSide.getHostAddress() + "/30", "dev", hostIf);
            run("ip", "link", "set", hostIf, "up");
            run("ip", "-n", name, "addr", "add", guest.getHostAddress() + "/30", "dev", guestIf);
            run("ip", "-n", name, "link", "set", guestIf, "up");
            run("ip", "-n", name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    public String name() {
        return name;
    }

    public InetAddress guest() {
        return guest;
    }

    public InetAddress hostSide() {
        return hostSide;
    }

    /** Starts {@code command} inside the namespace; it is killed when the lab closes. */
    public Process start(String... command) throws IOException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        var process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        servers.add(process);
        return process;
    }

    /** Waits until something inside the namespace listens on TCP {@code port}. */
    public void awaitTcpListener(int port) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            var out = runOutput("ip", "netns", "exec", name, "ss", "-Htln", "sport = :" + port);
            if (!out.isBlank()) {
                return;
            }
            Thread.sleep(25);
        }
        fail("nothing listens on TCP " + port + " in " + name);
    }

    /** Waits until something inside the namespace has UDP {@code port} bound. */
    public void awaitUdpSocket(int port) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            var out = runOutput("ip", "netns", "exec", name, "ss", "-Huln", "sport = :" + port);
            if (!out.isBlank()) {
                return;
            }
            Thread.sleep(25);
        }
        fail("nothing has UDP " + port + " in " + name);
    }

    @Override
    public void close() throws IOException {
        for (var p : servers) {
            p.destroy();
        }
        for (var p : servers) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        run("ip", "netns", "del", name);
    }

    /** Runs a command on the host and fails with its output when it fails. */
    public static void run(String... command) throws IOException {
        var result = exec(command);
        if (result.exit != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + result.exit + "): " + result.output);
        }
    }

    static String runOutput(String... command) throws IOException {
        var result = exec(command);
        assertThat(result.exit).as("%s: %s", String.join(" ", command), result.output).isZero();
        return result.output;
    }

    /**
     * The exit code and the combined output of a finished command.
     *
     * @param exit   its exit code
     * @param output stdout and stderr
     */
    public record Result(int exit, String output) {
    }

    public static Result exec(String... command) throws IOException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(process.exitValue(), output);
    }
}
