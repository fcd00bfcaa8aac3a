package dev.gangway.launcher.up;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.image.DockerImage;
import dev.gangway.launcher.qemu.QemuBinary;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonTest {
    @Test
    void quoteSurvivesQuotesAndSpacesInSharePaths() {
        assertThat(Daemon.quote("/home/me/my code")).isEqualTo("'/home/me/my code'");
        assertThat(Daemon.quote("/tmp/it's")).isEqualTo("'/tmp/it'\\''s'");
    }

    @Test
    void qemuCommandLineBootsTheImageWithASnapshotRootAndTheStackLink() throws Exception {
        var home = new GangwayHome(Path.of("/h"));
        var config = new UpConfig(2, 1536, List.of("/src"), List.of(), 64, "/usr/bin/qemu-system-x86_64", "/i", List.of());
        var imageDir = java.nio.file.Files.createTempDirectory("gangway-image-");
        try {
            java.nio.file.Files.writeString(imageDir.resolve("kernel-version"), "6.1.0-56-amd64\n");
            var image = DockerImage.at(imageDir);
            var argv = DockerVm.commandLine(new QemuBinary(Path.of("/usr/bin/qemu-system-x86_64"), "7.2"),
                    dev.gangway.launcher.vmm.Accelerator.TCG, image, home, config);
            assertThat(argv).containsSubsequence("-accel", "tcg", "-m", "1536", "-smp", "2");
            assertThat(argv).contains("file=" + imageDir.resolve("rootfs.img") + ",if=none,id=disk0,format=raw,snapshot=on",
                    "file=/h/data.img,if=none,id=disk1,format=raw,discard=unmap",
                    "stream,id=net0,server=off,addr.type=unix,addr.path=/h/run/net.sock",
                    "socket,id=gwcmd,path=/h/run/cmd.sock", "virtio-rng-pci");
            assertThat(String.join(" ", argv)).contains("apparmor=0");
        } finally {
            for (var file : List.of("kernel-version")) {
                java.nio.file.Files.deleteIfExists(imageDir.resolve(file));
            }
            java.nio.file.Files.delete(imageDir);
        }
    }
}
