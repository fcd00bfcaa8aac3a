package dev.gangway.launcher.image;

import dev.gangway.launcher.host.CacheDir;
import dev.gangway.launcher.host.HostCommand;
import dev.gangway.launcher.lab.LabImage;
import dev.gangway.launcher.lab.LabRequirements;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The steps that turn {@link DockerImageInputs} into {@code vmlinux}, {@code initrd.img} and
 * {@code rootfs.img} in a fresh folder; each step reports one progress line. Runs as root: debootstrap
 * creates device nodes and files of many owners, and {@code mke2fs -d} copies them as they are.
 */
final class DockerImageBuild {
    /** Size of the root disk; the file is sparse, so only what the tree fills is allocated. */
    static final String ROOTFS_SIZE = "3G";
    private static final Duration DEBOOTSTRAP_LIMIT = Duration.ofMinutes(30);
    /** The debootstrap lines shown as progress (the rest, one per package, go to its log). */
    private static final List<String> MILESTONES = List.of("Resolving dependencies", "Checking component",
            "Installing core packages", "the base system", "successfully");
    /** The applets the initramfs's /init uses. */
    private static final List<String> INITRAMFS_APPLETS = List.of("sh", "mount", "umount", "insmod", "mkdir",
            "usleep", "switch_root", "poweroff", "echo", "cat");

    private final DockerImageInputs inputs;
    private final LabImage lab;
    private final Path work;
    private final Consumer<String> progress;

    DockerImageBuild(DockerImageInputs inputs, LabImage lab, Path work, Consumer<String> progress) {
        this.inputs = inputs;
        this.lab = lab;
        this.work = work;
        this.progress = progress;
    }

