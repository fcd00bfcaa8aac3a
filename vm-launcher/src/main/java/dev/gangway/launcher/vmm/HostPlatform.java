package dev.gangway.launcher.vmm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The host's operating system and CPU architecture, and the hypervisor Gangway uses on it:
 * <ul>
 * <li>Linux: QEMU with KVM when a KVM guest has really booted here (a {@code /dev/kvm} that exists can
 *     still abort or crawl), else QEMU with TCG.</li>
 * <li>macOS: vfkit (Apple's Virtualization.framework) when it is on {@code PATH}, else QEMU with HVF.</li>
 * </ul>
 * The guest has the host's architecture: there is no cross-architecture emulation.
 */
public record HostPlatform(Os os, Arch arch) {
    public enum Os { LINUX, MACOS }

    public enum Arch {
        X86_64("qemu-system-x86_64", "qemu-system-x86"),
        AARCH64("qemu-system-aarch64", "qemu-system-arm");

        private final String qemuBinary;
        private final String debianPackage;

        Arch(String qemuBinary, String debianPackage) {
            this.qemuBinary = qemuBinary;
            this.debianPackage = debianPackage;
        }

        /** The QEMU system emulator for guests of this architecture. */
        public String qemuBinary() {
            return qemuBinary;
        }

        /** The Debian package holding {@link #qemuBinary()}, for fix messages. */
        public String debianPackage() {
            return debianPackage;
        }
    }

    /** The program that runs the VM. */
    public enum Vmm { QEMU, VFKIT }

    /** The name of vfkit's executable. */
    public static final String VFKIT = "vfkit";

    /** This JVM's host, from {@code os.name} and {@code os.arch}. */
    public static HostPlatform detect() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** The platform for Java's {@code os.name} and {@code os.arch} values. */
    public static HostPlatform of(String osName, String osArch) {
        var name = osName.toLowerCase(Locale.ROOT);
        Os os;
        if (name.startsWith("linux")) {
            os = Os.LINUX;
        } else if (name.startsWith("mac") || name.startsWith("darwin")) {
            os = Os.MACOS;
        } else {
            throw new IllegalArgumentException("the operating system '" + osName + "' is not supported"
                    + "; fix: run Gangway on Linux or macOS");
        }
        var arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> Arch.X86_64;
            case "aarch64", "arm64" -> Arch.AARCH64;
            default -> throw new IllegalArgumentException("the CPU architecture '" + osArch + "' is not supported"
                    + "; fix: run Gangway on x86_64 or arm64");
        };
        return new HostPlatform(os, arch);
    }

    /** What {@link #choose} asks of the host; {@link #host()} asks the real one. */
    public interface Probe {
        /** The executable {@code program} on {@code PATH}, if any. */
        Optional<Path> which(String program);

        /** True when a guest has really booted with KVM on this host (may boot one to find out). */
        boolean kvmBoots() throws IOException;

        /** This machine: {@code PATH}, and the cached or freshly probed {@code KvmVerdict}. */
        static Probe host() {
            return new HostProbe();
        }
    }

    /** The hypervisor, its executable and the accelerator a {@link VmSpec} for it must name. */
    public record Choice(Vmm vmm, Path binary, Accelerator accelerator) {
        /** The argument vector that starts {@code spec} with this choice on {@code host}. */
        public List<String> argv(HostPlatform host, VmSpec spec) {
            if (spec.accelerator() != accelerator) {
                throw new IllegalArgumentException("the VM spec asks for " + spec.accelerator() + " but " + vmm
                        + " runs here with " + accelerator + "; fix: build the spec with accelerator " + accelerator);
            }
            return switch (vmm) {
                case QEMU -> QemuCommandLine.argv(binary, host, spec);
                case VFKIT -> VfkitCommandLine.argv(binary, spec);
            };
        }
    }

    /** Picks the hypervisor for this platform; a missing one is an {@link IOException} that says how to install it. */
    public Choice choose(Probe probe) throws IOException {
        return switch (os) {
            case LINUX -> {
                var qemu = probe.which(arch.qemuBinary()).orElseThrow(() -> new IOException(arch.qemuBinary()
                        + " is not installed; fix: sudo apt-get install " + arch.debianPackage()));
                yield new Choice(Vmm.QEMU, qemu, probe.kvmBoots() ? Accelerator.KVM : Accelerator.TCG);
            }
            case MACOS -> {
                var vfkit = probe.which(VFKIT);
                if (vfkit.isPresent()) {
                    yield new Choice(Vmm.VFKIT, vfkit.get(), Accelerator.HVF);
                }
                var qemu = probe.which(arch.qemuBinary()).orElseThrow(() -> new IOException("neither " + VFKIT
                        + " nor " + arch.qemuBinary() + " is installed; fix: brew install vfkit (or brew install qemu)"));
                yield new Choice(Vmm.QEMU, qemu, Accelerator.HVF);
            }
        };
    }
}
