package dev.gangway.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * File system calls on file descriptors, for servers that must resolve every name beneath a root they
 * hold open ({@code openat2} with {@code RESOLVE_*}, the {@code *at} family, {@code O_PATH} descriptors),
 * plus the calls the JDK lacks: extended attributes, open file description locks, {@code getdents64},
 * {@code renameat2}, {@code statx}, {@code mknodat}.
 *
 * <p>Every method throws {@link PosixException} with the Linux errno on failure. Names and paths are
 * passed to the kernel as UTF-8. Struct layouts are those of Linux on 64-bit targets ({@code statx} and
 * {@code open_how} are the same on every architecture; {@code statfs} and {@code flock} on x86_64 and
 * aarch64).
 */
public final class FileCalls {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_ACCMODE = 03;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_SYNC = 04010000;
    public static final int O_PATH = 010000000;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final long RESOLVE_NO_XDEV = 0x01;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    public static final long RESOLVE_BENEATH = 0x08;

    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 060000;
    public static final int S_IFDIR = 040000;
    public static final int S_IFCHR = 020000;
    public static final int S_IFIFO = 010000;

    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;
    /** The kernel's largest extended attribute value (and name list). */
    public static final int XATTR_SIZE_MAX = 65536;

    public static final short F_RDLCK = 0;
    public static final short F_WRLCK = 1;
    public static final short F_UNLCK = 2;

    /** {@code utimensat} time values meaning "now" and "leave unchanged". */
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;

    private static final int F_OFD_GETLK = 36;
    private static final int F_OFD_SETLK = 37;
    private static final long SYS_OPENAT2 = 437;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_BTIME = 0x800;
    private static final int STATX_SIZE = 256;
    private static final int STATFS_SIZE = 120;
    private static final int FLOCK_SIZE = 32;