    void buildInto(Path out) throws IOException {
        for (var tool : List.of("debootstrap", "mke2fs", "dpkg-deb", "depmod", "modprobe", "cpio", "chroot")) {
            if (HostCommand.which(tool).isEmpty()) {
                throw new IOException(tool + " is missing; fix: sudo apt-get install debootstrap e2fsprogs kmod cpio");
            }
        }
        if (!LabRequirements.runningAsRoot()) {
            throw new IOException("building the Docker VM image runs debootstrap, which needs root;"
                    + " fix: sudo ./gangway image build");
        }
        var version = inputs.kernelVersion();
        var kernelRoot = work.resolve("kernel");
        var deb = kernelPackage();
        step("unpacking the kernel's modules from " + deb.getFileName());
        Files.createDirectories(kernelRoot);
        HostCommand.of("dpkg-deb", "-x", deb.toString(), kernelRoot.toString()).run();
        HostCommand.of("depmod", "-b", kernelRoot.toString(), version).run();

        var rootfs = work.resolve("rootfs");
        debootstrap(rootfs);
        configure(rootfs);
        var moduleDir = "lib/modules/" + version;
        var modules = plan(kernelRoot, version, inputs.modules());
        step("copying " + modules.size() + " kernel modules into the root file system");
        for (var ko : modules) {
            var relative = kernelRoot.resolve(moduleDir).relativize(ko);
            var target = rootfs.resolve(moduleDir).resolve(relative.toString());
            Files.createDirectories(target.getParent());
            Files.copy(ko, target, StandardCopyOption.REPLACE_EXISTING);
        }
        for (var meta : List.of("modules.builtin", "modules.builtin.modinfo", "modules.order")) {
            var file = kernelRoot.resolve(moduleDir).resolve(meta);
            if (Files.isRegularFile(file)) {
                Files.copy(file, rootfs.resolve(moduleDir).resolve(meta), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        HostCommand.of("depmod", "-b", rootfs.toString(), version).run();

        Files.createDirectories(out);
        step("root disk: mke2fs -t ext4 -d (" + ROOTFS_SIZE + ", sparse)");
        HostCommand.of("mke2fs", "-q", "-F", "-t", "ext4", "-L", "gangway-root", "-d", rootfs.toString(),
                out.resolve(DockerImage.ROOTFS).toString(), ROOTFS_SIZE).timeout(Duration.ofMinutes(10)).run();
        initramfs(kernelRoot, version, out.resolve(DockerImage.INITRD));
        step("kernel " + version + " from the lab image");
        Files.copy(lab.kernel(), out.resolve(DockerImage.KERNEL), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(out.resolve(DockerImage.KERNEL_VERSION), version + "\n");
        Files.writeString(out.resolve("inputs.txt"), inputs.describe());
    }

    /** The kernel package the lab downloaded (its modules match the lab's kernel), fetched again if gone. */
    private Path kernelPackage() throws IOException {
        var downloads = CacheDir.root().resolve("downloads");
        var prefix = "linux-image-" + inputs.kernelVersion() + "_";
        if (Files.isDirectory(downloads)) {
            try (Stream<Path> files = Files.list(downloads)) {
                var found = files.filter(p -> p.getFileName().toString().startsWith(prefix)
                        && p.getFileName().toString().endsWith(".deb")).sorted().toList();
                if (!found.isEmpty()) {
                    return found.getLast();
                }
            }
        }
        step("downloading linux-image-" + inputs.kernelVersion() + " (apt-get download)");
        var staging = work.resolve("download");
        Files.createDirectories(staging);
        HostCommand.of("apt-get", "download", "-q", "linux-image-" + inputs.kernelVersion())
                .in(staging).timeout(Duration.ofMinutes(15)).run();
        try (Stream<Path> files = Files.list(staging)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new IOException("apt-get download left no .deb in " + staging));
        }
    }

    /** debootstrap minbase with the Docker packages; its own milestones are the progress lines. */
    private void debootstrap(Path rootfs) throws IOException {
        var cache = CacheDir.root().resolve("debootstrap");
        Files.createDirectories(cache);
        step("debootstrap --variant=minbase " + inputs.suite() + " from " + inputs.mirror() + " with "
                + String.join(",", inputs.packages()) + " (about a minute or two)");
        var command = List.of("debootstrap", "--variant=minbase", "--cache-dir=" + cache,
                "--include=" + String.join(",", inputs.packages()), inputs.suite(), rootfs.toString(), inputs.mirror());
        var log = work.resolve("debootstrap.log");
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var tail = new java.util.ArrayDeque<String>();
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var writer = Files.newBufferedWriter(log)) {
            String line;
            while ((line = reader.readLine()) != null) {
                writer.write(line);
                writer.newLine();
                if (tail.size() == 8) {
                    tail.removeFirst();
                }
                tail.addLast(line);
                if (line.startsWith("I: ") && MILESTONES.stream().anyMatch(line::contains)) {
                    step("debootstrap: " + line.substring(3));
                }
            }
        }
        try {
            if (!process.waitFor(DEBOOTSTRAP_LIMIT.toMinutes(), TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("debootstrap did not finish within " + DEBOOTSTRAP_LIMIT.toMinutes() + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during debootstrap");
        }
        if (process.exitValue() != 0) {
            throw new IOException("debootstrap failed with exit code " + process.exitValue() + ": "
                    + String.join(" | ", tail) + "; fix: check that " + inputs.mirror()
                    + " is reachable (sudo apt-get update works)");
        }
    }

    /** Legacy iptables, the guest scripts, and no package caches in the image. */
    private void configure(Path rootfs) throws IOException {
        step("configuring the root file system (legacy iptables, /sbin/gangway-init)");
        for (var tool : List.of("iptables", "ip6tables")) {
            HostCommand.of("chroot", rootfs.toString(), "update-alternatives", "--set", tool,
                    "/usr/sbin/" + tool + "-legacy").run();
        }
        writeExecutable(rootfs.resolve("sbin/gangway-init"), DockerImageInputs.resource("gangway-init.sh"));
        Files.createDirectories(rootfs.resolve("etc/gangway"));
        writeExecutable(rootfs.resolve("etc/gangway/udhcpc.script"), DockerImageInputs.resource("udhcpc.script"));
        Files.writeString(rootfs.resolve("etc/gangway/modules"), String.join("\n", inputs.modules()) + "\n");
        Files.writeString(rootfs.resolve("etc/hostname"), "gangway\n");
        Files.writeString(rootfs.resolve("etc/hosts"), "127.0.0.1 localhost gangway\n::1 localhost\n");
        Files.createDirectories(rootfs.resolve("var/lib/docker"));
        for (var dir : List.of("var/cache/apt/archives", "var/lib/apt/lists")) {
            var folder = rootfs.resolve(dir);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    for (var file : files.filter(Files::isRegularFile).toList()) {
                        if (!file.getFileName().toString().equals("lock")) {
                            Files.delete(file);
                        }
                    }
                }
            }
        }
    }

    /** A busybox initramfs that loads virtio-blk and ext4, mounts /dev/vda and switches to it. */
    private void initramfs(Path kernelRoot, String version, Path initrd) throws IOException {
        step("initramfs: busybox, " + String.join(", ", DockerImageInputs.INITRAMFS_MODULES));
        var root = work.resolve("initramfs");
        for (var dir : List.of("bin", "dev", "proc", "sys", "newroot", "lib/gangway/modules")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.copy(Path.of("/bin/busybox").toRealPath(), root.resolve("bin/busybox"));
        root.resolve("bin/busybox").toFile().setExecutable(true, false);
        for (var applet : INITRAMFS_APPLETS) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        var order = new StringBuilder();
        for (var ko : plan(kernelRoot, version, DockerImageInputs.INITRAMFS_MODULES)) {
            var name = ko.getFileName().toString();
            Files.copy(ko, root.resolve("lib/gangway/modules").resolve(name), StandardCopyOption.REPLACE_EXISTING);
            order.append(name).append('\n');
        }
        Files.writeString(root.resolve("lib/gangway/modules.order"), order);
        writeExecutable(root.resolve("init"), DockerImageInputs.resource("initramfs-init.sh"));
        var names = new ArrayList<String>();
        try (Stream<Path> all = Files.walk(root)) {
            all.map(p -> root.relativize(p).toString()).map(s -> s.isEmpty() ? "." : s).sorted().forEach(names::add);
        }
        var list = work.resolve("initramfs.txt");
        Files.write(list, names, StandardCharsets.UTF_8);
        var process = new ProcessBuilder("cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0")
                .directory(root.toFile())
                .redirectInput(list.toFile())
                .redirectOutput(initrd.toFile())
                .redirectError(work.resolve("cpio.err").toFile())
                .start();
        try {
            if (process.waitFor() != 0) {
                throw new IOException("cpio failed: " + Files.readString(work.resolve("cpio.err")).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while packing the initramfs");
        }
    }

    /** The module files for {@code modules} and their dependencies, in load order (modprobe's plan). */
    private static List<Path> plan(Path kernelRoot, String version, List<String> modules) throws IOException {
        var ordered = new LinkedHashSet<Path>();
        for (var module : modules) {
            var plan = HostCommand.of("modprobe", "-S", version, "-d", kernelRoot.toString(), "--show-depends",
                    module).run();
            for (var line : plan.lines().map(String::strip).toList()) {
                if (line.startsWith("insmod ")) {
                    ordered.add(Path.of(line.substring("insmod ".length()).strip().split("\\s+")[0]));
                } else if (!line.startsWith("builtin ") && !line.isEmpty()) {
                    throw new IOException("unexpected modprobe output for " + module + ": " + line);
                }
            }
        }
        return List.copyOf(ordered);
    }

    private static void writeExecutable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void step(String what) {
        progress.accept(what);
    }


}
