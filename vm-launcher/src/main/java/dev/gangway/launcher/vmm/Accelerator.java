package dev.gangway.launcher.vmm;

import dev.gangway.launcher.lab.Accel;

/** How the guest's CPU runs. */
public enum Accelerator {
    /** Linux's hardware virtualization; only when a guest has really booted with it (see {@code KvmVerdict}). */
    KVM,
    /** macOS's Hypervisor.framework: QEMU {@code -accel hvf}, and what vfkit (Virtualization.framework) always uses. */
    HVF,
    /** QEMU's emulator: slow, but it runs everywhere. */
    TCG;

    /** The lab's accelerator (which knows no HVF: the lab runs on Linux only). */
    public static Accelerator of(Accel accel) {
        return switch (accel) {
            case KVM -> KVM;
            case TCG -> TCG;
        };
    }
}
