package dev.gangway.launcher.doctor;

import dev.gangway.launcher.host.HostCommand;
import dev.gangway.launcher.host.Sysctl;
import dev.gangway.launcher.lab.KvmVerdict;
import dev.gangway.launcher.lab.LabImage;
import dev.gangway.launcher.lab.LabRequirements;
import dev.gangway.launcher.qemu.QemuBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The checks of {@code gangway doctor}, in the order they print. Each check catches its own failures. */
public final class Doctor {
    static final int JDK_FEATURE = 25;
    private final boolean recheckKvm;

    /** @param recheckKvm probe KVM again even when a verdict is cached */
    public Doctor(boolean recheckKvm) {
        this.recheckKvm = recheckKvm;
    }

    public List<Check> run() {
        var checks = new ArrayList<Check>();
        checks.add(jdk());
        var qemu = findQemu();
        checks.add(qemu.check);
        var image = labImage();
        checks.add(labTools());
        checks.add(image.check);
        checks.add(kvm(qemu.binary, image.image));
        checks.add(tun());
        checks.add(netns());
        checks.add(ping());
        return checks;
    }

    /** True when nothing needed is missing (warnings and infos do not count). */
    public static boolean allNeededPresent(List<Check> checks) {
        return checks.stream().noneMatch(c -> c.status() == Check.Status.MISSING);
    }

    static Check jdk() {
        var version = Runtime.version();
        var detail = "java " + version + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home");
        return version.feature() >= JDK_FEATURE
                ? Check.ok("jdk", detail)
                : Check.missing("jdk", detail + " is older than " + JDK_FEATURE,
                        "install a JDK " + JDK_FEATURE + " (e.g. Temurin 25) and set JAVA_HOME to it");
    }

    private record QemuFound(Check check, Optional<QemuBinary> binary) {
    }

    private static QemuFound findQemu() {
        try {
            var qemu = QemuBinary.find();
            if (qemu.isEmpty()) {
                return new QemuFound(Check.missing("qemu", QemuBinary.NAME + " is not installed",
                        "sudo apt-get install " + QemuBinary.PACKAGE), Optional.empty());
            }
            return new QemuFound(Check.ok("qemu", "QEMU " + qemu.get().version() + " at " + qemu.get().path()), qemu);
        } catch (IOException e) {
            return new QemuFound(Check.missing("qemu", QemuBinary.NAME + " does not run: " + e.getMessage(),
                    "sudo apt-get install --reinstall " + QemuBinary.PACKAGE), Optional.empty());
        }
    }

    static Check labTools() {
        var missing = LabRequirements.missingPackages();
        return missing.isEmpty()
                ? Check.ok("lab tools", "busybox-static, apt, dpkg, kmod, cpio, inotify-tools, sqlite3, git, util-linux")
                : Check.missing("lab tools", "the lab guest needs " + String.join(", ", missing),
                        LabRequirements.installCommand(missing));
    }

    private record ImageFound(Check check, Optional<LabImage> image) {
    }

    private static ImageFound labImage() {
        try {
            var image = LabImage.existing();
            if (image.isPresent()) {
                return new ImageFound(Check.ok("lab image", "built, kernel " + image.get().kernelVersion() + " in "
                        + image.get().dir()), image);
            }
            return new ImageFound(Check.info("lab image", "not built yet (vm run --lab builds it on demand, about a minute)",
                    "./gangway image build --lab"), Optional.empty());
        } catch (IOException e) {
            var problemAndFix = problemAndFix(e.getMessage(), "sudo apt-get update");
            return new ImageFound(Check.missing("lab image", "cannot be built here: " + problemAndFix[0],
                    problemAndFix[1]), Optional.empty());
        }
    }

    private Check kvm(Optional<QemuBinary> qemu, Optional<LabImage> image) {
        if (!Files.exists(Path.of("/dev/kvm"))) {
            return Check.warning("kvm", "not usable (falls back to TCG): there is no /dev/kvm",
                    "enable virtualization in the firmware and run: sudo modprobe kvm_intel (or kvm_amd)");
        }
        if (!KvmVerdict.devKvmAccessible()) {
            return Check.warning("kvm", "not usable (falls back to TCG): /dev/kvm is not readable and writable by you",
                    "sudo usermod -aG kvm $USER, then log in again");
        }
        if (qemu.isEmpty()) {
            return Check.warning("kvm", "not tested: QEMU is missing", "sudo apt-get install " + QemuBinary.PACKAGE);
        }
        if (image.isEmpty()) {
            return Check.info("kvm", "/dev/kvm is there but not tested yet: the test boots the lab guest",
                    "./gangway image build --lab, then ./gangway doctor again");
        }
        try {
            var verdict = recheckKvm ? KvmVerdict.probe(qemu.get(), image.get()) : KvmVerdict.of(qemu.get(), image.get());
            return verdict.usable()
                    ? Check.ok("kvm", "usable: " + verdict.evidence())
                    : Check.warning("kvm", "not usable (falls back to TCG): a test boot with -accel kvm failed: "
                            + verdict.evidence(), "none needed; VMs run under TCG emulation (slower)");
        } catch (IOException e) {
            return Check.warning("kvm", "not usable (falls back to TCG): the test boot could not run: " + e.getMessage(),
                    "./gangway doctor --recheck-kvm");
        }
    }

