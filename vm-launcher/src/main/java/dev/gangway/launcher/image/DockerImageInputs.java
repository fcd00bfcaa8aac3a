package dev.gangway.launcher.image;

import dev.gangway.launcher.host.FileTrees;
import dev.gangway.launcher.lab.LabImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the Docker VM image is made from; the image is rebuilt exactly when {@link #hash()} changes.
 *
 * @param kernelVersion the guest kernel release, the lab's ({@code 6.1.0-56-amd64})
 * @param labImage the lab image folder whose kernel is booted (its name is the lab inputs' hash)
 * @param suite the Debian release debootstrap installs
 * @param mirror the Debian mirror it installs from
 * @param packages the packages installed beyond {@code minbase}
 * @param modules the kernel modules copied into the root file system (their dependencies come along)
 * @param scripts the text of the guest scripts
 */
record DockerImageInputs(String kernelVersion, Path labImage, String suite, String mirror,
        List<String> packages, List<String> modules, String scripts) {
    /** Raise when {@link DockerImageBuild} makes a different image from the same inputs. */
    static final int RECIPE = 1;
    static final String SUITE = "bookworm";
    static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";

    /** What dockerd and its containers need beyond minbase; busybox-static gives udhcpc and poweroff. */
    static final List<String> PACKAGES = List.of("docker.io", "containerd", "runc", "iptables", "iproute2", "kmod",
            "procps", "busybox-static", "e2fsprogs", "ca-certificates");

    /**
     * Loaded at boot, in this order: the VM's devices, ext4 and overlay for Docker's storage, the bridge,
     * veth and netfilter (legacy iptables and nftables both) for its networks, 9P for the shares.
     */
    static final List<String> MODULES = List.of(
            "virtio_pci", "virtio_blk", "virtio_net", "virtio_console", "virtio_rng", "ext4", "overlay",
            "bridge", "br_netfilter", "veth", "nf_conntrack", "nf_nat", "nf_conntrack_netlink",
            "ip_tables", "iptable_filter", "iptable_nat", "iptable_mangle", "ip6_tables", "ip6table_filter",
            "ip6table_nat", "ip6table_mangle", "xt_MASQUERADE", "xt_conntrack", "xt_addrtype", "xt_nat",
            "xt_tcpudp", "xt_mark", "xt_comment", "xt_multiport", "nf_tables", "nft_compat", "nft_chain_nat",
            "nf_reject_ipv4", "ipt_REJECT", "9pnet", "9pnet_fd", "9pnet_virtio", "9p");

    /** The modules the initramfs loads to reach the root disk. */
    static final List<String> INITRAMFS_MODULES = List.of("virtio_pci", "virtio_blk", "ext4");

    static final List<String> SCRIPTS = List.of("initramfs-init.sh", "gangway-init.sh", "udhcpc.script");

    String hash() {
        return FileTrees.inputHash(List.of("recipe " + RECIPE, kernelVersion, labImage.getFileName().toString(), suite,
                    mirror, String.join(",", packages), String.join(",", modules), scripts));
    }

    /** A readable record of the inputs, kept beside the image. */
    String describe() {
        return "kernel=" + kernelVersion + "\nlab-image=" + labImage + "\nsuite=" + suite + "\nmirror=" + mirror
                + "\npackages=" + String.join(",", packages) + "\nmodules=" + String.join(",", modules)
                + "\nrecipe=" + RECIPE + "\nhash=" + hash() + "\n";
    }

    /** The inputs for the lab image {@code lab}, the machine's Debian mirror and this jar's scripts. */
    static DockerImageInputs of(LabImage lab) throws IOException {
        var text = new StringBuilder();
        for (var script : SCRIPTS) {
            text.append(resource(script));
        }
        return new DockerImageInputs(lab.kernelVersion(), lab.dir(), SUITE, machineMirror(), PACKAGES, MODULES,
                text.toString());
    }

    /**
     * The first Debian mirror in the machine's apt sources ({@code URIs:} of a deb822 file or a {@code deb}
     * line naming the suite), else deb.debian.org.
     */
    static String machineMirror() throws IOException {
        var sources = Path.of("/etc/apt/sources.list.d/debian.sources");
        if (Files.isRegularFile(sources)) {
            var found = mirrorIn(Files.readAllLines(sources));
            if (found != null) {
                return found;
            }
        }
        var list = Path.of("/etc/apt/sources.list");
        if (Files.isRegularFile(list)) {
            var found = mirrorIn(Files.readAllLines(list));
            if (found != null) {
                return found;
            }
        }
        return DEFAULT_MIRROR;
    }

    /** The Debian archive (not the security archive) named in apt source lines, or null. */
    static String mirrorIn(List<String> lines) {
        for (var raw : lines) {
            var line = raw.strip();
            String uri = null;
            if (line.startsWith("URIs:")) {
                uri = line.substring("URIs:".length()).strip().split("\\s+")[0];
            } else if (line.startsWith("deb ") && line.contains(" " + SUITE + " ")) {
                for (var word : line.substring(4).strip().split("\\s+")) {
                    if (word.startsWith("http://") || word.startsWith("https://")) {
                        uri = word;
                        break;
                    }
                }
            }
            if (uri != null && !uri.isEmpty() && !uri.contains("security")) {
                return uri;
            }
        }
        return null;
    }

    static String resource(String name) {
        try (InputStream in = DockerImageInputs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
