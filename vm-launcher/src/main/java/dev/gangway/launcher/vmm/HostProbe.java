package dev.gangway.launcher.vmm;

import dev.gangway.launcher.host.HostCommand;
import dev.gangway.launcher.lab.KvmVerdict;
import dev.gangway.launcher.lab.LabImage;
import dev.gangway.launcher.qemu.QemuBinary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link HostPlatform.Probe} on this machine. Whether KVM boots is the lab's {@link KvmVerdict}: a lab guest
 * booted once with {@code -accel kvm} (building the lab image first when there is none), its verdict cached
 * per host kernel, QEMU version and image. {@code gangway.accel} / {@code GANGWAY_ACCEL} ({@code kvm} or
 * {@code tcg}) override it, as they do for lab guests.
 */
final class HostProbe implements HostPlatform.Probe {
    @Override
    public Optional<Path> which(String program) {
        return HostCommand.which(program);
    }

    @Override
    public boolean kvmBoots() throws IOException {
        var forced = System.getProperty("gangway.accel", System.getenv().getOrDefault("GANGWAY_ACCEL", ""))
                .strip().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "" -> { }
            case "kvm" -> {
                return true;
            }
            case "tcg" -> {
                return false;
            }
            default -> throw new IOException("gangway.accel / GANGWAY_ACCEL is '" + forced + "'; fix: set it to kvm or tcg");
        }
        if (!KvmVerdict.devKvmAccessible()) {
            return false;
        }
        return KvmVerdict.of(QemuBinary.require(), LabImage.ensure()).usable();
    }
}
