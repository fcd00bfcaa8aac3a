package dev.gangway.launcher.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gangway.launcher.image.DockerImage;
import dev.gangway.launcher.qemu.QemuBinary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The CLI side of the Docker VM's life: {@link #up} checks the input, builds the image when needed, starts
 * the {@link Daemon} JVM (detached, in its own session) and prints its progress until it is ready;
 * {@link #down} asks it to stop and makes sure it did; {@link #status} reads it. A problem the user can fix
 * is a {@link Problem}: one line naming it and the fix.
 */
public final class Launcher {
    static final Duration DOWN_LIMIT = Duration.ofSeconds(60);
    static final Duration UP_LIMIT = Duration.ofMinutes(12);

    /** A problem the user can fix, with the fix in its message. */
    public static final class Problem extends RuntimeException {
        public Problem(String problemAndFix) {
            super(problemAndFix);
        }
    }

    private final GangwayHome home;
    private final PrintWriter out;
    private final ObjectMapper json = new ObjectMapper();

    public Launcher(GangwayHome home, PrintWriter out) {
        this.home = home;
        this.out = out;
    }

    /** Starts the VM unless it runs; returns once it is ready (or throws {@link Problem}). */
    public void up(int cpus, String memory, List<Path> shareArgs, List<String> forwards, List<Path> virtio9p)
            throws IOException {
        var started = Instant.now();
        var live = DaemonProcess.live(home);
        if (live.isPresent()) {
            out.println("gangway: already running (daemon pid " + live.get().pid() + "); Docker API on "
                    + home.dockerSocket() + "; 'gangway down' stops it");
            return;
        }
        if (cpus < 1 || cpus > 64) {
            throw new Problem("--cpus " + cpus + " is out of range; fix: give 1 to 64");
        }
        int memoryMiB = memoryMiB(memory);
        var shares = shares(shareArgs);
        for (var forward : forwards) {
            checkFree(forward);
        }
        var qemu = qemu();
        Files.createDirectories(home.dir());
        Files.createDirectories(home.run(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (DaemonProcess.cleanStale(home)) {
            out.println("gangway: removed what a stopped daemon left in " + home.run());
        }
        DockerImage image;
        try {
            image = DockerImage.ensure(line -> print(started, "image: " + line));
        } catch (IOException e) {
            var message = Daemon.oneLine(e);
            if (message.contains("fix:")) {
                throw new Problem(message);
            }
            throw e;
        }
        print(started, "image " + image.dir() + " (kernel " + image.kernelVersion() + ")");
        var config = new UpConfig(cpus, memoryMiB, shares.stream().map(Path::toString).toList(), forwards, 64,
                qemu.toString(), image.dir().toString(),
                shares(virtio9p).stream().map(Path::toString).toList());
        json.writeValue(home.configFile().toFile(), config);
        Files.writeString(home.daemonLog(), "");
        var daemon = spawn();
        follow(daemon, started);
    }

    private Process spawn() throws IOException {
        var java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var command = new ArrayList<String>();
        if (dev.gangway.launcher.host.HostCommand.which("setsid").isPresent()) {
            command.add("setsid");
        }
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", privateClassPath(),
                "-Dgangway.cache=" + dev.gangway.launcher.host.CacheDir.root(),
                Daemon.class.getName(), home.dir().toString()));
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.daemonLog().toFile()))
                .start();
    }

    /**
     * Copies of the jars on this JVM's class path, under {@code run/classpath}: the daemon runs for days, and
     * a rebuild ({@code ./gangway} rebuilds when sources change) rewrites the jars it would otherwise read
     * classes from while it runs.
     */
    private String privateClassPath() throws IOException {
        var dir = home.run().resolve("classpath");
        if (Files.isDirectory(dir)) {
            try (var old = Files.list(dir)) {
                for (var file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(dir);
        var entries = new ArrayList<String>();
        int index = 0;
        for (var entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            var path = Path.of(entry);
            if (Files.isRegularFile(path) && !listsOthers(path)) {
                var copy = dir.resolve(String.format(Locale.ROOT, "%03d-%s", index++, path.getFileName()));
                Files.copy(path, copy);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** A manifest-only jar (a test runner's) names the real class path relative to where it is: kept in place. */
    private static boolean listsOthers(Path jar) {
        try (var file = new java.util.jar.JarFile(jar.toFile())) {
            var manifest = file.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Class-Path") != null;
        } catch (IOException e) {
            return true;
        }
    }

    /** Prints the daemon's progress lines until it is ready, fails or dies. */
    private void follow(Process daemon, Instant started) throws IOException {
        var deadline = started.plus(UP_LIMIT);
        try (var log = new RandomAccessFile(home.daemonLog().toFile(), "r")) {
            var pending = new StringBuilder();
            while (true) {
                var chunk = new byte[8192];
                int n = log.read(chunk);
                if (n > 0) {
                    pending.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
                    int newline;
                    while ((newline = pending.indexOf("\n")) >= 0) {
                        var line = pending.substring(0, newline);
                        pending.delete(0, newline + 1);
                        if (line.startsWith(Progress.STEP)) {
                            var rest = line.substring(Progress.STEP.length());
                            int space = rest.indexOf(' ');
                            out.printf(Locale.ROOT, "[%6.1f s] %s%n", since(started),
                                    space < 0 ? rest : rest.substring(space + 1));
                            out.flush();
                        } else if (line.startsWith(Progress.READY)) {
                            ready(started);
                            return;
                        } else if (line.startsWith(Progress.FAILED)) {
                            var problem = line.substring(Progress.FAILED.length());
                            awaitExit(daemon);
                            throw new Problem(problem.contains("fix:") ? problem
                                    : problem + "; fix: see 'gangway logs' (" + home.daemonLog() + ")");
                        }
                    }
                    continue;
                }
                if (!daemon.isAlive() && log.getFilePointer() >= log.length()) {
                    DaemonProcess.cleanStale(home);
                    throw new Problem("the daemon exited with code " + daemon.exitValue() + " before the VM was ready;"
                            + " fix: see 'gangway logs' (" + home.daemonLog() + ")");
                }
                if (Instant.now().isAfter(deadline)) {
                    daemon.destroyForcibly();
                    throw new Problem("the VM was not ready within " + UP_LIMIT.toMinutes() + " minutes;"
                            + " fix: see 'gangway logs' (" + home.daemonLog() + ")");
                }
                sleep(100);
            }
        }
    }

    private void ready(Instant started) {
        out.printf(Locale.ROOT, "[%6.1f s] ready: the Docker VM runs; time to ready %.1f s%n", since(started),
                since(started));
        out.println("  docker --context gangway run --rm busybox echo hi   (or DOCKER_HOST=unix://"
                + home.dockerSocket() + ")");
        out.println("  gangway status | gangway shell | gangway logs | gangway down");
        out.flush();
    }

    private void awaitExit(Process daemon) {
        try {
            daemon.waitFor(DOWN_LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (daemon.isAlive()) {
            daemon.destroyForcibly();
        }
        try {
            DaemonProcess.cleanStale(home);
        } catch (IOException ignored) {
            // The next up cleans what is left.
        }
    }

    /** Stops the VM: a graceful power-off through the daemon, forced after {@link #DOWN_LIMIT}. */
    public void down() throws IOException {
        var live = DaemonProcess.live(home);
        if (live.isEmpty()) {
            if (DaemonProcess.cleanStale(home)) {
                out.println("gangway: not running (removed what a stopped daemon left)");
            } else {
                out.println("gangway: not running");
            }
            return;
        }
        var daemon = live.get();
        var started = Instant.now();
        Optional<Long> qemuPid = qemuPid();
        try {
            ControlClient.request(home, "down");
        } catch (IOException e) {
            out.println("gangway: the daemon did not take the request (" + e.getMessage() + "); stopping it by signal");
            daemon.destroy();
        }
        var exited = daemon.onExit();
        try {
            exited.get(DOWN_LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            out.println("gangway: the daemon did not stop within " + DOWN_LIMIT.toSeconds() + " s; killing it");
            daemon.destroyForcibly();
        }
        qemuPid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        DaemonProcess.cleanStale(home);
        out.printf(Locale.ROOT, "gangway: stopped (%.1f s)%n", since(started));
    }

    private Optional<Long> qemuPid() {
        try {
            var status = json.readTree(ControlClient.request(home, "status"));
            return status.path("qemuPid").isNumber() ? Optional.of(status.get("qemuPid").asLong()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The daemon's status, or a synthetic one ({@code state} stopped or dead) when it is not running; a dead
     * daemon's leftovers are removed, which frees its paths.
     */
    public JsonNode status() throws IOException {
        var live = DaemonProcess.live(home);
        if (live.isPresent()) {
            try {
                return json.readTree(ControlClient.request(home, "status"));
            } catch (IOException e) {
                var node = json.createObjectNode();
                node.put("state", "unresponsive");
                node.put("pid", live.get().pid());
                node.put("problem", e.getMessage());
                return node;
            }
        }
        var node = json.createObjectNode();
        boolean stale = DaemonProcess.cleanStale(home);
        var reason = Files.isRegularFile(home.lastExit()) ? Files.readString(home.lastExit()).strip() : null;
        node.put("state", stale || reason != null ? "dead" : "stopped");
        if (reason != null) {
            node.put("problem", reason);
        } else if (stale) {
            node.put("problem", "the daemon is gone without a word (killed?); its leftovers were removed");
        }
        return node;
    }

    private static int memoryMiB(String text) {
        var m = java.util.regex.Pattern.compile("(?i)(\\d+)\\s*([mg]i?b?)?").matcher(text.strip());
        if (!m.matches()) {
            throw new Problem("--memory '" + text + "' is not a size; fix: e.g. --memory 2G or --memory 1536M");
        }
        long value = Long.parseLong(m.group(1));
        var unit = m.group(2) == null ? "m" : m.group(2).substring(0, 1).toLowerCase(Locale.ROOT);
        long mib = unit.equals("g") ? value * 1024 : value;
        if (mib < 512 || mib > 256 * 1024) {
            throw new Problem("--memory " + text + " is out of range; fix: give 512M to 256G (Docker needs about 1G)");
        }
        return (int) mib;
    }

    private static List<Path> shares(List<Path> args) throws IOException {
        var shares = new LinkedHashSet<Path>();
        for (var arg : args) {
            var path = arg.toAbsolutePath().normalize();
            if (!Files.isDirectory(path)) {
                throw new Problem("--share " + arg + " is not an existing folder; fix: give a folder that exists,"
                        + " e.g. --share \"$PWD\"");
            }
            var real = path.toRealPath();
            if (real.getNameCount() == 0) {
                throw new Problem("--share / would hide the VM's own file system; fix: share a folder below /");
            }
            shares.add(real);
        }
        return List.copyOf(shares);
    }

    private static void checkFree(String forward) {
        java.net.InetSocketAddress host;
        try {
            host = Forwards.host(forward);
            Forwards.guestPort(forward);
        } catch (IllegalArgumentException e) {
            throw new Problem("--forward " + e.getMessage() + "; fix: write [ADDR:]PORT[:GUESTPORT], e.g. 8080:80");
        }
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(host);
        } catch (IOException e) {
            throw new Problem("host port " + host.getAddress().getHostAddress() + ":" + host.getPort()
                    + " is busy (" + e.getMessage() + "); fix: stop what listens there or forward another port");
        }
    }

    /** QEMU from {@code $GANGWAY_QEMU} or the PATH. */
    private static Path qemu() throws IOException {
        var override = System.getenv("GANGWAY_QEMU");
        if (override != null && !override.isBlank()) {
            var path = Path.of(override);
            if (!Files.isExecutable(path)) {
                throw new Problem("QEMU is not at " + override + " (GANGWAY_QEMU); fix: point GANGWAY_QEMU at "
                        + QemuBinary.NAME + " or unset it");
            }
            return path;
        }
        return QemuBinary.find().orElseThrow(() -> new Problem(QemuBinary.NAME
                + " is not installed; fix: sudo apt-get install " + QemuBinary.PACKAGE)).path();
    }

    private void print(Instant started, String line) {
        out.printf(Locale.ROOT, "[%6.1f s] %s%n", since(started), line);
        out.flush();
    }

    private static double since(Instant started) {
        return Duration.between(started, Instant.now()).toMillis() / 1000.0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem("interrupted; fix: run gangway status to see what is running");
        }
    }
}
