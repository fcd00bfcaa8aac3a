package dev.gangway.ninep.share;

import static dev.gangway.posix.FileCalls.*;

import dev.gangway.posix.Errno;
import dev.gangway.posix.FileCalls;
import dev.gangway.posix.FileStat;
import dev.gangway.posix.PosixException;
import java.nio.file.Path;

/**
 * The security boundary of a share, and the only code that turns a guest-supplied name into a host file.
 *
 * <p>The share is held as an {@code O_PATH} descriptor of its root directory. Every file the server touches
 * is reached from a descriptor obtained here, one validated name at a time:
 * <ul>
 * <li>{@link #checkName} refuses empty names, {@code .}, {@code ..}, and names containing {@code /} or NUL,
 *     so a name can never climb or span directories;</li>
 * <li>{@link #lookup} opens that one name beneath an already-trusted directory descriptor with
 *     {@code openat2(O_PATH|O_NOFOLLOW, RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS)}: a symlink
 *     is returned as the link itself and never followed;</li>
 * <li>{@link #open} reopens an {@code O_PATH} descriptor for I/O through {@code /proc/self/fd}, which reaches
 *     exactly the inode already held (a directory swapped for a symlink after the walk changes nothing), and
 *     only for regular files and directories: FIFOs, sockets and device nodes are never opened;</li>
 * <li>{@link #create} creates with {@code O_CREAT|O_EXCL|O_NOFOLLOW} beneath the directory, so it never
 *     opens something that already exists (an existing regular file is then looked up and reopened);</li>
 * <li>{@link #checkWritable} refuses every change on a read-only share with {@code EROFS}.</li>
 * </ul>
 * Directory entries used by the {@code *at} calls (mkdirat, unlinkat, renameat2, symlinkat, mknodat, linkat)
 * are always a trusted directory descriptor plus a name that passed {@link #checkName}.
 */
public final class ShareRoot implements AutoCloseable {
    /** Longest name a directory entry may have on Linux. */
    public static final int NAME_MAX = 255;
    private static final long RESOLVE = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    private static volatile boolean openat2Missing;

    private final String name;
    private final Path hostPath;
    private final boolean readOnly;
    private final int rootFd;

    private ShareRoot(String name, Path hostPath, boolean readOnly, int rootFd) {
        this.name = name;
        this.hostPath = hostPath;
        this.readOnly = readOnly;
        this.rootFd = rootFd;
    }

    /** Opens the share root; the host path itself may be reached through links, nothing beneath it will. */
    public static ShareRoot open(String name, Path hostPath, boolean readOnly) throws PosixException {
        Path real;
        try {
            // The real path, so that host paths read back from /proc/self/fd relativize against it.
            real = hostPath.toRealPath();
        } catch (java.io.IOException e) {
            throw new PosixException("share " + name + ": " + hostPath, Errno.ENOENT);
        }
        int fd = FileCalls.openat(AT_FDCWD, real.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        return new ShareRoot(name, real, readOnly, fd);
    }

    public String name() {
        return name;
    }

    public Path hostPath() {
        return hostPath;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** The root's {@code O_PATH} descriptor, owned by this object. */
    public int rootFd() {
        return rootFd;
    }

    /** Refuses every name that is not exactly one directory entry. */
    public static void checkName(String name) throws PosixException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new PosixException("name check", Errno.EINVAL);
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new PosixException("name check", Errno.ENAMETOOLONG);
        }
    }

    public void checkWritable() throws PosixException {
        if (readOnly) {
            throw new PosixException("read-only share", Errno.EROFS);
        }
    }

    /** An {@code O_PATH} descriptor of entry {@code name} of directory {@code dirFd}; links are not followed. */
    public int lookup(int dirFd, String name) throws PosixException {
        checkName(name);
        return openBeneath(dirFd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
    }

    /**
     * Opens what {@code pathFd} refers to for I/O with {@code flags} (access mode, {@code O_TRUNC},
     * {@code O_APPEND}, sync flags, {@code O_DIRECTORY}). Only regular files and directories are opened.
     */
    public int open(int pathFd, FileStat stat, int flags) throws PosixException {
        if (!stat.isRegular() && !stat.isDirectory()) {
            throw new PosixException("open of a special file", stat.isSymlink() ? Errno.ELOOP : Errno.EACCES);
        }
        if (readOnly && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) != 0)) {
            throw new PosixException("read-only share", Errno.EROFS);
        }
        int allowed = O_ACCMODE | O_TRUNC | O_APPEND | O_DSYNC | O_SYNC | O_DIRECTORY;
        return FileCalls.openat(AT_FDCWD, procSelfFd(pathFd), (flags & allowed) | O_CLOEXEC | O_NOCTTY, 0);
    }

    /**
     * Creates regular file {@code name} in {@code dirFd} and opens it with {@code flags}; when it exists and
     * the caller did not ask for {@code O_EXCL}, opens it instead if (and only if) it is a regular file.
     * Returns the open descriptor.
     */
    public int create(int dirFd, String name, int flags, int mode) throws PosixException {
        checkName(name);
        checkWritable();
        int allowed = O_ACCMODE | O_TRUNC | O_APPEND | O_DSYNC | O_SYNC;
        try {
            return openBeneath(dirFd, name, (flags & allowed) | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    mode & 07777);
        } catch (PosixException e) {
            if (e.errno() != Errno.EEXIST || (flags & O_EXCL) != 0) {
                throw e;
            }
        }
        int pathFd = lookup(dirFd, name);
        try {
            return open(pathFd, FileCalls.statx(pathFd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW), flags & allowed);
        } finally {
            FileCalls.closeQuietly(pathFd);
        }
    }

    /** An {@code O_PATH} descriptor of the inode that open descriptor {@code fd} refers to. */
    public static int pathOf(int fd) throws PosixException {
        return FileCalls.openat(AT_FDCWD, procSelfFd(fd), O_PATH | O_CLOEXEC, 0);
    }

    private static int openBeneath(int dirFd, String name, int flags, int mode) throws PosixException {
        if (!openat2Missing) {
            try {
                return FileCalls.openat2(dirFd, name, flags, mode, RESOLVE);
            } catch (PosixException e) {
                if (e.errno() != Errno.ENOSYS) {
                    throw e;
                }
                openat2Missing = true;
            }
        }
        // Kernels before 5.6: the name is one checked component and O_NOFOLLOW stops at a final link.
        return FileCalls.openat(dirFd, name, flags | O_NOFOLLOW, mode);
    }

    @Override
    public void close() {
        FileCalls.closeQuietly(rootFd);
    }
}
