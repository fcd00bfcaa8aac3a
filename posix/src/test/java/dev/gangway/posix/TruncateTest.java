package dev.gangway.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruncateTest {
    @TempDir
    Path dir;

    @Test
    void truncateActsByPathAndThroughAnOpathDescriptor() throws Exception {
        var file = dir.resolve("f");
        Files.writeString(file, "0123456789");
        FileCalls.truncate(file.toString(), 4);
        assertThat(Files.readString(file)).isEqualTo("0123");
        int fd = FileCalls.openat(FileCalls.AT_FDCWD, file.toString(), FileCalls.O_PATH | FileCalls.O_CLOEXEC, 0);
        try {
            FileCalls.truncate(FileCalls.procSelfFd(fd), 2);
        } finally {
            FileCalls.close(fd);
        }
        assertThat(Files.readString(file)).isEqualTo("01");
        assertThatThrownBy(() -> FileCalls.truncate(dir.resolve("absent").toString(), 0))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }
}