    private static final MethodHandle OPENAT = Libc.downcallVariadic("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 3);
    private static final MethodHandle SYSCALL_OPENAT2 = Libc.downcallVariadic("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), 1);
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STATX = Libc.downcall("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle MKDIRAT = Libc.downcall("mkdirat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle MKNODAT = Libc.downcall("mknodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle SYMLINKAT = Libc.downcall("symlinkat",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle LINKAT = Libc.downcall("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle UNLINKAT = Libc.downcall("unlinkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RENAMEAT2 = Libc.downcall("renameat2",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READLINKAT = Libc.downcall("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle PREAD = Libc.downcall("pread64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE = Libc.downcall("pwrite64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE = Libc.downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle FSYNC = Libc.downcall("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FDATASYNC = Libc.downcall("fdatasync",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FTRUNCATE = Libc.downcall("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle TRUNCATE = Libc.downcall("truncate",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle FCHMODAT = Libc.downcall("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHOWNAT = Libc.downcall("fchownat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle UTIMENSAT = Libc.downcall("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle FSTATFS = Libc.downcall("fstatfs",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle GETXATTR = Libc.downcall("getxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle LISTXATTR = Libc.downcall("listxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle SETXATTR = Libc.downcall("setxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle REMOVEXATTR = Libc.downcall("removexattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FCNTL_PTR = Libc.downcallVariadic("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), 2);
    private static final MethodHandle GETDENTS64 = Libc.downcall("getdents64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle DUP = Libc.downcall("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private FileCalls() {
    }

    /** glibc's {@code makedev}. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    /** The path through which the kernel reopens what descriptor {@code fd} refers to. */
    public static String procSelfFd(int fd) {
        return "/proc/self/fd/" + fd;
    }

    public static int openat(int dirfd, String path, int flags, int mode) throws PosixException {
        return call("openat", (s, a) -> (int) OPENAT.invokeExact(s, dirfd, a.allocateFrom(path), flags, mode));
    }

    /** {@code openat2(2)}: {@code resolve} is a mask of {@code RESOLVE_*} flags. */
    public static int openat2(int dirfd, String path, int flags, int mode, long resolve) throws PosixException {
        return call("openat2", (s, a) -> {
            var how = a.allocate(24, 8);
            how.set(JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(JAVA_LONG, 8, mode);
            how.set(JAVA_LONG, 16, resolve);
            return (int) (long) SYSCALL_OPENAT2.invokeExact(s, SYS_OPENAT2, dirfd, a.allocateFrom(path), how, 24L);
        });
    }

    public static void close(int fd) throws PosixException {
        call("close", (s, a) -> (int) CLOSE.invokeExact(s, fd));
    }

    /** Closes {@code fd} when it is a descriptor, ignoring errors: for cleanup paths. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                close(fd);
            } catch (PosixException ignored) {
                // Nothing to recover: the descriptor is gone either way (close(2) never leaves it open).
            }
        }
    }

    public static int dup(int fd) throws PosixException {
        return call("dup", (s, a) -> (int) DUP.invokeExact(s, fd));
    }

    /** {@code statx(2)}; with {@code path} "" and {@link #AT_EMPTY_PATH} it describes {@code dirfd} itself. */
    public static FileStat statx(int dirfd, String path, int flags) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            var buf = arena.allocate(STATX_SIZE, 8);
            int rc = (int) STATX.invokeExact(state, dirfd, arena.allocateFrom(path), flags,
                    STATX_BASIC_STATS | STATX_BTIME, buf);
            Libc.check("statx", rc, state);
            return new FileStat(
                    Short.toUnsignedInt(buf.get(JAVA_SHORT, 28)),
                    buf.get(JAVA_INT, 20), buf.get(JAVA_INT, 24),
                    Integer.toUnsignedLong(buf.get(JAVA_INT, 16)),
                    buf.get(JAVA_LONG, 32), buf.get(JAVA_LONG, 40),
                    Integer.toUnsignedLong(buf.get(JAVA_INT, 4)), buf.get(JAVA_LONG, 48),
                    buf.get(JAVA_INT, 128), buf.get(JAVA_INT, 132), buf.get(JAVA_INT, 136), buf.get(JAVA_INT, 140),
                    buf.get(JAVA_LONG, 64), Integer.toUnsignedLong(buf.get(JAVA_INT, 72)),
                    buf.get(JAVA_LONG, 112), Integer.toUnsignedLong(buf.get(JAVA_INT, 120)),
                    buf.get(JAVA_LONG, 96), Integer.toUnsignedLong(buf.get(JAVA_INT, 104)),
                    buf.get(JAVA_LONG, 80), Integer.toUnsignedLong(buf.get(JAVA_INT, 88)));
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("statx failed to link or run", t);
        }
    }

    public static void mkdirat(int dirfd, String name, int mode) throws PosixException {
        call("mkdirat", (s, a) -> (int) MKDIRAT.invokeExact(s, dirfd, a.allocateFrom(name), mode));
    }

    public static void mknodat(int dirfd, String name, int mode, long dev) throws PosixException {
        call("mknodat", (s, a) -> (int) MKNODAT.invokeExact(s, dirfd, a.allocateFrom(name), mode, dev));
    }

    public static void symlinkat(String target, int dirfd, String name) throws PosixException {
        call("symlinkat", (s, a) -> (int) SYMLINKAT.invokeExact(s, a.allocateFrom(target), dirfd,
                a.allocateFrom(name)));
    }

    public static void linkat(int olddirfd, String oldpath, int newdirfd, String newname, int flags)
            throws PosixException {
        call("linkat", (s, a) -> (int) LINKAT.invokeExact(s, olddirfd, a.allocateFrom(oldpath), newdirfd,
                a.allocateFrom(newname), flags));
    }

    public static void unlinkat(int dirfd, String name, int flags) throws PosixException {
        call("unlinkat", (s, a) -> (int) UNLINKAT.invokeExact(s, dirfd, a.allocateFrom(name), flags));
    }

    public static void renameat2(int olddirfd, String oldname, int newdirfd, String newname, int flags)
            throws PosixException {
        call("renameat2", (s, a) -> (int) RENAMEAT2.invokeExact(s, olddirfd, a.allocateFrom(oldname), newdirfd,
                a.allocateFrom(newname), flags));
    }

    /** The target of a symbolic link, as raw bytes (at most 4096). */
    public static byte[] readlinkat(int dirfd, String path) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            var buf = arena.allocate(4096);
            long n = (long) READLINKAT.invokeExact(state, dirfd, arena.allocateFrom(path), buf, 4096L);
            Libc.check("readlinkat", n, state);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("readlinkat failed to link or run", t);
        }
    }

    /** {@code pread(2)} into native memory {@code buf}; returns the bytes read (0 at end of file). */
    public static long pread(int fd, MemorySegment buf, long offset) throws PosixException {
        return callLong("pread", (s, a) -> (long) PREAD.invokeExact(s, fd, buf, buf.byteSize(), offset));
    }

    /** {@code pwrite(2)} from native memory {@code buf}; returns the bytes written. */
    public static long pwrite(int fd, MemorySegment buf, long offset) throws PosixException {
        return callLong("pwrite", (s, a) -> (long) PWRITE.invokeExact(s, fd, buf, buf.byteSize(), offset));
    }

    /** {@code write(2)}, for descriptors opened with {@code O_APPEND} where the offset is the kernel's. */
    public static long write(int fd, MemorySegment buf) throws PosixException {
        return callLong("write", (s, a) -> (long) WRITE.invokeExact(s, fd, buf, buf.byteSize()));
    }

    public static void fsync(int fd, boolean dataOnly) throws PosixException {
        if (dataOnly) {
            call("fdatasync", (s, a) -> (int) FDATASYNC.invokeExact(s, fd));
        } else {
            call("fsync", (s, a) -> (int) FSYNC.invokeExact(s, fd));
        }
    }

    public static void ftruncate(int fd, long length) throws PosixException {
        call("ftruncate", (s, a) -> (int) FTRUNCATE.invokeExact(s, fd, length));
    }

    /**
     * {@code truncate(2)} by path. On {@code procSelfFd(fd)} of an {@code O_PATH} descriptor it changes a
     * file's size without opening it, so the only inotify event it causes is IN_MODIFY (the events
     * bridge's guest agent replays host modifications this way).
     */
    public static void truncate(String path, long length) throws PosixException {
        call("truncate", (s, a) -> (int) TRUNCATE.invokeExact(s, a.allocateFrom(path), length));
    }

    public static void fchmodat(int dirfd, String path, int mode) throws PosixException {
        call("fchmodat", (s, a) -> (int) FCHMODAT.invokeExact(s, dirfd, a.allocateFrom(path), mode, 0));
    }

    /** {@code fchownat(2)}; -1 leaves the uid or gid unchanged. */
    public static void fchownat(int dirfd, String path, int uid, int gid, int flags) throws PosixException {
        call("fchownat", (s, a) -> (int) FCHOWNAT.invokeExact(s, dirfd, a.allocateFrom(path), uid, gid, flags));
    }

    /** {@code utimensat(2)}; a nanosecond value of {@link #UTIME_NOW} or {@link #UTIME_OMIT} has its meaning. */
    public static void utimensat(int dirfd, String path, long atimeSec, long atimeNsec, long mtimeSec,
            long mtimeNsec, int flags) throws PosixException {
        call("utimensat", (s, a) -> {
            var times = a.allocate(32, 8);
            times.set(JAVA_LONG, 0, atimeSec);
            times.set(JAVA_LONG, 8, atimeNsec);
            times.set(JAVA_LONG, 16, mtimeSec);
            times.set(JAVA_LONG, 24, mtimeNsec);
            return (int) UTIMENSAT.invokeExact(s, dirfd, a.allocateFrom(path), times, flags);
        });
    }

    /** {@code fstatfs(2)}; works on {@code O_PATH} descriptors. */
    public static FsStat fstatfs(int fd) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            var buf = arena.allocate(STATFS_SIZE, 8);
            Libc.check("fstatfs", (int) FSTATFS.invokeExact(state, fd, buf), state);
            long fsid = (buf.get(JAVA_INT, 56) & 0xffffffffL) | ((long) buf.get(JAVA_INT, 60) << 32);
            return new FsStat(buf.get(JAVA_LONG, 0), buf.get(JAVA_LONG, 8), buf.get(JAVA_LONG, 16),
                    buf.get(JAVA_LONG, 24), buf.get(JAVA_LONG, 32), buf.get(JAVA_LONG, 40),
                    buf.get(JAVA_LONG, 48), fsid, buf.get(JAVA_LONG, 64));
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("fstatfs failed to link or run", t);
        }
    }

    /** The value of extended attribute {@code name} of the file at {@code path} (followed). */
    public static byte[] getxattr(String path, String name) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            var buf = arena.allocate(XATTR_SIZE_MAX);
            long n = (long) GETXATTR.invokeExact(state, arena.allocateFrom(path), arena.allocateFrom(name), buf,
                    (long) XATTR_SIZE_MAX);
            Libc.check("getxattr", n, state);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("getxattr failed to link or run", t);
        }
    }

    /** The names of the extended attributes of the file at {@code path}: NUL-terminated, concatenated. */
    public static byte[] listxattr(String path) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            var buf = arena.allocate(XATTR_SIZE_MAX);
            long n = (long) LISTXATTR.invokeExact(state, arena.allocateFrom(path), buf, (long) XATTR_SIZE_MAX);
            Libc.check("listxattr", n, state);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("listxattr failed to link or run", t);
        }
    }

    public static void setxattr(String path, String name, byte[] value, int flags) throws PosixException {
        call("setxattr", (s, a) -> {
            var v = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
            return (int) SETXATTR.invokeExact(s, a.allocateFrom(path), a.allocateFrom(name), v,
                    (long) value.length, flags);
        });
    }

    public static void removexattr(String path, String name) throws PosixException {
        call("removexattr", (s, a) -> (int) REMOVEXATTR.invokeExact(s, a.allocateFrom(path), a.allocateFrom(name)));
    }

    /**
     * Places or removes an open file description lock ({@code F_OFD_SETLK}, never waiting). Returns false
     * when a conflicting lock is held (EAGAIN / EACCES).
     */
    public static boolean ofdSetLock(int fd, RangeLock lock) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            var flock = flock(arena, lock);
            int rc = (int) FCNTL_PTR.invokeExact(state, fd, F_OFD_SETLK, flock);
            if (rc < 0) {
                int errno = Libc.errno(state);
                if (errno == Errno.EAGAIN || errno == Errno.EACCES) {
                    return false;
                }
                throw new PosixException("fcntl(F_OFD_SETLK)", errno);
            }
            return true;
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("fcntl failed to link or run", t);
        }
    }

