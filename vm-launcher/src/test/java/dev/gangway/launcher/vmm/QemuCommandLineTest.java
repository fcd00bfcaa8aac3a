package dev.gangway.launcher.vmm;

import static dev.gangway.launcher.vmm.Specs.MAC;
import static dev.gangway.launcher.vmm.Specs.RUN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private static final HostPlatform LINUX = HostPlatform.of("Linux", "amd64");
    private static final HostPlatform MAC_INTEL = HostPlatform.of("Mac OS X", "x86_64");
    private static final HostPlatform MAC_ARM = HostPlatform.of("Mac OS X", "aarch64");
    private static final Path QEMU_X86 = Path.of("/usr/bin/qemu-system-x86_64");

    @Test
    void linuxTcgIsTheLabGuestsShapeWithStreamNetworkDisksAndShare() {
        var spec = Specs.docker(Accelerator.TCG)
                .network(new VmSpec.StreamSocket(RUN.resolve("net.sock"), MAC))
                .share(Path.of("/home/me/src"), "share0", VmSpec.ShareDevice.VIRTIO_9P, false)
                .build();
        assertThat(QemuCommandLine.argv(QEMU_X86, LINUX, spec)).containsExactly(
                "/usr/bin/qemu-system-x86_64",
                "-name", "gangway-docker",
                "-machine", "pc",
                "-accel", "tcg", "-cpu", "max",
                "-m", "2048",
                "-smp", "2",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-kernel", "/img/vmlinux",
                "-initrd", "/img/initrd.img",
                "-append", "console=ttyS0 panic=-1 quiet root=/dev/vda",
                "-serial", "file:/run/gw/console.log",
                "-device", "virtio-serial-pci,id=gwserial",
                "-chardev", "socket,id=gwcmd,path=/run/gw/cmd.sock",
                "-device", "virtserialport,bus=gwserial.0,chardev=gwcmd,name=gangway.cmd",
                "-netdev", "stream,id=net0,server=off,addr.type=unix,addr.path=/run/gw/net.sock",
                "-device", "virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56,romfile=",
                "-drive", "file=/img/rootfs.img,if=none,id=disk0,format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=disk0",
                "-drive", "file=/img/data.img,if=none,id=disk1,format=raw,discard=unmap",
                "-device", "virtio-blk-pci,drive=disk1",
                "-fsdev", "local,id=fs0,path=/home/me/src,security_model=mapped-xattr",
                "-device", "virtio-9p-pci,fsdev=fs0,mount_tag=share0");
    }

    @Test
    void linuxKvmWithDatagramNetworkQcow2SnapshotReadOnlyShareAndEntropy() {
        var spec = VmSpec.builder("lab")
                .accelerator(Accelerator.KVM)
                .kernel(Path.of("/img/vmlinux"))
                .consoleLog(Path.of("/logs/lab.console.log"))
                .network(VmSpec.DatagramSocket.qemu(RUN.resolve("dgram.sock"), RUN.resolve("vm-dgram.sock"), MAC))
                .disk(Path.of("/img/base.qcow2"), VmSpec.DiskFormat.QCOW2, VmSpec.DiskAccess.SNAPSHOT)
                .share(Path.of("/srv/ro"), "ro", VmSpec.ShareDevice.VIRTIO_9P, true)
                .entropy(true)
                .build();
        assertThat(QemuCommandLine.argv(QEMU_X86, LINUX, spec)).containsExactly(
                "/usr/bin/qemu-system-x86_64",
                "-name", "gangway-lab",
                "-machine", "pc",
                "-accel", "kvm", "-cpu", "host",
                "-m", "512",
                "-smp", "1",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-kernel", "/img/vmlinux",
                "-append", "console=ttyS0",
                "-serial", "file:/logs/lab.console.log",
                "-netdev", "dgram,id=net0,local.type=unix,local.path=/run/gw/vm-dgram.sock"
                        + ",remote.type=unix,remote.path=/run/gw/dgram.sock",
                "-device", "virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56,romfile=",
                "-drive", "file=/img/base.qcow2,if=none,id=disk0,format=qcow2,snapshot=on",
                "-device", "virtio-blk-pci,drive=disk0",
                "-fsdev", "local,id=fs0,path=/srv/ro,security_model=mapped-xattr,readonly=on",
                "-device", "virtio-9p-pci,fsdev=fs0,mount_tag=ro",
                "-device", "virtio-rng-pci");
    }

    @Test
    void macX86HvfIsThePcMachineWithTheHostCpu() {
        var spec = Specs.docker(Accelerator.HVF)
                .network(new VmSpec.StreamSocket(RUN.resolve("net.sock"), MAC))
                .build();
        assertThat(QemuCommandLine.argv(Path.of("/usr/local/bin/qemu-system-x86_64"), MAC_INTEL, spec)).containsExactly(
                "/usr/local/bin/qemu-system-x86_64",
                "-name", "gangway-docker",
                "-machine", "pc",
                "-accel", "hvf", "-cpu", "host",
                "-m", "2048",
                "-smp", "2",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-kernel", "/img/vmlinux",
                "-initrd", "/img/initrd.img",
                "-append", "console=ttyS0 panic=-1 quiet root=/dev/vda",
                "-serial", "file:/run/gw/console.log",
                "-device", "virtio-serial-pci,id=gwserial",
                "-chardev", "socket,id=gwcmd,path=/run/gw/cmd.sock",
                "-device", "virtserialport,bus=gwserial.0,chardev=gwcmd,name=gangway.cmd",
                "-netdev", "stream,id=net0,server=off,addr.type=unix,addr.path=/run/gw/net.sock",
                "-device", "virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56,romfile=",
                "-drive", "file=/img/rootfs.img,if=none,id=disk0,format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=disk0",
                "-drive", "file=/img/data.img,if=none,id=disk1,format=raw,discard=unmap",
                "-device", "virtio-blk-pci,drive=disk1");
    }

    @Test
    void macArmHvfIsTheVirtMachineWithPl011Console() {
        var spec = Specs.docker(Accelerator.HVF)
                .kernel(Path.of("/img/Image"))
                .network(VmSpec.DatagramSocket.qemu(RUN.resolve("dgram.sock"), RUN.resolve("vm.sock"), MAC))
                .share(Path.of("/Users/me/src"), "src", VmSpec.ShareDevice.VIRTIO_9P, false)
                .build();
        var qemu = Path.of("/opt/homebrew/bin/qemu-system-aarch64");
        assertThat(QemuCommandLine.binaryName(MAC_ARM.arch())).isEqualTo("qemu-system-aarch64");
        assertThat(QemuCommandLine.argv(qemu, MAC_ARM, spec)).containsExactly(
                "/opt/homebrew/bin/qemu-system-aarch64",
                "-name", "gangway-docker",
                "-machine", "virt",
                "-accel", "hvf", "-cpu", "host",
                "-m", "2048",
                "-smp", "2",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-kernel", "/img/Image",
                "-initrd", "/img/initrd.img",
                "-append", "console=ttyAMA0 panic=-1 quiet root=/dev/vda",
                "-serial", "file:/run/gw/console.log",
                "-device", "virtio-serial-pci,id=gwserial",
                "-chardev", "socket,id=gwcmd,path=/run/gw/cmd.sock",
                "-device", "virtserialport,bus=gwserial.0,chardev=gwcmd,name=gangway.cmd",
                "-netdev", "dgram,id=net0,local.type=unix,local.path=/run/gw/vm.sock"
                        + ",remote.type=unix,remote.path=/run/gw/dgram.sock",
                "-device", "virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56,romfile=",
                "-drive", "file=/img/rootfs.img,if=none,id=disk0,format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=disk0",
                "-drive", "file=/img/data.img,if=none,id=disk1,format=raw,discard=unmap",
                "-device", "virtio-blk-pci,drive=disk1",
                "-fsdev", "local,id=fs0,path=/Users/me/src,security_model=mapped-xattr",
                "-device", "virtio-9p-pci,fsdev=fs0,mount_tag=src");
    }

    @Test
    void aCommaInAPathIsDoubledInsideOptionValues() {
        var spec = VmSpec.builder("lab").accelerator(Accelerator.TCG).kernel(Path.of("/img/vmlinux"))
                .consoleLog(Path.of("/logs/a,b.log"))
                .disk(Path.of("/img/x,y.img"), VmSpec.DiskFormat.RAW, VmSpec.DiskAccess.READ_WRITE)
                .build();
        var argv = QemuCommandLine.argv(QEMU_X86, LINUX, spec);
        assertThat(argv).contains("file:/logs/a,,b.log", "file=/img/x,,y.img,if=none,id=disk0,format=raw,discard=unmap");
    }

    @Test
    void theAcceleratorMustExistOnTheHost() {
        assertThatThrownBy(() -> QemuCommandLine.argv(QEMU_X86, LINUX, Specs.docker(Accelerator.HVF).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HVF exists only on macOS; fix: use KVM on Linux, or TCG");
        assertThatThrownBy(() -> QemuCommandLine.argv(QEMU_X86, MAC_INTEL, Specs.docker(Accelerator.KVM).build()))
                .hasMessage("KVM exists only on Linux; fix: use HVF on macOS, or TCG");
    }

    @Test
    void virtioFsAndADatagramNetworkWithoutItsOwnSocketAreRejected() {
        var fs = Specs.docker(Accelerator.TCG).share(Path.of("/srv"), "s", VmSpec.ShareDevice.VIRTIO_FS, false).build();
        assertThatThrownBy(() -> QemuCommandLine.argv(QEMU_X86, LINUX, fs))
                .hasMessageContaining("virtiofsd").hasMessageContaining("fix: share it over virtio-9p");
        var dgram = Specs.docker(Accelerator.TCG).network(VmSpec.DatagramSocket.vfkit(RUN.resolve("d.sock"), MAC)).build();
        assertThatThrownBy(() -> QemuCommandLine.argv(QEMU_X86, LINUX, dgram))
                .hasMessageContaining("fix: give the datagram network a vmSocket");
    }

    @Test
    void socketPathsMustFitAUnixAddress() {
        var longDir = Path.of("/tmp/" + "d".repeat(100));
        var spec = Specs.docker(Accelerator.TCG).commandChannel(VmSpec.CommandChannel.at(longDir.resolve("c.sock"))).build();
        assertThatThrownBy(() -> QemuCommandLine.argv(QEMU_X86, LINUX, spec))
                .hasMessageContaining("longer than a unix socket address takes here (107)")
                .hasMessageContaining("fix: put the socket in a shorter folder");
        // 105 bytes fit Linux's 108 but not macOS's 104.
        var path = Path.of("/" + "s".repeat(104));
        var onMac = Specs.docker(Accelerator.HVF).network(new VmSpec.StreamSocket(path, MAC)).build();
        assertThat(QemuCommandLine.argv(QEMU_X86, LINUX, Specs.docker(Accelerator.TCG)
                .network(new VmSpec.StreamSocket(path, MAC)).build())).isNotEmpty();
        assertThatThrownBy(() -> QemuCommandLine.argv(QEMU_X86, MAC_INTEL, onMac))
                .hasMessageContaining("(103)");
    }

    @Test
    void theKernelCommandLineMustFitLinuxsBuffer() {
        var words = List.of("x".repeat(1000), "y".repeat(1000), "z".repeat(40));
        var spec = Specs.docker(Accelerator.TCG).kernelArgs(words).build();
        assertThatThrownBy(() -> QemuCommandLine.argv(QEMU_X86, LINUX, spec))
                .hasMessageContaining("Linux takes at most 2047; fix: pass fewer kernel arguments");
    }
}
