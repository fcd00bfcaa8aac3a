package dev.gangway.launcher.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gangway.launcher.vmm.HostPlatform.Arch;
import dev.gangway.launcher.vmm.HostPlatform.Os;
import dev.gangway.launcher.vmm.HostPlatform.Vmm;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostPlatformTest {
    /** A host with these programs on PATH and this KVM verdict. */
    private record FakeHost(Map<String, Path> programs, boolean kvm) implements HostPlatform.Probe {
        @Override
        public Optional<Path> which(String program) {
            return Optional.ofNullable(programs.get(program));
        }

        @Override
        public boolean kvmBoots() {
            return kvm;
        }
    }

    private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
    private static final Path QEMU_ARM = Path.of("/opt/homebrew/bin/qemu-system-aarch64");
    private static final Path VFKIT = Path.of("/opt/homebrew/bin/vfkit");

    @Test
    void javasNamesForTheHost() {
        assertThat(HostPlatform.of("Linux", "amd64")).isEqualTo(new HostPlatform(Os.LINUX, Arch.X86_64));
        assertThat(HostPlatform.of("Mac OS X", "aarch64")).isEqualTo(new HostPlatform(Os.MACOS, Arch.AARCH64));
        assertThat(HostPlatform.of("Mac OS X", "x86_64")).isEqualTo(new HostPlatform(Os.MACOS, Arch.X86_64));
        assertThatThrownBy(() -> HostPlatform.of("Windows 11", "amd64")).hasMessageContaining("fix: run Gangway on Linux or macOS");
        assertThatThrownBy(() -> HostPlatform.of("Linux", "riscv64")).hasMessageContaining("fix: run Gangway on x86_64 or arm64");
    }

    @Test
    void thisJvmIsLinuxX86() {
        assertThat(HostPlatform.detect()).isEqualTo(new HostPlatform(Os.LINUX, Arch.X86_64));
    }

    @Test
    void linuxUsesKvmOnlyWhenAGuestReallyBootedWithIt() throws Exception {
        var linux = HostPlatform.of("Linux", "amd64");
        assertThat(linux.choose(new FakeHost(Map.of("qemu-system-x86_64", QEMU), true)))
                .isEqualTo(new HostPlatform.Choice(Vmm.QEMU, QEMU, Accelerator.KVM));
        assertThat(linux.choose(new FakeHost(Map.of("qemu-system-x86_64", QEMU, "vfkit", VFKIT), false)))
                .isEqualTo(new HostPlatform.Choice(Vmm.QEMU, QEMU, Accelerator.TCG));
        assertThatThrownBy(() -> linux.choose(new FakeHost(Map.of(), true)))
                .hasMessage("qemu-system-x86_64 is not installed; fix: sudo apt-get install qemu-system-x86");
    }

    @Test
    void macosPrefersVfkitThenQemuWithHvf() throws Exception {
        var mac = HostPlatform.of("Mac OS X", "aarch64");
        assertThat(mac.choose(new FakeHost(Map.of("vfkit", VFKIT, "qemu-system-aarch64", QEMU_ARM), false)))
                .isEqualTo(new HostPlatform.Choice(Vmm.VFKIT, VFKIT, Accelerator.HVF));
        assertThat(mac.choose(new FakeHost(Map.of("qemu-system-aarch64", QEMU_ARM), false)))
                .isEqualTo(new HostPlatform.Choice(Vmm.QEMU, QEMU_ARM, Accelerator.HVF));
        assertThatThrownBy(() -> mac.choose(new FakeHost(Map.of(), false)))
                .hasMessage("neither vfkit nor qemu-system-aarch64 is installed; fix: brew install vfkit (or brew install qemu)");
    }

    @Test
    void theChoiceBuildsItsCommandLineAndChecksTheSpecsAccelerator() {
        var mac = HostPlatform.of("Mac OS X", "aarch64");
        var vfkit = new HostPlatform.Choice(Vmm.VFKIT, VFKIT, Accelerator.HVF);
        var spec = Specs.docker(Accelerator.HVF).build();
        assertThat(vfkit.argv(mac, spec)).isEqualTo(VfkitCommandLine.argv(VFKIT, spec));
        var qemu = new HostPlatform.Choice(Vmm.QEMU, QEMU_ARM, Accelerator.HVF);
        assertThat(qemu.argv(mac, spec)).isEqualTo(QemuCommandLine.argv(QEMU_ARM, mac, spec));
        assertThatThrownBy(() -> vfkit.argv(mac, Specs.docker(Accelerator.TCG).build()))
                .hasMessage("the VM spec asks for TCG but VFKIT runs here with HVF; fix: build the spec with accelerator HVF");
    }
}
