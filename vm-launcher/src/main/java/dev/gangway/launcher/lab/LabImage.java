package dev.gangway.launcher.lab;

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
 * The lab guest's kernel and initramfs, built once per set of inputs and cached under
 * {@code $XDG_CACHE_HOME/gangway/lab/HASH/} (see {@link LabImageInputs} for what the hash covers).
 *
 * <p>{@link #ensure()} is safe to call from many threads and many processes at once: builders take a
 * file lock on {@code lab.lock} in the cache folder, and a finished image appears by an atomic rename, so
 * a reader never sees half an image. An image whose inputs are no longer current is removed once it has
 * gone unused for {@link #UNUSED_FOR}, so JVMs running different versions of this code side by side each
 * keep theirs.
 */
public final class LabImage {
    private static final Logger LOG = LoggerFactory.getLogger(LabImage.class);
    /** {@link FileChannel#lock()} is per process; threads of one JVM queue here first. */
    private static final ReentrantLock BUILDING = new ReentrantLock();
    static final String ELF_KERNEL = "vmlinux";
    static final String COMPRESSED_KERNEL = "vmlinuz";
    /** How long an image of other inputs is kept after its last use. */
    static final Duration UNUSED_FOR = Duration.ofDays(3);

    /**
     * The image this JVM already ensured: the inputs (installed packages, the scripts in this jar) do not
     * change under a running test suite, so each later call costs a file check instead of three apt/dpkg runs.
     */
    private static volatile LabImage ensured;

    private final Path dir;
    private final String kernelVersion;

    private LabImage(Path dir, String kernelVersion) {
        this.dir = dir;
        this.kernelVersion = kernelVersion;
    }

    /** Builds the image if it is missing or its inputs changed, else reuses it; progress goes to the log. */
    public static LabImage ensure() throws IOException {
        return ensure(line -> LOG.info("lab image: {}", line));
    }

    /** Same as {@link #ensure()}, reporting one line per build step to {@code progress}. */
    public static LabImage ensure(Consumer<String> progress) throws IOException {
        var known = ensured;
        if (known != null && load(known.dir).isPresent()) {
            return known;
        }
        var image = ensureFresh(progress);
        ensured = image;
        return image;
    }

    private static LabImage ensureFresh(Consumer<String> progress) throws IOException {
        var inputs = LabImageInputs.resolve();
        var labDir = CacheDir.root().resolve("lab");
        var target = labDir.resolve(inputs.hash());
        var ready = load(target);
        if (ready.isPresent()) {
            return used(ready.get());
        }
        Files.createDirectories(labDir);
        BUILDING.lock();
        try (var lockFile = FileChannel.open(CacheDir.root().resolve("lab.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var ignored = lockFile.lock()) {
            ready = load(target);
            if (ready.isPresent()) {
                return used(ready.get());
            }
            progress.accept("building the lab guest image (kernel " + inputs.kernelVersion() + ", inputs "
                    + inputs.hash() + ") into " + target);
            var work = Files.createTempDirectory(labDir, "build-");
            try {
                var staged = work.resolve("image");
                new LabImageBuild(inputs, CacheDir.root().resolve("downloads"), work, progress).buildInto(staged);
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileTrees.delete(work);
            }
            removeStale(labDir, target);
            var built = load(target).orElseThrow(() -> new IOException("the lab image vanished from " + target));
            progress.accept("done: " + built.kernel() + " and " + built.initrd() + " ("
                    + (Files.size(built.initrd()) >> 20) + " MiB)");
            return built;
        } finally {
            BUILDING.unlock();
        }
    }

    /** The image for the current inputs if it is built; never builds. */
    public static Optional<LabImage> existing() throws IOException {
        return load(CacheDir.root().resolve("lab").resolve(LabImageInputs.resolve().hash()));
    }

    /** The kernel QEMU boots: the uncompressed ELF ({@code vmlinux}, PVH entry) when the build made one. */
    public Path kernel() {
        var elf = dir.resolve(ELF_KERNEL);
        return Files.isRegularFile(elf) ? elf : dir.resolve(COMPRESSED_KERNEL);
    }

    public Path initrd() {
        return dir.resolve("initrd.img");
    }

    /** The guest kernel's release, what {@code uname -r} prints in the guest, e.g. {@code 6.1.0-56-amd64}. */
    public String kernelVersion() {
        return kernelVersion;
    }

    /** The folder holding this image. */
    public Path dir() {
        return dir;
    }

    @Override
    public String toString() {
        return "LabImage[" + kernelVersion + " at " + dir + "]";
    }

    private static Optional<LabImage> load(Path dir) throws IOException {
        var version = dir.resolve("kernel-version");
        boolean kernel = Files.isRegularFile(dir.resolve(ELF_KERNEL)) || Files.isRegularFile(dir.resolve(COMPRESSED_KERNEL));
        if (!Files.isRegularFile(version) || !kernel
                || !Files.isRegularFile(dir.resolve("initrd.img"))) {
            return Optional.empty();
        }
        return Optional.of(new LabImage(dir, Files.readString(version).strip()));
    }

    /**
     * Marks the image as in use. Images of other inputs are removed only after {@link #UNUSED_FOR} without
     * use: two checkouts (or a stale jar) on one machine may each need their own image at the same time.
     */
    private static LabImage used(LabImage image) {
        try {
            Files.setLastModifiedTime(image.dir, FileTime.from(Instant.now()));
        } catch (IOException e) {
            LOG.debug("marking {} as used: {}", image.dir, e.getMessage());
        }
        return image;
    }

    /** Abandoned builds (none runs: the caller holds the lock) and images unused for a while. */
    static void removeStale(Path labDir, Path keep) throws IOException {
        var cutoff = Instant.now().minus(UNUSED_FOR);
        try (Stream<Path> entries = Files.list(labDir)) {
            for (var entry : entries.filter(p -> !p.equals(keep)).toList()) {
                boolean abandonedBuild = entry.getFileName().toString().startsWith("build-");
                if (abandonedBuild || Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                    FileTrees.delete(entry);
                }
            }
        }
    }
}
