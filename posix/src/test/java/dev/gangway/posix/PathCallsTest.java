package dev.gangway.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathCallsTest {
    @TempDir
    Path dir;

    @Test
    void truncateActsByPathAndThroughAnOpathDescriptor() throws Exception {
        var file = dir.resolve("f");
        Files.writeString(file, "0123456789");
        PathCalls.truncate(file, 4);
        assertThat(Files.readString(file)).isEqualTo("0123");
        int fd = FileCalls.openat(FileCalls.AT_FDCWD, file.toString(), FileCalls.O_PATH | FileCalls.O_CLOEXEC, 0);
        try {
            PathCalls.truncate(Path.of(FileCalls.procSelfFd(fd)), 2);
        } finally {
            FileCalls.close(fd);
        }
        assertThat(Files.readString(file)).isEqualTo("01");
        assertThatThrownBy(() -> PathCalls.truncate(dir.resolve("absent"), 0))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }
}
