package dev.gangway.launcher.image;

import dev.gangway.launcher.host.CacheDir;
import dev.gangway.launcher.host.FileTrees;
import dev.gangway.launcher.lab.LabImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Docker VM image: the lab's Debian kernel, a small initramfs that mounts the root disk, and the root
 * disk itself ({@code rootfs.img}, ext4: Debian with docker.io), cached under
 * {@code $XDG_CACHE_HOME/gangway/docker-vm/HASH/} (see {@link DockerImageInputs} for what the hash covers).
 *
 * <p>Builders take a file lock ({@code docker-vm.lock}); a finished image appears by an atomic rename, so a
 * reader never sees half an image. QEMU opens the root disk with {@code snapshot=on}: the guest's writes
 * go to a throw-away overlay and the cached image never changes after its build.
 */
public final class DockerImage {
    /** Threads of one JVM queue here before the file lock, which is per process. */
    private static final ReentrantLock BUILDING = new ReentrantLock();
    static final String KERNEL = "vmlinux";
    static final String INITRD = "initrd.img";
    static final String ROOTFS = "rootfs.img";
    static final String KERNEL_VERSION = "kernel-version";
    private static final int EXT4_MAGIC_OFFSET = 1080;

    private final Path dir;
    private final String kernelVersion;

    private DockerImage(Path dir, String kernelVersion) {
        this.dir = dir;
        this.kernelVersion = kernelVersion;
    }

    /** Where images are cached. */
    public static Path cacheRoot() {
        return CacheDir.root().resolve("docker-vm");
    }

    /**
     * The image for the current inputs: checked and returned if built, else built first (a few minutes; one
     * line per step to {@code progress}).
     *
     * @throws IOException when a build step fails, or the built image is damaged (the message says the fix)
     */
    public static DockerImage ensure(Consumer<String> progress) throws IOException {
        var lab = LabImage.ensure(line -> progress.accept("kernel: " + line));
        var inputs = DockerImageInputs.of(lab);
        var target = cacheRoot().resolve(inputs.hash());
        var ready = load(target);
        if (ready.isPresent()) {
            return used(ready.get().verified());
        }
        Files.createDirectories(cacheRoot());
        BUILDING.lock();
        try (var lockFile = FileChannel.open(CacheDir.root().resolve("docker-vm.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var ignored = lockFile.lock()) {
            ready = load(target);
            if (ready.isPresent()) {
                return used(ready.get().verified());
            }
            progress.accept("building the Docker VM image (Debian " + inputs.suite() + ", kernel "
                    + inputs.kernelVersion() + ", inputs " + inputs.hash() + ") into " + target);
            var work = Files.createTempDirectory(cacheRoot(), "build-");
            try {
                var staged = work.resolve("image");
                new DockerImageBuild(inputs, lab, work, progress).buildInto(staged);
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileTrees.delete(work);
            }
            removeOthers(target);
            var built = load(target).orElseThrow(() -> new IOException("the Docker VM image vanished from " + target));
            progress.accept("image built: " + target + " (root disk " + (Files.size(built.rootfs()) >> 20)
                    + " MiB, sparse)");
            return built.verified();
        } finally {
            BUILDING.unlock();
        }
    }

    /** The image for the current inputs if it is built (and the lab kernel too); never builds. */
    public static Optional<DockerImage> existing() throws IOException {
        var lab = LabImage.existing();
        if (lab.isEmpty()) {
            return Optional.empty();
        }
        return load(cacheRoot().resolve(DockerImageInputs.of(lab.get()).hash()));
    }

    /** Removes the image of the current inputs, so that the next {@link #ensure} builds it afresh. */
    public static void discard() throws IOException {
        var current = existing();
        if (current.isPresent()) {
            FileTrees.delete(current.get().dir);
        }
    }

    /** The image in {@code dir} (not checked: see {@link #verified()}). */
    public static DockerImage at(Path dir) throws IOException {
        return load(dir).orElseThrow(() -> new IOException("no Docker VM image in " + dir
                + "; fix: gangway image build"));
    }

    public Path kernel() {
        return dir.resolve(KERNEL);
    }

    public Path initrd() {
        return dir.resolve(INITRD);
    }

    /** The root disk, ext4, opened read-only or as a snapshot (never written). */
    public Path rootfs() {
        return dir.resolve(ROOTFS);
    }

    public String kernelVersion() {
        return kernelVersion;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Checks that the files are whole enough to boot: an ELF kernel, an initramfs, an ext4 root disk.
     *
     * @throws IOException naming what is damaged and the fix
     */
    public DockerImage verified() throws IOException {
        String problem = null;
        if (!startsWith(kernel(), new byte[] {0x7f, 'E', 'L', 'F'})) {
            problem = "the kernel " + kernel() + " is not an ELF file";
        } else if (!Files.isRegularFile(initrd()) || Files.size(initrd()) < 1024) {
            problem = "the initramfs " + initrd() + " is missing or empty";
        } else if (!isExt4(rootfs())) {
            problem = "the root disk " + rootfs() + " is not an ext4 file system";
        }
        if (problem != null) {
            throw new IOException("the Docker VM image is damaged: " + problem
                    + "; fix: gangway image build --rebuild");
        }
        return this;
    }

    @Override
    public String toString() {
        return "DockerImage[" + kernelVersion + " at " + dir + "]";
    }

    /** True when {@code disk} holds an ext4 (or ext2/3) superblock. */
    public static boolean isExt4(Path disk) throws IOException {
        if (!Files.isRegularFile(disk) || Files.size(disk) < EXT4_MAGIC_OFFSET + 2) {
            return false;
        }
        try (var file = new RandomAccessFile(disk.toFile(), "r")) {
            file.seek(EXT4_MAGIC_OFFSET);
            return file.read() == 0x53 && file.read() == 0xef;
        }
    }

    private static boolean startsWith(Path file, byte[] magic) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(magic.length), magic);
        }
    }

    private static Optional<DockerImage> load(Path dir) throws IOException {
        var version = dir.resolve(KERNEL_VERSION);
        if (!Files.isRegularFile(version)) {
            return Optional.empty();
        }
        return Optional.of(new DockerImage(dir, Files.readString(version).strip()));
    }

    private static DockerImage used(DockerImage image) {
        try {
            Files.setLastModifiedTime(image.dir, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // Only the age of an unused image depends on it.
        }
        return image;
    }

    /**
     * Abandoned builds and images of other inputs: each is a root disk of about a gigabyte, so only the
     * current one is kept (a Docker VM of another checkout rebuilds its own on its next {@code up}).
     */
    private static void removeOthers(Path keep) throws IOException {
        try (Stream<Path> entries = Files.list(cacheRoot())) {
            for (var entry : entries.filter(p -> !p.equals(keep)).toList()) {
                FileTrees.delete(entry);
            }
        }
    }
}
