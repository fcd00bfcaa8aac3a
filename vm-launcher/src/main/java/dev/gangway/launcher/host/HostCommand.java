package dev.gangway.launcher.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool with a fixed argument vector and collects what it prints.
 *
 * @param command the program and its arguments
 * @param workDir the working folder, or {@code null} for the JVM's
 * @param timeout how long the tool may run before it is killed
 */
public record HostCommand(List<String> command, Path workDir, Duration timeout) {
    /** Output beyond this is a sign of a runaway tool; it is killed. */
    private static final int MAX_OUTPUT = 16 << 20;

    public HostCommand {
        command = List.copyOf(command);
    }

    public static HostCommand of(String... command) {
        return new HostCommand(List.of(command), null, Duration.ofMinutes(5));
    }

    public HostCommand in(Path dir) {
        return new HostCommand(command, dir, timeout);
    }

    public HostCommand timeout(Duration limit) {
        return new HostCommand(command, workDir, limit);
    }

    /** What a finished tool printed and its exit code. */
    public record Output(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs the tool; a non-zero exit is an {@link IOException} quoting the command and its stderr. */
    public String run() throws IOException {
        var out = execute();
        if (!out.ok()) {
            throw new IOException(describe() + " failed with exit code " + out.exitCode() + tail(out));
        }
        return out.stdout();
    }

    /** Runs the tool and returns its exit code and output whatever they are. */
    public Output execute() throws IOException {
        // Resolved here so that tools in the sbin folders run even when PATH lacks them.
        var argv = new java.util.ArrayList<>(command);
        if (!argv.getFirst().contains("/")) {
            which(argv.getFirst()).ifPresent(path -> argv.set(0, path.toString()));
        }
        var builder = new ProcessBuilder(argv);
        builder.environment().put("LC_ALL", "C");
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(describe() + " could not start: " + e.getMessage(), e);
        }
        var stdout = new Collector(process.getInputStream());
        var stderr = new Collector(process.getErrorStream());
        var outThread = Thread.ofVirtual().start(stdout);
        var errThread = Thread.ofVirtual().start(stderr);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new IOException(describe() + " did not finish within " + timeout.toSeconds() + " s");
            }
            outThread.join();
            errThread.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(describe() + " interrupted");
        }
        if (stdout.overflow || stderr.overflow) {
            throw new IOException(describe() + " printed more than " + (MAX_OUTPUT >> 20) + " MiB");
        }
        return new Output(process.exitValue(), stdout.text(), stderr.text());
    }

    /** The program's absolute path if it is on {@code PATH} (or in the sbin folders root's PATH has). */
    public static Optional<Path> which(String program) {
        var path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (var dir : (path + ":/usr/local/sbin:/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            var candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private String describe() {
        return "'" + String.join(" ", command) + "'";
    }

    private static String tail(Output out) {
        var text = (out.stderr().isBlank() ? out.stdout() : out.stderr()).strip();
        if (text.isEmpty()) {
            return "";
        }
        var lines = text.lines().toList();
        return ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private static final class Collector implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean overflow;

        Collector(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            var buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (bytes.size() + n > MAX_OUTPUT) {
                        overflow = true;
                        continue;
                    }
                    bytes.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // The tool was killed and its pipe closed under us: what was read so far stands.
                return;
            }
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