    /** Splits "problem; fix: command" messages; {@code defaultFix} when the message names no fix. */
    static String[] problemAndFix(String message, String defaultFix) {
        var text = message == null ? "" : message;
        int at = text.indexOf("; fix: ");
        return at < 0
                ? new String[] {text, defaultFix}
                : new String[] {text.substring(0, at), text.substring(at + "; fix: ".length())};
    }

    static Check tun() {
        var tun = Path.of("/dev/net/tun");
        if (!Files.exists(tun)) {
            return Check.missing("tun", "/dev/net/tun does not exist", "sudo modprobe tun");
        }
        try (var channel = Files.newByteChannel(tun, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return Check.ok("tun", "/dev/net/tun opens read-write");
        } catch (IOException e) {
            return Check.missing("tun", "/dev/net/tun does not open read-write: " + e.getMessage(),
                    "sudo chmod 0666 /dev/net/tun");
        }
    }

    static Check netns() {
        if (HostCommand.which("ip").isEmpty()) {
            return Check.missing("netns", "ip (iproute2) is not installed", "sudo apt-get install iproute2");
        }
        var limit = Duration.ofSeconds(20);
        try {
            if (LabRequirements.runningAsRoot()) {
                var name = "gangway-doctor-" + ProcessHandle.current().pid();
                var added = HostCommand.of("ip", "netns", "add", name).timeout(limit).execute();
                if (!added.ok()) {
                    return Check.missing("netns", "ip netns add failed: " + added.stderr().strip(),
                            "sudo modprobe netns or run on a kernel with CONFIG_NET_NS");
                }
                try {
                    var lo = HostCommand.of("ip", "-n", name, "link", "set", "lo", "up").timeout(limit).execute();
                    if (!lo.ok()) {
                        return Check.missing("netns", "ip -n NS link set lo up failed: " + lo.stderr().strip(),
                                "check that this container may use network namespaces (CAP_NET_ADMIN, CAP_SYS_ADMIN)");
                    }
                } finally {
                    HostCommand.of("ip", "netns", "delete", name).timeout(limit).execute();
                }
                return Check.ok("netns", "ip netns add/exec/delete work (as root)");
            }
            if (HostCommand.which("unshare").isEmpty()) {
                return Check.missing("netns", "unshare (util-linux) is not installed", "sudo apt-get install util-linux");
            }
            var rootless = HostCommand.of("unshare", "--user", "--map-root-user", "--net", "ip", "link", "set", "lo", "up")
                    .timeout(limit).execute();
            return rootless.ok()
                    ? Check.ok("netns", "rootless network namespaces work (unshare --user --net)")
                    : Check.missing("netns", "rootless network namespaces fail: " + rootless.stderr().strip(),
                            "sudo sysctl -w kernel.unprivileged_userns_clone=1 user.max_user_namespaces=15000");
        } catch (IOException e) {
            return Check.missing("netns", e.getMessage(), "sudo apt-get install iproute2 util-linux");
        }
    }

    static Check ping() {
        var file = Sysctl.file(PingGroupRange.SYSCTL);
        try {
            var range = PingGroupRange.parse(Sysctl.read(PingGroupRange.SYSCTL));
            if (range.isEmpty()) {
                return Check.warning("ping", "cannot parse " + file, PingGroupRange.FIX);
            }
            var groups = groups();
            if (range.get().includesAny(groups)) {
                return Check.ok("ping", PingGroupRange.SYSCTL + " = " + range.get() + " includes your groups");
            }
            return Check.warning("ping", PingGroupRange.SYSCTL + " = " + range.get() + " excludes your groups "
                    + groups + ": ICMP echo from the guest is not forwarded", PingGroupRange.FIX);
        } catch (IOException e) {
            return Check.warning("ping", "cannot read " + file + ": " + e.getMessage(), PingGroupRange.FIX);
        }
    }

    /** This process's real, effective and supplementary group ids, from {@code /proc/self/status}. */
    static TreeSet<Long> groups() throws IOException {
        var groups = new TreeSet<Long>();
        for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Gid:") || line.startsWith("Groups:")) {
                for (var field : line.substring(line.indexOf(':') + 1).strip().split("\\s+")) {
                    if (!field.isEmpty()) {
                        groups.add(Long.parseLong(field));
                    }
                }
            }
        }
        return groups;
    }
}
