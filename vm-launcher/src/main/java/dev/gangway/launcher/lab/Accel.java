package dev.gangway.launcher.lab;

import java.util.List;

/** How QEMU runs the guest's CPU. */
public enum Accel {
    /** Hardware virtualization; only when a guest has really booted with it here (see {@link KvmVerdict}). */
    KVM(List.of("-accel", "kvm", "-cpu", "host")),
    /** QEMU's emulator: slow (about 10 s to boot the lab guest) but works everywhere. */
    TCG(List.of("-accel", "tcg", "-cpu", "max"));

    private final List<String> qemuArgs;

    Accel(List<String> qemuArgs) {
        this.qemuArgs = qemuArgs;
    }

    List<String> qemuArgs() {
        return qemuArgs;
    }
}
