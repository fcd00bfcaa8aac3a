package dev.gangway.launcher.lab;

import dev.gangway.launcher.host.CacheDir;
import dev.gangway.launcher.host.FileTrees;
import dev.gangway.launcher.qemu.JvmBoundProcess;
import dev.gangway.launcher.qemu.QemuBinary;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running lab guest: QEMU with the {@link LabImage}, its serial console in a log file, and a command
 * channel ({@link GuestChannel}) to run shell commands in it.
 *
 * <pre>{@code
 * try (var vm = GuestVm.builder(LabImage.ensure()).name("my-test").start()) {
 *     var result = vm.exec("grep 9p /proc/filesystems");
 * }
 * }</pre>
 *
 * <p>QEMU cannot outlive the JVM (it is started through {@link JvmBoundProcess}). Commands run one at a
 * time; {@link #exec} calls from several threads queue.
 */
public final class GuestVm implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuestVm.class);
    private static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(120);
    /** After the guest's own kill at the limit, how long its answer may take to arrive. */
    private static final Duration EXEC_GRACE = Duration.ofSeconds(15);
    private static final Duration POWEROFF_GRACE = Duration.ofSeconds(10);
    private static final int CONSOLE_TAIL_LINES = 30;
    /** Logs kept in the default log folder; older ones are removed when a guest starts. */
    private static final int KEPT_DEFAULT_LOGS = 40;

    private final String name;
    private final Process qemu;
    private final Path consoleLog;
    private final Path qemuLog;
    private final Path socketDir;
    private final ServerSocketChannel server;
    private final Accel accel;
    private final Instant launched;
    private volatile GuestChannel channel;
    private volatile Duration bootTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GuestVm(String name, Process qemu, Path consoleLog, Path qemuLog, Path socketDir,
            ServerSocketChannel server, Accel accel, Instant launched) {
        this.name = name;
        this.qemu = qemu;
        this.consoleLog = consoleLog;
        this.qemuLog = qemuLog;
        this.socketDir = socketDir;
        this.server = server;
        this.accel = accel;
        this.launched = launched;
    }

    public static Builder builder(LabImage image) {
        return new Builder(image);
    }

    /** Options of a guest; {@link #start()} boots it. */
    public static final class Builder {
        private final LabImage image;
        private int memoryMiB = 512;
        private int cpus = 1;
        private final List<String> qemuArgs = new ArrayList<>();
        private final List<String> kernelArgs = new ArrayList<>();
        private String name = "lab";
        private Accel accel;
        private Duration bootTimeout = Duration.ofMinutes(3);
        private Path logDir;

        private Builder(LabImage image) {
            this.image = image;
        }

        public Builder memoryMiB(int mib) {
            if (mib < 64) {
                throw new IllegalArgumentException("the lab guest needs at least 64 MiB, not " + mib);
            }
            this.memoryMiB = mib;
            return this;
        }

        public Builder cpus(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("cpus must be at least 1, not " + count);
            }
            this.cpus = count;
            return this;
        }

        /** QEMU arguments appended verbatim, e.g. {@code "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile="}. */
        public Builder qemuArgs(String... args) {
            this.qemuArgs.addAll(List.of(args));
            return this;
        }

        /** Kernel command-line words added after the lab's own ({@code console=ttyS0 panic=-1 quiet ...}). */
        public Builder kernelArgs(String... args) {
            this.kernelArgs.addAll(List.of(args));
            return this;
        }

        /** A short name used in log file names and the QEMU process title. */
        public Builder name(String guestName) {
            if (!guestName.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("guest names are 1-64 of [A-Za-z0-9._-], not '" + guestName + "'");
            }
            this.name = guestName;
            return this;
        }

        /**
         * Forces the accelerator. By default: the system property {@code gangway.accel} or the environment
         * variable {@code GANGWAY_ACCEL} ({@code kvm} or {@code tcg}) if set, else KVM when a KVM guest really
         * boots here ({@link KvmVerdict}), else TCG.
         */
        public Builder accel(Accel choice) {
            this.accel = choice;
            return this;
        }

        /** How long the guest may take from launch to its first answered command (default 3 minutes). */
        public Builder bootTimeout(Duration limit) {
            this.bootTimeout = limit;
            return this;
        }

        /**
         * Where the console and QEMU logs go. Default: the system property {@code gangway.lab.logs} if set,
         * else {@code $XDG_CACHE_HOME/gangway/logs} (where only the newest logs are kept).
         */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        private List<String> appendLine() {
            // no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer test can miss its
            // ticks and panic ("IO-APIC + timer doesn't work!").
            var words = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "quiet", "no_timer_check"));
            words.addAll(kernelArgs);
            return words;
        }

        /** Boots the guest; returns once its command channel has answered a first command. */
        public GuestVm start() throws IOException {
            var qemuBinary = QemuBinary.require();
            var chosen = accel != null ? accel : chooseAccel(qemuBinary, image);
            var logs = logDir != null ? logDir : defaultLogDir();
            Files.createDirectories(logs);
            if (logDir == null && System.getProperty("gangway.lab.logs") == null) {
                pruneLogs(logs);
            }
            var stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
            var base = name + "-" + stamp + "-" + ProcessHandle.current().pid() + "-"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
            var consoleLog = logs.resolve(base + ".console.log").toAbsolutePath();
            var qemuLog = logs.resolve(base + ".qemu.log").toAbsolutePath();
            Files.writeString(consoleLog, "");
            // The folder is private (0700): only this user's processes can reach the socket before QEMU does.
            var socketDir = Files.createTempDirectory("gangway-lab-");
            var socketPath = socketDir.resolve("cmd.sock");
            ServerSocketChannel server;
            try {
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            } catch (IOException e) {
                deleteSocketDir(socketDir);
                throw e;
            }

            var command = new ArrayList<String>(List.of(qemuBinary.path().toString(),
                    "-name", "gangway-" + name,
                    "-machine", "pc"));
            command.addAll(chosen.qemuArgs());
            command.addAll(List.of(
                    "-m", Integer.toString(memoryMiB),
                    "-smp", Integer.toString(cpus),
                    "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                    "-kernel", image.kernel().toString(),
                    "-initrd", image.initrd().toString(),
                    "-append", String.join(" ", appendLine()),
                    "-serial", "file:" + qemuPath(consoleLog),
                    "-device", "virtio-serial-pci,id=gwserial",
                    "-chardev", "socket,id=gwcmd,path=" + qemuPath(socketPath),
                    "-device", "virtserialport,bus=gwserial.0,chardev=gwcmd,name=gangway.cmd"));
            command.addAll(qemuArgs);

            var launched = Instant.now();
            Process process;
            try {
                server.bind(UnixDomainSocketAddress.of(socketPath));
                Files.writeString(qemuLog, String.join(" ", command) + "\n");
                process = JvmBoundProcess.start(command, qemuLog);
            } catch (IOException | RuntimeException e) {
                server.close();
                deleteSocketDir(socketDir);
                throw e;
            }
            var vm = new GuestVm(name, process, consoleLog, qemuLog, socketDir, server, chosen, launched);
            LOG.debug("guest {}: QEMU pid {} ({}), console {}", name, process.pid(), chosen, consoleLog);
            try {
                vm.boot(launched.plus(bootTimeout), bootTimeout);
                return vm;
            } catch (IOException | RuntimeException e) {
                vm.close();
                throw e;
            }
        }
    }

    private void boot(Instant deadline, Duration bootTimeout) throws IOException {
        var socket = accept(deadline, bootTimeout);
        // QEMU connects once; nobody else may get in afterwards.
        server.close();
        deleteSocketDir(socketDir);
        channel = new GuestChannel(socket, name);
        await(channel.hello(), deadline, "the guest agent's hello on the command channel (within "
                + bootTimeout.toSeconds() + " s of launch)");
        var probe = channel.send("echo ready", Math.max(1, Duration.between(Instant.now(), deadline).toSeconds()));
        var answer = await(probe.result(), deadline, "the first command's answer");
        if (answer.exitCode() != 0) {
            throw failure("the guest's first command failed with exit code " + answer.exitCode());
        }
        bootTime = Duration.between(launched, Instant.now());
        LOG.debug("guest {}: answered {} ms after launch ({})", name, bootTime.toMillis(), accel);
    }

    private SocketChannel accept(Instant deadline, Duration bootTimeout) throws IOException {
        server.configureBlocking(false);
        while (true) {
            var socket = server.accept();
            if (socket != null) {
                socket.configureBlocking(true);
                return socket;
            }
            if (!qemu.isAlive()) {
                throw exited("connecting the command channel");
            }
            if (Instant.now().isAfter(deadline)) {
                throw failure("QEMU did not connect the command channel within " + bootTimeout.toSeconds() + " s");
            }
            sleep(Duration.ofMillis(20));
        }
    }

    /** Waits for {@code future} while QEMU lives and the deadline holds; every failure quotes the console. */
    private <T> T await(CompletableFuture<T> future, Instant deadline, String what) throws IOException {
        while (true) {
            try {
                return future.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!qemu.isAlive()) {
                    throw exited("waiting for " + what);
                }
                if (Instant.now().isAfter(deadline)) {
                    throw failure("no answer from guest " + name + " while waiting for " + what
                            + " (console: " + consoleLog + ")");
                }
            } catch (ExecutionException e) {
                if (!qemu.isAlive() || waitForExit(Duration.ofMillis(500))) {
                    throw exited("waiting for " + what);
                }
                throw failure("the command channel of guest " + name + " failed while waiting for " + what
                        + ": " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + what);
            }
        }
    }

    /** Runs a shell command with the default limit of 120 s. */
    public ExecResult exec(String shellCommand) throws IOException {
        return exec(shellCommand, DEFAULT_EXEC_TIMEOUT);
    }

    /**
     * Runs {@code shellCommand} with {@code sh} in the guest (cwd {@code /}, stdin {@code /dev/null}, as
     * root), each time in a fresh shell: {@code cd} and variables do not carry over. The result comes when
     * the shell exits; start long-running guest processes in the background with their output in a file
     * ({@code inotifywait -m /mnt >/tmp/events 2>&1 &}). The guest kills the shell with SIGKILL at
     * {@code timeout}, which then fails with a {@link GuestException}.
     */
    public ExecResult exec(String shellCommand, Duration timeout) throws IOException {
        return execRaw(shellCommand, timeout).decoded();
    }

    /** Like {@link #exec(String, Duration)}, with the output as the exact bytes the command wrote. */
    public synchronized RawExecResult execRaw(String shellCommand, Duration timeout) throws IOException {
        return run(shellCommand, timeout, null);
    }

    /**
     * Runs {@code shellCommand} like {@link #exec(String, Duration)} but hands its output (stdout and stderr
     * interleaved) to {@code output} while it runs, in chunks of at most 64 KiB, on the channel's reader
     * thread; returns its exit code. The command runs in its own session: when its shell exits, or is
     * killed at {@code timeout}, whatever it left running in the background is killed too.
     */
    public synchronized int execStreaming(String shellCommand, Duration timeout, Consumer<byte[]> output)
            throws IOException {
        return run(shellCommand, timeout, java.util.Objects.requireNonNull(output)).exitCode();
    }

    /** One command on the channel; {@code output} null means the output comes whole with the result. */
    private RawExecResult run(String shellCommand, Duration timeout, Consumer<byte[]> output) throws IOException {
        if (closed.get()) {
            throw new IOException("guest " + name + " is closed");
        }
        long limitSeconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        var started = Instant.now();
        var request = output == null
                ? channel.send(shellCommand, limitSeconds)
                : channel.sendStreamed(shellCommand, limitSeconds, output);
        try {
            var result = await(request.result(), started.plusSeconds(limitSeconds).plus(EXEC_GRACE),
                    "command '" + abbreviate(shellCommand) + "'");
            var elapsed = Duration.between(started, Instant.now());
            if (result.exitCode() == 128 + 9 && elapsed.toSeconds() >= limitSeconds) {
                throw failure("command '" + abbreviate(shellCommand) + "' did not finish within "
                        + limitSeconds + " s and was killed in guest " + name);
            }
            return result;
        } finally {
            channel.forget(request.id());
        }
    }

    public Path consoleLog() {
        return consoleLog;
    }

    /** QEMU's own stdout and stderr, after its command line. */
    public Path qemuLog() {
        return qemuLog;
    }

    /** The pid of the QEMU process (or of the setpriv that became QEMU by exec). */
    public long pid() {
        return qemu.pid();
    }

    public boolean accelKvm() {
        return accel == Accel.KVM;
    }

    /** From QEMU's launch to the first command's answer. */
    public Duration bootTime() {
        return bootTime;
    }

    /** Asks the guest to power off, kills QEMU if it has not exited after a grace period; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (bootTime == null) {
                // The boot failed: there is no agent to ask, and nothing in the guest worth a clean stop.
                qemu.destroyForcibly();
            } else if (qemu.isAlive()) {
                try {
                    channel.powerOff();
                } catch (IOException e) {
                    LOG.debug("guest {}: power-off request not delivered: {}", name, e.getMessage());
                }
            }
            if (!waitForExit(POWEROFF_GRACE)) {
                LOG.warn("guest {}: still running {} s after power-off; killing QEMU", name, POWEROFF_GRACE.toSeconds());
                qemu.destroyForcibly();
                waitForExit(POWEROFF_GRACE);
            }
        } finally {
            if (channel != null) {
                channel.close();
            }
            try {
                server.close();
            } catch (IOException e) {
                LOG.debug("guest {}: closing the channel socket: {}", name, e.getMessage());
            }
            deleteSocketDir(socketDir);
        }
    }

    private boolean waitForExit(Duration limit) {
        try {
            return qemu.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            qemu.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private GuestException exited(String when) {
        waitForExit(Duration.ofSeconds(2));
        var code = qemu.isAlive() ? "?" : Integer.toString(qemu.exitValue());
        var qemuSays = LogTail.lastLines(qemuLog, 6).stream().skip(1).toList();
        return failure("QEMU of guest " + name + " exited with code " + code + " while " + when
                + (qemuSays.isEmpty() ? "" : "; QEMU said: " + String.join(" | ", qemuSays)), null);
    }

    private GuestException failure(String problem) {
        return failure(problem, null);
    }

    private GuestException failure(String problem, Throwable cause) {
        return new GuestException(problem, LogTail.lastLines(consoleLog, CONSOLE_TAIL_LINES), cause);
    }

    private static Accel chooseAccel(QemuBinary qemu, LabImage image) throws IOException {
        var forced = System.getProperty("gangway.accel", System.getenv().getOrDefault("GANGWAY_ACCEL", ""));
        if (!forced.isBlank()) {
            try {
                return Accel.valueOf(forced.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IOException("gangway.accel / GANGWAY_ACCEL is '" + forced + "'; fix: set it to kvm or tcg");
            }
        }
        if (!KvmVerdict.devKvmAccessible()) {
            return Accel.TCG;
        }
        var verdict = KvmVerdict.of(qemu, image);
        if (!verdict.usable()) {
            LOG.debug("KVM not usable ({}); using TCG", verdict.evidence());
        }
        return verdict.usable() ? Accel.KVM : Accel.TCG;
    }

    private static Path defaultLogDir() {
        var property = System.getProperty("gangway.lab.logs");
        return property != null && !property.isBlank() ? Path.of(property) : CacheDir.root().resolve("logs");
    }

    private static void pruneLogs(Path dir) {
        try (Stream<Path> logs = Files.list(dir)) {
            var old = logs.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .sorted(Comparator.comparing(GuestVm::modified).reversed())
                    .skip(KEPT_DEFAULT_LOGS)
                    .toList();
            for (var log : old) {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            LOG.debug("pruning old guest logs in {}: {}", dir, e.getMessage());
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteSocketDir(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.debug("removing {}: {}", dir, e.getMessage());
        }
    }

    /** QEMU option values use ',' as separator; a literal comma is written twice. */
    private static String qemuPath(Path path) {
        return path.toString().replace(",", ",,");
    }

    private static String abbreviate(String command) {
        var oneLine = command.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    private static void sleep(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the guest boots");
        }
    }
}
