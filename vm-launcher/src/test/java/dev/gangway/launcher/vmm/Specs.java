package dev.gangway.launcher.vmm;

import java.nio.file.Path;

/** The specs the command-line tests share: the Docker VM's shape, with paths that need not exist. */
final class Specs {
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    static final Path RUN = Path.of("/run/gw");

    private Specs() {
    }

    /** Two CPUs, 2 GiB, kernel and initrd, a root image read-only and a writable data disk, a share. */
    static VmSpec.Builder docker(Accelerator accel) {
        return VmSpec.builder("docker")
                .cpus(2)
                .memoryBytes(VmSpec.parseMemory("2G"))
                .accelerator(accel)
                .kernel(Path.of("/img/vmlinux"))
                .initrd(Path.of("/img/initrd.img"))
                .kernelArgs("panic=-1", "quiet", "root=/dev/vda")
                .disk(Path.of("/img/rootfs.img"), VmSpec.DiskFormat.RAW, VmSpec.DiskAccess.READ_ONLY)
                .disk(Path.of("/img/data.img"), VmSpec.DiskFormat.RAW, VmSpec.DiskAccess.READ_WRITE)
                .consoleLog(RUN.resolve("console.log"))
                .commandChannel(VmSpec.CommandChannel.at(RUN.resolve("cmd.sock")));
    }
}
