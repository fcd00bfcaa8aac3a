package dev.gangway.launcher.qemu;

import dev.gangway.launcher.host.HostCommand;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Child processes that die with the JVM (see the package description for how). */
public final class JvmBoundProcess {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    /** The one thread that forks children: it lives as long as the JVM, so their death signal waits for it. */
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(
            task -> Thread.ofPlatform().name("gangway-child-spawner").daemon(true).unstarted(task));

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("gangway-child-reaper").unstarted(() -> {
            for (var process : LIVE) {
                process.destroyForcibly();
            }
        }));
    }

    private JvmBoundProcess() {
    }

    /**
     * Starts {@code command} with stdin from {@code /dev/null} and stdout and stderr appended to {@code log}.
     * The process is killed when the JVM exits or dies.
     */
    public static Process start(List<String> command, Path log) throws IOException {
        var full = new ArrayList<String>();
        HostCommand.which("setpriv").ifPresent(setpriv -> full.addAll(
                List.of(setpriv.toString(), "--pdeathsig", "KILL", "--")));
        full.addAll(command);
        var builder = new ProcessBuilder(full)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            var process = SPAWNER.submit(builder::start).get();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            return process;
        } catch (ExecutionException e) {
            var cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting " + command.getFirst());
        }
    }
}
