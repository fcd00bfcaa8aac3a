package dev.gangway.integration.ninep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.lab.ExecResult;
import dev.gangway.launcher.lab.GuestVm;
import dev.gangway.ninep.server.NinePServer;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.ninep.transport.NinePListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared set-up of the VM tests: 9P servers on host loopback (the guest reaches them at 10.0.2.2 through QEMU's
 * user networking), mounts in the guest, and the probe binary (mmap, fcntl locks, xattrs) built on the host.
 */
final class NinePGuest implements AutoCloseable {
    static final String[] QEMU_NET = {"-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile="};
    static final int MSIZE = 262144;

    final Path root;
    final Path share;
    final Path outside;
    private final NinePServer server;
    private final NinePListener listener;
    final int port;

    private NinePGuest(Path root, Path share, Path outside, NinePServer server, NinePListener listener, int port) {
        this.root = root;
        this.share = share;
        this.outside = outside;
        this.server = server;
        this.listener = listener;
        this.port = port;
    }

    /** A server for one share named {@code name}; {@code outside} is a sibling folder the guest must never see. */
    static NinePGuest start(String name, Ownership ownership) throws Exception {
        var root = Files.createTempDirectory("gangway-9p-it-");
        var share = Files.createDirectory(root.resolve("share"));
        var outside = Files.createDirectory(root.resolve("outside"));
        var server = NinePServer.builder().share(name, share, false).ownership(ownership).build();
        var listener = new NinePListener(server);
        int port = listener.listenTcp(new InetSocketAddress("127.0.0.1", 0)).getPort();
        return new NinePGuest(root, share, outside, server, listener, port);
    }

    String mountCommand(String aname, String mountPoint, String cache) {
        return "mkdir -p " + mountPoint + " && mount -t 9p -o trans=tcp,port=" + port
                + ",version=9p2000.L,msize=" + MSIZE + ",cache=" + cache + ",aname=" + aname + " 10.0.2.2 " + mountPoint;
    }

    /** Brings the guest's network up (QEMU user networking); idempotent. */
    static void network(GuestVm vm) throws IOException {
        run(vm, "ip -4 addr show eth0 | grep -q 10.0.2. || udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 10 -T 2");
    }

    /** Builds the probe statically into {@code dir}; skips (not root) or fails (root) without a C compiler. */
    static void buildProbe(Path dir) throws Exception {
        var gcc = Path.of("/usr/bin/gcc");
        var staticLibc = Path.of("/usr/lib/x86_64-linux-gnu/libc.a");
        if (!Files.isExecutable(gcc) || !Files.exists(staticLibc)) {
            var message = "the 9P VM tests build a static probe; fix: apt-get install gcc libc6-dev";
            if ("root".equals(System.getProperty("user.name"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        var source = dir.resolve("probe.c");
        try (InputStream in = NinePGuest.class.getResourceAsStream("/ninep/probe.c")) {
            Files.copy(in, source);
        }
        var p = new ProcessBuilder(gcc.toString(), "-static", "-O1", "-o", dir.resolve("probe").toString(),
                source.toString()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        Files.delete(source);
    }

    /**
     * A host process holding a classic fcntl lock on all of {@code file} until its standard input is closed
     * ({@code HostLock.java}, a test resource run as a source file by this JVM's java).
     */
    static Process hostLock(Path file) throws IOException {
        var source = Files.createTempDirectory("hostlock-").resolve("HostLock.java");
        try (InputStream in = NinePGuest.class.getResourceAsStream("/ninep/HostLock.java")) {
            Files.copy(in, source);
        }
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, source.toString(), file.toString(), "hold")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Runs {@code command} in the guest and returns its output; fails on a non-zero exit. */
    static String run(GuestVm vm, String command) throws IOException {
        return run(vm, command, Duration.ofSeconds(120));
    }

    static String run(GuestVm vm, String command, Duration timeout) throws IOException {
        ExecResult r = vm.exec(command, timeout);
        assertThat(r.exitCode()).as("guest: %s%n%s", command, r.output()).isZero();
        return r.output();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        server.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
