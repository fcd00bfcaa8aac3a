package dev.gangway.launcher.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DockerImageTest {
    private Path dir;

    @BeforeEach
    void folder() throws IOException {
        dir = Files.createTempDirectory("gangway-image-");
        Files.writeString(dir.resolve("kernel-version"), "6.1.0-56-amd64\n");
        Files.write(dir.resolve("vmlinux"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        Files.write(dir.resolve("initrd.img"), new byte[4096]);
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aRealExt4DiskPassesTheCheck() throws Exception {
        var mke2fs = Path.of("/usr/sbin/mke2fs");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(mke2fs), "mke2fs (e2fsprogs) is not installed");
        var process = new ProcessBuilder(mke2fs.toString(), "-q", "-F", "-t", "ext4", dir.resolve("rootfs.img").toString(),
                "8M").redirectErrorStream(true).start();
        assertThat(process.waitFor()).isZero();
        assertThat(DockerImage.at(dir).verified().kernelVersion()).isEqualTo("6.1.0-56-amd64");
    }

    @Test
    void aDamagedRootDiskIsOneLineWithTheFix() throws Exception {
        Files.write(dir.resolve("rootfs.img"), new byte[8192]);
        assertThatThrownBy(() -> DockerImage.at(dir).verified()).isInstanceOf(IOException.class)
                .hasMessageContaining("not an ext4 file system").hasMessageContaining("fix: gangway image build --rebuild");
    }

    @Test
    void aKernelThatIsNotElfIsDamaged() throws Exception {
        Files.write(dir.resolve("vmlinux"), new byte[] {'M', 'Z', 0, 0});
        assertThatThrownBy(() -> DockerImage.at(dir).verified()).hasMessageContaining("is not an ELF file");
    }
}
