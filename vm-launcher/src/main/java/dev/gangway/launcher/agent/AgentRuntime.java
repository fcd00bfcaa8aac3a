package dev.gangway.launcher.agent;

import dev.gangway.launcher.host.CacheDir;
import dev.gangway.launcher.host.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest agent's runtime: a {@code jlink} image of {@code java.base} with the agent's class path and a
 * launch script, built once per set of inputs and cached under {@code $XDG_CACHE_HOME/gangway/agent/HASH/}
 * (see {@link AgentRuntimeInputs} for what the hash covers). The folder is complete and immutable once
 * {@link #ensure()} returns it; copy it into a guest image or export it read-only.
 *
 * <pre>{@code
 * var runtime = AgentRuntime.ensure();
 * // in the guest, with runtime.dir() at /opt/gangway-agent:
 * //   /opt/gangway-agent/bin/gangway-agent --connect 192.168.65.1:5640 --share src=/mnt/src \
 * //       --state /run/gangway-agent.state --fsuid 64999:64999
 * }</pre>
 *
 * <p>Safe to call from many threads and processes at once: builders take a file lock on {@code agent.lock}
 * in the cache folder and a finished runtime appears by an atomic rename. Runtimes of other inputs are
 * removed once unused for {@link #UNUSED_FOR}.
 */
public final class AgentRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);
    private static final ReentrantLock BUILDING = new ReentrantLock();
    static final Duration UNUSED_FOR = Duration.ofDays(3);
    /** The file whose presence marks a complete runtime. */
    static final String COMPLETE = "runtime-inputs.txt";
    /** Where a guest conventionally finds the runtime ({@code gangway up}'s image and the lab use it). */
    public static final String GUEST_PATH = "/opt/gangway-agent";

    private final Path dir;

    private AgentRuntime(Path dir) {
        this.dir = dir;
    }

    /**
     * The runtime for the current inputs, built from the JDK this JVM runs on (or the one named by the
     * system property {@code gangway.agent.jdk}) if it is not cached yet; progress goes to the log.
     */
    public static AgentRuntime ensure() throws IOException {
        return ensure(AgentRuntimeInputs.defaultJdk(), line -> LOG.info("agent runtime: {}", line));
    }

    /** The runtime built with {@code jdk}'s {@code jlink}, reporting one line per build step to {@code progress}. */
    public static AgentRuntime ensure(Path jdk, Consumer<String> progress) throws IOException {
        var inputs = AgentRuntimeInputs.resolve(jdk);
        var agentDir = CacheDir.root().resolve("agent");
        var target = agentDir.resolve(inputs.hash());
        if (Files.isRegularFile(target.resolve(COMPLETE))) {
            return used(new AgentRuntime(target));
        }
        Files.createDirectories(agentDir);
        BUILDING.lock();
        try (var lockFile = FileChannel.open(CacheDir.root().resolve("agent.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var ignored = lockFile.lock()) {
            if (Files.isRegularFile(target.resolve(COMPLETE))) {
                return used(new AgentRuntime(target));
            }
            progress.accept("building the guest agent runtime (inputs " + inputs.hash() + ") into " + target);
            var work = Files.createTempDirectory(agentDir, "build-");
            try {
                var staged = work.resolve("runtime");
                new AgentRuntimeBuild(inputs, progress).buildInto(staged);
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileTrees.delete(work);
            }
            removeStale(agentDir, target);
            var built = new AgentRuntime(target);
            progress.accept("done: " + target + " (" + (built.size() >> 20) + " MiB)");
            return built;
        } finally {
            BUILDING.unlock();
        }
    }

    /** The runtime for the current inputs if it is built; never builds. */
    public static Optional<AgentRuntime> existing() throws IOException {
        var target = CacheDir.root().resolve("agent")
                .resolve(AgentRuntimeInputs.resolve(AgentRuntimeInputs.defaultJdk()).hash());
        return Files.isRegularFile(target.resolve(COMPLETE)) ? Optional.of(new AgentRuntime(target)) : Optional.empty();
    }

    /** The runtime's root: {@code bin/java}, {@code bin/gangway-agent}, {@code lib/}, {@code agent/}. */
    public Path dir() {
        return dir;
    }

    /** The Java launcher of the runtime (needs {@code lib/sysroot} on the library path: use {@link #launcher()}). */
    public Path java() {
        return dir.resolve("bin/java");
    }

    /** The agent's launch script; its arguments are the agent's ({@code GuestAgent}). */
    public Path launcher() {
        return dir.resolve("bin/gangway-agent");
    }

    /** Bytes on disk. */
    public long size() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (var file : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    @Override
    public String toString() {
        return "AgentRuntime[" + dir + "]";
    }

    private static AgentRuntime used(AgentRuntime runtime) {
        try {
            Files.setLastModifiedTime(runtime.dir, FileTime.from(Instant.now()));
        } catch (IOException e) {
            LOG.debug("marking {} as used: {}", runtime.dir, e.getMessage());
        }
        return runtime;
    }

    /** Abandoned builds (none runs: the caller holds the lock) and runtimes unused for a while. */
    private static void removeStale(Path agentDir, Path keep) throws IOException {
        var cutoff = Instant.now().minus(UNUSED_FOR);
        try (Stream<Path> entries = Files.list(agentDir)) {
            for (var entry : entries.filter(p -> !p.equals(keep)).toList()) {
                boolean abandonedBuild = entry.getFileName().toString().startsWith("build-");
                if (abandonedBuild || Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                    FileTrees.delete(entry);
                }
            }
        }
    }
}
