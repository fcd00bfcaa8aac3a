package dev.gangway.launcher.lab;

import dev.gangway.launcher.host.FileTrees;
import dev.gangway.launcher.host.HostCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The steps that turn {@link LabImageInputs} into a kernel and an initramfs in a fresh folder. Each step
 * reports one progress line; a failing host tool ends the build with its command and stderr.
 */
final class LabImageBuild {
    /** Git helpers bigger than this are network transports (curl) and daemons the lab does not need. */
    private static final long GIT_HELPER_MAX_SIZE = 128 << 10;
    private static final Pattern LDD_LIBRARY = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)");

    private final LabImageInputs inputs;
    private final Path downloads;
    private final Path work;
    private final Consumer<String> progress;
    private final Path root;

    LabImageBuild(LabImageInputs inputs, Path downloads, Path work, Consumer<String> progress) {
        this.inputs = inputs;
        this.downloads = downloads;
        this.work = work;
        this.progress = progress;
        this.root = work.resolve("initramfs");
    }

    /** Builds the kernel ({@code vmlinux}, or {@code vmlinuz} as it came) and {@code initrd.img} into {@code out}. */
    void buildInto(Path out) throws IOException {
        for (var binary : LabImageInputs.HOST_BINARIES) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IOException(binary + " is missing; fix: sudo apt-get install inotify-tools sqlite3 git");
            }
        }
        for (var tool : List.of("apt-get", "dpkg-deb", "depmod", "modprobe", "cpio", "ldd")) {
            if (HostCommand.which(tool).isEmpty()) {
                throw new IOException(tool + " is missing; fix: sudo apt-get install kmod cpio libc-bin dpkg apt");
            }
        }
        var kernelRoot = work.resolve("kernel");
        var deb = download();
        step("unpacking " + deb.getFileName());
        Files.createDirectories(kernelRoot);
        HostCommand.of("dpkg-deb", "-x", deb.toString(), kernelRoot.toString()).run();
        var version = inputs.kernelVersion();
        step("depmod for " + version);
        HostCommand.of("depmod", "-b", kernelRoot.toString(), version).run();
        Files.createDirectories(out);
        kernel(kernelRoot, version, out);

        Files.createDirectories(root);
        for (var dir : List.of("proc", "sys", "dev", "tmp", "run", "mnt", "root", "etc", "lib/gangway/modules",
                "bin", "sbin", "usr/bin", "usr/sbin", "var")) {
            Files.createDirectories(root.resolve(dir));
        }
        modules(kernelRoot, version);
        busybox();
        hostBinaries();
        scripts();
        step("packing the initramfs (cpio newc)");
        var initrd = out.resolve("initrd.img");
        cpio(initrd);
        Files.writeString(out.resolve("kernel-version"), version + "\n");
        Files.writeString(out.resolve("inputs.txt"), inputs.describe());
    }

    private Path download() throws IOException {
        var name = inputs.kernelPackage() + "_" + inputs.kernelPackageVersion().replace(":", "%3a") + "_amd64.deb";
        var deb = downloads.resolve(name);
        if (Files.isRegularFile(deb)) {
            step("kernel package " + name + " (already downloaded)");
            return deb;
        }
        step("downloading " + inputs.kernelPackage() + " " + inputs.kernelPackageVersion() + " (apt-get download)");
        Files.createDirectories(downloads);
        var staging = Files.createTempDirectory(downloads, "download-");
        try {
            // apt drops to user _apt when it can; a private folder it cannot enter only costs a warning.
            try {
                HostCommand.of("apt-get", "download", "-q",
                                inputs.kernelPackage() + "=" + inputs.kernelPackageVersion())
                        .in(staging).timeout(Duration.ofMinutes(15)).run();
            } catch (IOException e) {
                throw new IOException(e.getMessage() + "; fix: sudo apt-get update (and check the Debian mirror"
                        + " in /etc/apt/sources.list* is reachable)", e);
            }
            try (Stream<Path> files = Files.list(staging)) {
                var fetched = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download left no .deb in " + staging));
                Files.move(fetched, deb, StandardCopyOption.ATOMIC_MOVE);
            }
            return deb;
        } finally {
            FileTrees.delete(staging);
        }
    }

    /**
     * The kernel to boot. Debian's bzImage is xz-compressed, and decompressing it under TCG costs seconds
     * (half the boot, and far more on a loaded host); a kernel built with {@code CONFIG_PVH} can instead be
     * booted by QEMU straight from its uncompressed ELF, so the payload is unpacked here once. Kernels
     * without PVH or with another compression are booted as they came.
     */
    private void kernel(Path kernelRoot, String version, Path out) throws IOException {
        var bzImage = kernelRoot.resolve("boot/vmlinuz-" + version);
        var config = kernelRoot.resolve("boot/config-" + version);
        boolean pvh = Files.isRegularFile(config) && Files.readAllLines(config).contains("CONFIG_PVH=y");
        var image = Files.readAllBytes(bzImage);
        int payload = indexOf(image, XZ_MAGIC);
        if (!pvh || payload < 0 || HostCommand.which("xz").isEmpty()) {
            step("kernel " + version + ": booting the compressed bzImage, which is slower under TCG ("
                    + (!pvh ? "no PVH entry" : payload < 0 ? "no xz payload" : "no xz; sudo apt-get install xz-utils")
                    + ")");
            Files.copy(bzImage, out.resolve(LabImage.COMPRESSED_KERNEL), StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        step("kernel " + version + ": unpacking the xz payload of the bzImage into an ELF QEMU boots by PVH");
        var compressed = work.resolve("payload.xz");
        Files.write(compressed, java.util.Arrays.copyOfRange(image, payload, image.length));
        var elf = out.resolve(LabImage.ELF_KERNEL);
        var process = new ProcessBuilder("xz", "-dc", "--single-stream", compressed.toString())
                .redirectOutput(elf.toFile())
                .redirectError(work.resolve("xz.err").toFile())
                .start();
        try {
            int rc = process.waitFor();
            if (rc != 0 || !isElf(elf)) {
                throw new IOException("xz could not unpack the kernel (exit " + rc + "): "
                        + Files.readString(work.resolve("xz.err")).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while unpacking the kernel");
        }
    }

    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void modules(Path kernelRoot, String version) throws IOException {
        var ordered = new LinkedHashSet<Path>();
        for (var module : inputs.modules()) {
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
        step("copying " + ordered.size() + " kernel modules (" + String.join(", ", inputs.modules()) + ")");
        var order = new StringBuilder();
        var target = root.resolve("lib/gangway/modules");
        for (var ko : ordered) {
            var name = ko.getFileName().toString();
            Files.copy(ko, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            order.append(name).append('\n');
        }
        Files.writeString(root.resolve("lib/gangway/modules.order"), order);
    }

    private void busybox() throws IOException {
        step("busybox " + inputs.busyboxVersion() + " and its applets");
        copyFile(Path.of(LabImageInputs.BUSYBOX));
        var applets = HostCommand.of(LabImageInputs.BUSYBOX, "--list-full").run();
        for (var applet : applets.lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            var link = root.resolve(applet);
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(LabImageInputs.BUSYBOX));
        }
    }

    private void hostBinaries() throws IOException {
        step("host binaries with their libraries: " + String.join(" ", LabImageInputs.HOST_BINARIES));
        var files = new TreeSet<Path>();
        for (var binary : LabImageInputs.HOST_BINARIES) {
            files.add(Path.of(binary));
        }
        var gitCore = Path.of("/usr/lib/git-core");
        var gitLinks = new ArrayList<Path>();
        if (Files.isDirectory(gitCore)) {
            try (Stream<Path> helpers = Files.list(gitCore)) {
                for (var helper : helpers.sorted().toList()) {
                    var attributes = Files.readAttributes(helper, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isSymbolicLink() || helper.getFileName().toString().equals("git")) {
                        gitLinks.add(helper);
                    } else if (attributes.isRegularFile() && attributes.size() <= GIT_HELPER_MAX_SIZE) {
                        files.add(helper);
                    }
                }
            }
        }
        Set<Path> libraries = new TreeSet<>();
        for (var file : files) {
            copyFile(file);
            if (isElf(file)) {
                libraries.addAll(libraries(file));
            }
        }
        for (var library : libraries) {
            copyFile(library);
        }
        for (var link : gitLinks) {
            var target = root.resolve(link.toString().substring(1));
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            // Builtins are links to git; the copy of git lives in /usr/bin.
            Files.createSymbolicLink(target, Path.of("/usr/bin/git"));
        }
        var templates = Path.of("/usr/share/git-core/templates");
        if (Files.isDirectory(templates)) {
            copyTree(templates);
        }
    }

    private void scripts() throws IOException {
        step("/init, /etc/udhcpc.script and /etc basics");
        writeExecutable(root.resolve("init"), LabImageInputs.resource("init.sh"));
        writeExecutable(root.resolve("etc/udhcpc.script"), LabImageInputs.resource("udhcpc.script"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost gangway-lab\n::1 localhost\n");
        Files.writeString(root.resolve("etc/hostname"), "gangway-lab\n");
        Files.writeString(root.resolve("etc/resolv.conf"), "");
    }

    private void cpio(Path initrd) throws IOException {
        var list = work.resolve("files.txt");
        var names = new ArrayList<String>();
        try (Stream<Path> all = Files.walk(root)) {
            all.map(p -> root.relativize(p).toString()).map(s -> s.isEmpty() ? "." : s).sorted().forEach(names::add);
        }
        Files.write(list, names, StandardCharsets.UTF_8);
        var process = new ProcessBuilder("cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0")
                .directory(root.toFile())
                .redirectInput(list.toFile())
                .redirectOutput(initrd.toFile())
                .redirectError(work.resolve("cpio.err").toFile())
                .start();
        try {
            int rc = process.waitFor();
            if (rc != 0) {
                throw new IOException("cpio failed with exit code " + rc + ": "
                        + Files.readString(work.resolve("cpio.err")).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while packing the initramfs");
        }
    }

    private List<Path> libraries(Path binary) throws IOException {
        var out = HostCommand.of("ldd", binary.toString()).run();
        var found = new ArrayList<Path>();
        for (var line : out.lines().toList()) {
            var matcher = LDD_LIBRARY.matcher(line);
            if (matcher.find()) {
                found.add(Path.of(matcher.group(1)));
            } else if (line.contains("not found")) {
                throw new IOException("ldd " + binary + ": " + line.strip());
            }
        }
        return found;
    }

    private static boolean isElf(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            var magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        }
    }

    /** Copies a host file to the same path in the image, following links (libraries are often links). */
    private void copyFile(Path hostFile) throws IOException {
        var target = root.resolve(hostFile.toString().substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(hostFile.toRealPath(), target, StandardCopyOption.REPLACE_EXISTING);
        if (Files.isExecutable(hostFile)) {
            target.toFile().setExecutable(true, false);
        }
    }

    private void copyTree(Path hostDir) throws IOException {
        Files.walkFileTree(hostDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(root.resolve(dir.toString().substring(1)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    copyFile(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void writeExecutable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void step(String what) {
        progress.accept(what);
    }

}
