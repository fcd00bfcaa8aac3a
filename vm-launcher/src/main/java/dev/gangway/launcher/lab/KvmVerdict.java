package dev.gangway.launcher.lab;

import dev.gangway.launcher.host.CacheDir;
import dev.gangway.launcher.host.Sysctl;
import dev.gangway.launcher.qemu.QemuBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a lab guest really boots with KVM on this machine. {@code /dev/kvm} existing proves little: a
 * nested or paravirtual KVM can abort on an MSR or hang. The only proof is a guest that boots and answers
 * a command, so {@link #probe} does exactly that, with a short timeout, and caches the verdict under
 * {@code $XDG_CACHE_HOME/gangway/kvm/}, keyed by the host kernel release, the QEMU version and the lab
 * image (its inputs hash).
 *
 * @param usable true when the probe guest answered a command
 * @param evidence what was seen: the boot time, or why it failed
 */
public record KvmVerdict(boolean usable, String evidence) {
    private static final Logger LOG = LoggerFactory.getLogger(KvmVerdict.class);
    /** A KVM guest answers in one or two seconds; a hang is declared well after that. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(25);
    static final Path DEV_KVM = Path.of("/dev/kvm");

    /** True when {@code /dev/kvm} exists and this user may open it. */
    public static boolean devKvmAccessible() {
        return Files.isReadable(DEV_KVM) && Files.isWritable(DEV_KVM);
    }

    /** The cached verdict for this host, QEMU and image, if a probe ran before. */
    public static Optional<KvmVerdict> cached(QemuBinary qemu, LabImage image) throws IOException {
        var file = cacheFile(qemu, image);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        var evidence = String.join(" ", lines.subList(1, lines.size())).strip();
        return Optional.of(new KvmVerdict(lines.getFirst().strip().equals("usable"), evidence));
    }

    /** The cached verdict, or a fresh probe (up to {@link #PROBE_TIMEOUT}) whose verdict is then cached. */
    public static KvmVerdict of(QemuBinary qemu, LabImage image) throws IOException {
        var cached = cached(qemu, image);
        if (cached.isPresent()) {
            return cached.get();
        }
        return probe(qemu, image);
    }

    /** Boots the lab guest with KVM once and caches what happened. */
    public static KvmVerdict probe(QemuBinary qemu, LabImage image) throws IOException {
        if (!devKvmAccessible()) {
            return new KvmVerdict(false, Files.exists(DEV_KVM)
                    ? "/dev/kvm is not readable and writable by this user" : "there is no /dev/kvm");
        }
        LOG.info("probing KVM: booting the lab guest with -accel kvm (at most {} s)", PROBE_TIMEOUT.toSeconds());
        KvmVerdict verdict;
        try (var vm = GuestVm.builder(image).name("kvm-probe").accel(Accel.KVM).bootTimeout(PROBE_TIMEOUT).start()) {
            var result = vm.exec("echo ok", Duration.ofSeconds(10));
            verdict = result.exitCode() == 0
                    ? new KvmVerdict(true, "a KVM guest answered " + vm.bootTime().toMillis() + " ms after launch")
                    : new KvmVerdict(false, "a KVM guest booted but a command failed: " + result.output().strip());
        } catch (GuestException e) {
            verdict = new KvmVerdict(false, summarize(e));
        }
        var file = cacheFile(qemu, image);
        Files.createDirectories(file.getParent());
        var temp = Files.createTempFile(file.getParent(), "verdict-", ".tmp");
        Files.writeString(temp, (verdict.usable ? "usable" : "not-usable") + "\n" + verdict.evidence + "\n");
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return verdict;
    }

    static Path cacheFile(QemuBinary qemu, LabImage image) throws IOException {
        var hostKernel = Sysctl.read("kernel.osrelease");
        // The image folder's name is the hash of everything the guest is made of, kernel format included.
        var key = String.join("|", List.of(hostKernel, qemu.version(), image.dir().getFileName().toString()));
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return CacheDir.root().resolve("kvm").resolve(HexFormat.of().formatHex(digest, 0, 8) + ".verdict");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The failure's first line plus the last QEMU or console lines: enough to see why in one glance. */
    private static String summarize(GuestException e) {
        var first = e.getMessage().lines().findFirst().orElse("").strip();
        var tail = e.consoleTail();
        var last = tail.isEmpty() ? "" : "; console: " + String.join(" / ", tail.subList(Math.max(0, tail.size() - 2), tail.size()));
        return first + last;
    }
}
