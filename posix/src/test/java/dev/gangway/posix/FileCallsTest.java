package dev.gangway.posix;

import static dev.gangway.posix.FileCalls.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCallsTest {
    @TempDir
    Path dir;

    @Test
    void openat2BeneathRefusesLinksAndDotDot() throws Exception {
        Files.createSymbolicLink(dir.resolve("out"), Path.of("/etc"));
        Files.writeString(dir.resolve("f"), "x");
        int root = openat(AT_FDCWD, dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        try {
            long resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
            assertThatThrownBy(() -> openat2(root, "out/passwd", O_RDONLY, 0, resolve))
                    .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELOOP));
            assertThatThrownBy(() -> openat2(root, "../x", O_PATH, 0, resolve))
                    .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EXDEV));
            int link = openat2(root, "out", O_PATH | O_NOFOLLOW, 0, resolve);
            assertThat(statx(link, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW).isSymlink()).isTrue();
            assertThat(new String(readlinkat(link, ""), StandardCharsets.UTF_8)).isEqualTo("/etc");
            close(link);
            int f = openat2(root, "f", O_PATH | O_NOFOLLOW, 0, resolve);
            var st = statx(f, "", AT_EMPTY_PATH);
            assertThat(st.isRegular()).isTrue();
            assertThat(st.size()).isEqualTo(1);
            assertThat(st.ino()).isEqualTo(Files.getAttribute(dir.resolve("f"), "unix:ino"));
            close(f);
        } finally {
            close(root);
        }
    }

    @Test
    void readWriteXattrsAndDirents() throws Exception {
        int root = openat(AT_FDCWD, dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        try (var arena = Arena.ofConfined()) {
            int fd = openat(root, "data", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            var buf = arena.allocateFrom("hello", StandardCharsets.UTF_8);
            assertThat(pwrite(fd, buf.asSlice(0, 5), 10)).isEqualTo(5);
            var in = arena.allocate(100);
            assertThat(pread(fd, in, 10)).isEqualTo(5);
            assertThat(in.getString(0)).isEqualTo("hello");
            ftruncate(fd, 3);
            assertThat(statx(fd, "", AT_EMPTY_PATH).size()).isEqualTo(3);
            setxattr(procSelfFd(fd), "user.k", "v1".getBytes(StandardCharsets.UTF_8), 0);
            assertThat(new String(getxattr(procSelfFd(fd), "user.k"), StandardCharsets.UTF_8)).isEqualTo("v1");
            assertThat(new String(listxattr(procSelfFd(fd)), StandardCharsets.UTF_8)).contains("user.k");
            removexattr(procSelfFd(fd), "user.k");
            assertThatThrownBy(() -> getxattr(procSelfFd(fd), "user.k"))
                    .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODATA));
            close(fd);
            mkdirat(root, "sub", 0755);
            int d = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
            var names = new ArrayList<String>();
            var dents = arena.allocate(8192);
            for (long n; (n = getdents64(d, dents)) > 0; ) {
                for (long off = 0; off < n; ) {
                    int reclen = Short.toUnsignedInt(dents.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 16));
                    names.add(dents.getString(off + 19));
                    off += reclen;
                }
            }
            close(d);
            assertThat(names).contains(".", "..", "data", "sub");
        } finally {
            close(root);
        }
    }

    @Test
    void ofdLocksConflictBetweenDescriptions() throws Exception {
        Files.writeString(dir.resolve("db"), "0123456789");
        int a = openat(AT_FDCWD, dir.resolve("db").toString(), O_RDWR | O_CLOEXEC, 0);
        int b = openat(AT_FDCWD, dir.resolve("db").toString(), O_RDWR | O_CLOEXEC, 0);
        try {
            assertThat(ofdSetLock(a, new RangeLock(F_WRLCK, 0, 5, 0))).isTrue();
            assertThat(ofdSetLock(b, new RangeLock(F_RDLCK, 2, 1, 0))).isFalse();
            assertThat(ofdSetLock(b, new RangeLock(F_WRLCK, 5, 5, 0))).isTrue();
            var held = ofdGetLock(b, new RangeLock(F_WRLCK, 0, 0, 0));
            assertThat(held.type()).isEqualTo(F_WRLCK);
            assertThat(held.start()).isZero();
            assertThat(held.length()).isEqualTo(5);
            assertThat(held.pid()).isEqualTo(-1);
            assertThat(ofdSetLock(a, new RangeLock(F_UNLCK, 0, 0, 0))).isTrue();
            assertThat(ofdGetLock(b, new RangeLock(F_WRLCK, 0, 5, 0)).type()).isEqualTo(F_UNLCK);
        } finally {
            close(a);
            close(b);
        }
    }

    @Test
    void deviceNumbersRoundTrip() {
        long dev = makedev(259, 70000);
        assertThat(major(dev)).isEqualTo(259);
        assertThat(minor(dev)).isEqualTo(70000);
        assertThat(makedev(1, 3)).isEqualTo(0x103);
    }

    @Test
    void mknodFifoAndNamesViaDescriptors() throws Exception {
        int root = openat(AT_FDCWD, dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        try {
            mknodat(root, "fifo", S_IFIFO | 0600, 0);
            assertThat(statx(root, "fifo", AT_SYMLINK_NOFOLLOW).type()).isEqualTo(S_IFIFO);
            symlinkat("target", root, "lnk");
            renameat2(root, "lnk", root, "lnk2", RENAME_NOREPLACE);
            assertThatThrownBy(() -> renameat2(root, "lnk2", root, "fifo", RENAME_NOREPLACE))
                    .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
            unlinkat(root, "lnk2", 0);
            mkdirat(root, "d", 0700);
            unlinkat(root, "d", AT_REMOVEDIR);
            assertThat(fstatfs(root).namelen()).isEqualTo(255);
        } finally {
            close(root);
        }
    }
}
