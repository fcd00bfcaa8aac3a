package dev.gangway.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathCallsTest {
    @TempDir
    Path dir;

    @Test
    void mknodMakesAnEmptyRegularFileAndRefusesAnExistingOne() throws Exception {
        var file = dir.resolve("made");
        PathCalls.mknod(file, PathCalls.S_IFREG | 0640, 0);
        assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.size(file)).isZero();
        assertThat((int) Files.getAttribute(file, "unix:mode") & 07777).isEqualTo(0640 & ~umask());
        assertThatThrownBy(() -> PathCalls.mknod(file, PathCalls.S_IFREG | 0640, 0))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
    }

    @Test
    void truncateAndChmodActByPath() throws Exception {
        var file = dir.resolve("f");
        Files.writeString(file, "0123456789");
        PathCalls.truncate(file, 4);
        assertThat(Files.readString(file)).isEqualTo("0123");
        PathCalls.chmod(file, 04711);
        assertThat((int) Files.getAttribute(file, "unix:mode") & 07777).isEqualTo(04711);
        assertThatThrownBy(() -> PathCalls.truncate(dir.resolve("absent"), 0))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }

    private static int umask() throws Exception {
        var probe = Files.createTempFile("umask", "");
        try {
            Files.delete(probe);
            PathCalls.mknod(probe, PathCalls.S_IFREG | 0777, 0);
            return ~((int) Files.getAttribute(probe, "unix:mode")) & 0777;
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
