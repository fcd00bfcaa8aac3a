package dev.gangway.launcher.lab;

import dev.gangway.launcher.host.FileTrees;
import dev.gangway.launcher.host.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the lab image is made from; the image is rebuilt exactly when {@link #hash()} changes.
 *
 * @param kernelPackage the Debian kernel package, e.g. {@code linux-image-6.1.0-56-amd64}
 * @param kernelPackageVersion its Debian version, e.g. {@code 6.1.192-2}
 * @param busyboxVersion the installed {@code busybox-static} version
 * @param scripts the text of {@code /init} and {@code /etc/udhcpc.script}
 * @param modules the kernel modules loaded at boot (their dependencies come along)
 * @param binaries the host binaries copied in, with size and modification time of each
 */
record LabImageInputs(
        String kernelPackage,
        String kernelPackageVersion,
        String busyboxVersion,
        String scripts,
        List<String> modules,
        List<String> binaries) {
    /** The modules every lab guest has loaded; the order is the load order. */
    static final List<String> MODULES = List.of(
            "virtio_pci", "virtio_console", "virtio_net", "virtio_blk", "virtio_rng",
            "9pnet", "9pnet_fd", "9pnet_virtio", "9p", "ext4", "vsock", "vmw_vsock_virtio_transport");

    /** Host programs copied into the image with their libraries. */
    static final List<String> HOST_BINARIES = List.of("/usr/bin/inotifywait", "/usr/bin/sqlite3", "/usr/bin/git");

    static final String BUSYBOX = "/bin/busybox";
    /** The build recipe's version: raise it when {@link LabImageBuild} makes a different image from the same inputs. */
    static final int RECIPE = 2;
    static final String KERNEL_META_PACKAGE = "linux-image-amd64";

    /** The kernel release the package installs, e.g. {@code 6.1.0-56-amd64}. */
    String kernelVersion() {
        return kernelPackage.substring("linux-image-".length());
    }

    String hash() {
        return FileTrees.inputHash(List.of("recipe " + RECIPE, kernelPackage, kernelPackageVersion, busyboxVersion, scripts,
                    String.join(",", modules), String.join(",", binaries)));
    }

    /** A readable record of the inputs, kept beside the image. */
    String describe() {
        return "kernel-package=" + kernelPackage + "\nkernel-package-version=" + kernelPackageVersion
                + "\nbusybox-static=" + busyboxVersion + "\nmodules=" + String.join(",", modules)
                + "\nbinaries=" + String.join(",", binaries) + "\nrecipe=" + RECIPE + "\nhash=" + hash() + "\n";
    }

    /** Asks apt and dpkg what the inputs are right now (a few hundred milliseconds, no network). */
    static LabImageInputs resolve() throws IOException {
        requireTool("apt-cache", "apt");
        requireTool("dpkg-query", "dpkg");
        var depends = HostCommand.of("apt-cache", "depends", KERNEL_META_PACKAGE).execute();
        var kernelPackage = depends.stdout().lines()
                .map(String::strip)
                .filter(line -> line.startsWith("Depends: linux-image-"))
                .map(line -> line.substring("Depends: ".length()).strip())
                .findFirst()
                .orElseThrow(() -> new IOException("apt does not know the kernel package " + KERNEL_META_PACKAGE
                        + " (apt-cache depends printed: " + depends.stdout().strip() + depends.stderr().strip()
                        + "); fix: sudo apt-get update"));
        var policy = HostCommand.of("apt-cache", "policy", kernelPackage).run();
        var candidate = policy.lines()
                .map(String::strip)
                .filter(line -> line.startsWith("Candidate:"))
                .map(line -> line.substring("Candidate:".length()).strip())
                .filter(version -> !version.equals("(none)"))
                .findFirst()
                .orElseThrow(() -> new IOException("apt has no candidate version of " + kernelPackage
                        + "; fix: sudo apt-get update"));
        var busybox = HostCommand.of("dpkg-query", "-W", "-f=${Version}", "busybox-static").execute();
        if (!busybox.ok() || !Files.isExecutable(Path.of(BUSYBOX))) {
            throw new IOException("busybox-static is not installed; fix: sudo apt-get install busybox-static");
        }
        var binaries = HOST_BINARIES.stream().map(LabImageInputs::fingerprint).toList();
        return new LabImageInputs(kernelPackage, candidate, busybox.stdout().strip(),
                resource("init.sh") + resource("udhcpc.script"), MODULES, binaries);
    }

    static String resource(String name) {
        try (InputStream in = LabImageInputs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fingerprint(String binary) {
        var path = Path.of(binary);
        try {
            return binary + "@" + Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return binary + "@missing";
        }
    }

    private static void requireTool(String tool, String debianPackage) throws IOException {
        if (HostCommand.which(tool).isEmpty()) {
            throw new IOException("the lab image is built from Debian packages and needs " + tool
                    + " (package " + debianPackage + "), which is not on this machine; fix: build it on Debian or Ubuntu");
        }
    }
}
