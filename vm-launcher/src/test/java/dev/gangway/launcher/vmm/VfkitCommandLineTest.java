package dev.gangway.launcher.vmm;

import static dev.gangway.launcher.vmm.Specs.MAC;
import static dev.gangway.launcher.vmm.Specs.RUN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VfkitCommandLineTest {
    private static final Path VFKIT = Path.of("/opt/homebrew/bin/vfkit");

    @Test
    void theDockerVmUnderVfkit() {
        var spec = Specs.docker(Accelerator.HVF)
                .kernel(Path.of("/img/Image"))
                .kernelArgs("rootflags=noatime,discard")
                .network(VmSpec.DatagramSocket.vfkit(RUN.resolve("vfkit.sock"), MAC))
                .share(Path.of("/Users/me/src"), "src", VmSpec.ShareDevice.VIRTIO_FS, false)
                .entropy(true)
                .build();
        assertThat(VfkitCommandLine.argv(VFKIT, spec)).containsExactly(
                "/opt/homebrew/bin/vfkit",
                "--cpus", "2",
                "--memory", "2048",
                "--bootloader", "linux,kernel=/img/Image,initrd=/img/initrd.img,"
                        + "cmdline=\"console=hvc0 panic=-1 quiet root=/dev/vda rootflags=noatime,discard\"",
                "--device", "virtio-serial,logFilePath=/run/gw/console.log",
                "--device", "virtio-vsock,port=1024,socketURL=/run/gw/cmd.sock,listen",
                "--device", "virtio-net,unixSocketPath=/run/gw/vfkit.sock,mac=52:54:00:12:34:56",
                "--device", "virtio-blk,path=/img/rootfs.img,readonly",
                "--device", "virtio-blk,path=/img/data.img",
                "--device", "virtio-fs,sharedDir=/Users/me/src,mountTag=src",
                "--device", "virtio-rng",
                "--restful-uri", "none");
    }

    @Test
    void aBareVmHasOnlyItsConsole() {
        var spec = VmSpec.builder("bare").accelerator(Accelerator.HVF).kernel(Path.of("/img/Image"))
                .consoleLog(Path.of("/logs/c.log")).build();
        assertThat(VfkitCommandLine.argv(VFKIT, spec)).containsExactly(
                "/opt/homebrew/bin/vfkit",
                "--cpus", "1",
                "--memory", "512",
                "--bootloader", "linux,kernel=/img/Image,cmdline=\"console=hvc0\"",
                "--device", "virtio-serial,logFilePath=/logs/c.log",
                "--restful-uri", "none");
    }

    @Test
    void onlyHvf() {
        assertThatThrownBy(() -> VfkitCommandLine.argv(VFKIT, Specs.docker(Accelerator.TCG).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vfkit runs guests only with Virtualization.framework (HVF), not TCG"
                        + "; fix: build the spec with accelerator HVF");
    }

    @Test
    void qcow2AndSnapshotsAreRejectedWithTheirFix() {
        var spec = Specs.docker(Accelerator.HVF).disk(Path.of("/img/d.qcow2"), VmSpec.DiskFormat.QCOW2, VmSpec.DiskAccess.READ_WRITE).build();
        assertThatThrownBy(() -> VfkitCommandLine.argv(VFKIT, spec))
                .hasMessage("disk /img/d.qcow2 is qcow2, and Virtualization.framework reads raw images only"
                        + "; fix: qemu-img convert -O raw /img/d.qcow2 IMAGE.raw");
        var snapshot = Specs.docker(Accelerator.HVF)
                .disk(Path.of("/img/base.img"), VmSpec.DiskFormat.RAW, VmSpec.DiskAccess.SNAPSHOT).build();
        assertThatThrownBy(() -> VfkitCommandLine.argv(VFKIT, snapshot))
                .hasMessageContaining("fix: attach a copy-on-write clone of it (cp -c IMAGE CLONE) read-write");
    }

    @Test
    void ninePIsRejectedWithTheNetworkMount() {
        var spec = Specs.docker(Accelerator.HVF).share(Path.of("/src"), "s", VmSpec.ShareDevice.VIRTIO_9P, false).build();
        assertThatThrownBy(() -> VfkitCommandLine.argv(VFKIT, spec))
                .hasMessageContaining("virtio-9p, which vfkit does not have")
                .hasMessageContaining("trans=tcp");
        var readOnly = Specs.docker(Accelerator.HVF).share(Path.of("/src"), "s", VmSpec.ShareDevice.VIRTIO_FS, true).build();
        assertThatThrownBy(() -> VfkitCommandLine.argv(VFKIT, readOnly)).hasMessageContaining("no read-only option");
    }

    @Test
    void onlyDatagramNetworksThatVfkitBindsItself() {
        var stream = Specs.docker(Accelerator.HVF).network(new VmSpec.StreamSocket(RUN.resolve("s.sock"), MAC)).build();
        assertThatThrownBy(() -> VfkitCommandLine.argv(VFKIT, stream))
                .hasMessageContaining("only as unix datagrams").hasMessageContaining("fix: give a datagram network");
        var qemuStyle = Specs.docker(Accelerator.HVF)
                .network(VmSpec.DatagramSocket.qemu(RUN.resolve("d.sock"), RUN.resolve("vm.sock"), MAC)).build();
        assertThatThrownBy(() -> VfkitCommandLine.argv(VFKIT, qemuStyle))
                .hasMessageContaining("fix: leave the datagram network's vmSocket empty");
    }

    @Test
    void commasQuotesAndLongSocketFoldersAreRejected() {
        var comma = Specs.docker(Accelerator.HVF).disk(Path.of("/img/a,b.img"), VmSpec.DiskFormat.RAW, VmSpec.DiskAccess.READ_WRITE).build();
        assertThatThrownBy(() -> VfkitCommandLine.argv(VFKIT, comma))
                .hasMessage("the disk image path /img/a,b.img holds a comma or a quote, which vfkit cannot take in its"
                        + " options; fix: move it to a path without them");
        // vfkit's own socket (25 more bytes) must fit beside the stack's in 103 bytes.
        var folder = Path.of("/" + "f".repeat(80));
        var deep = Specs.docker(Accelerator.HVF).network(VmSpec.DatagramSocket.vfkit(folder.resolve("n"), MAC)).build();
        assertThatThrownBy(() -> VfkitCommandLine.argv(VFKIT, deep))
                .hasMessageContaining("with vfkit's own socket beside it").hasMessageContaining("is 106 bytes");
    }
}