    /**
     * {@code F_OFD_GETLK}: the first lock that would conflict with {@code lock}, or a lock of type
     * {@link #F_UNLCK} when there is none.
     */
    public static RangeLock ofdGetLock(int fd, RangeLock lock) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            var flock = flock(arena, lock);
            Libc.check("fcntl(F_OFD_GETLK)", (int) FCNTL_PTR.invokeExact(state, fd, F_OFD_GETLK, flock), state);
            return new RangeLock(flock.get(JAVA_SHORT, 0), flock.get(JAVA_LONG, 8), flock.get(JAVA_LONG, 16),
                    flock.get(JAVA_INT, 24));
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("fcntl failed to link or run", t);
        }
    }

    private static MemorySegment flock(Arena arena, RangeLock lock) {
        var flock = arena.allocate(FLOCK_SIZE, 8);
        flock.set(JAVA_SHORT, 0, (short) lock.type());
        flock.set(JAVA_SHORT, 2, (short) 0);
        flock.set(JAVA_LONG, 8, lock.start());
        flock.set(JAVA_LONG, 16, lock.length());
        flock.set(JAVA_INT, 24, 0);
        return flock;
    }

    /**
     * {@code getdents64(2)} into {@code buf}: returns the bytes filled with {@code linux_dirent64} records
     * (d_ino u64, d_off s64, d_reclen u16, d_type u8, NUL-terminated name), 0 at the end.
     */
    public static long getdents64(int fd, MemorySegment buf) throws PosixException {
        return callLong("getdents64", (s, a) -> (long) GETDENTS64.invokeExact(s, fd, buf, buf.byteSize()));
    }

    private interface IntCall {
        int invoke(MemorySegment state, Arena arena) throws Throwable;
    }

    private interface LongCall {
        long invoke(MemorySegment state, Arena arena) throws Throwable;
    }

    private static int call(String name, IntCall call) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            return Libc.check(name, call.invoke(state, arena), state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + " failed to link or run", t);
        }
    }

    private static long callLong(String name, LongCall call) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            return Libc.check(name, call.invoke(state, arena), state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + " failed to link or run", t);
        }
    }
}
