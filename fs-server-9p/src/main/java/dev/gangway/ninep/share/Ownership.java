package dev.gangway.ninep.share;

import static dev.gangway.posix.FileCalls.*;

import dev.gangway.posix.Errno;
import dev.gangway.posix.FileCalls;
import dev.gangway.posix.FileStat;
import dev.gangway.posix.PosixException;
import java.nio.charset.StandardCharsets;

/**
 * How guest ownership, permissions and special files map onto the host.
 * <ul>
 * <li>{@link Passthrough}: the server runs as root; the host's uid, gid and mode are the guest's, set with
 *     real {@code fchownat}/{@code fchmodat}. FIFOs and sockets are created for real; device nodes are
 *     refused (EPERM) so a guest cannot plant a device node that host users could open.</li>
 * <li>{@link Mapped}: the server runs as a user. What the guest sets (uid, gid, mode bits, file type of special
 *     files, device number) is kept in the extended attribute {@value Mapped#XATTR} and shown back, like
 *     QEMU's mapped-xattr and osxfs; host files stay owned by the server's user with owner read/write
 *     (directories also search) so the server can always reach them. Special files are regular host files
 *     whose type lives in the attribute. Symlinks cannot carry user attributes and show the host's values.</li>
 * </ul>
 */
public sealed interface Ownership {
    /** The attributes the guest sees for a file with host metadata {@code st}; {@code pathFd} is O_PATH. */
    Attributes attributes(int pathFd, FileStat st) throws PosixException;

    /** Host permission bits to create a file or directory with, for guest mode {@code mode}. */
    int hostMode(int mode, boolean directory);

    /** Records what the guest asked for on a file it just created ({@code pathFd} is O_PATH). */
    void created(int pathFd, FileStat st, int mode, int uid, int gid, long rdev) throws PosixException;

    /** Creates a special file (FIFO, socket, device) named {@code name} in {@code dirFd}. */
    void mknod(ShareRoot share, int dirFd, String name, int mode, long rdev) throws PosixException;

    void chmod(int pathFd, FileStat st, int mode) throws PosixException;

    /** -1 leaves a value unchanged. */
    void chown(int pathFd, FileStat st, int uid, int gid) throws PosixException;

    /** True for extended attributes the guest must neither see nor set. */
    boolean hidden(String xattrName);

    static Ownership passthrough() {
        return new Passthrough();
    }

    static Ownership mapped() {
        return new Mapped();
    }

    final class Passthrough implements Ownership {
        @Override
        public Attributes attributes(int pathFd, FileStat st) {
            return new Attributes(st.mode(), st.uid(), st.gid(), st.rdev());
        }

        @Override
        public int hostMode(int mode, boolean directory) {
            return mode & 07777;
        }

        @Override
        public void created(int pathFd, FileStat st, int mode, int uid, int gid, long rdev) throws PosixException {
            FileCalls.fchownat(pathFd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
            if (!st.isSymlink() && (st.mode() & 07777) != (mode & 07777)) {
                // The server's umask applied on creation; the guest already applied its own.
                FileCalls.fchmodat(AT_FDCWD, procSelfFd(pathFd), mode & 07777);
            }
        }

        @Override
        public void mknod(ShareRoot share, int dirFd, String name, int mode, long rdev) throws PosixException {
            int type = mode & S_IFMT;
            if (type != S_IFIFO && type != S_IFSOCK && type != S_IFREG) {
                throw new PosixException("mknod of a device node", Errno.EPERM);
            }
            ShareRoot.checkName(name);
            FileCalls.mknodat(dirFd, name, type | (mode & 07777), 0);
        }

        @Override
        public void chmod(int pathFd, FileStat st, int mode) throws PosixException {
            if (st.isSymlink()) {
                throw new PosixException("chmod of a symlink", Errno.EOPNOTSUPP);
            }
            FileCalls.fchmodat(AT_FDCWD, procSelfFd(pathFd), mode & 07777);
        }

        @Override
        public void chown(int pathFd, FileStat st, int uid, int gid) throws PosixException {
            FileCalls.fchownat(pathFd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
        }

        @Override
        public boolean hidden(String xattrName) {
            return false;
        }
    }

    final class Mapped implements Ownership {
        /** "uid gid mode rdev" in decimal, mode with its file type bits. */
        public static final String XATTR = "user.gangway.owner";

        @Override
        public Attributes attributes(int pathFd, FileStat st) throws PosixException {
            if (st.isSymlink()) {
                return new Attributes(st.mode(), st.uid(), st.gid(), 0);
            }
            try {
                var fields = new String(FileCalls.getxattr(procSelfFd(pathFd), XATTR), StandardCharsets.US_ASCII)
                        .split(" ");
                if (fields.length == 4) {
                    int mode = Integer.parseInt(fields[2]);
                    int type = (mode & S_IFMT) == 0 ? st.type() : mode & S_IFMT;
                    // A directory stays a directory whatever the attribute says: the host type wins for dirs.
                    if (st.isDirectory() != (type == S_IFDIR)) {
                        type = st.type();
                    }
                    return new Attributes(type | (mode & 07777), Integer.parseUnsignedInt(fields[0]),
                            Integer.parseUnsignedInt(fields[1]), Long.parseLong(fields[3]));
                }
            } catch (PosixException e) {
                if (e.errno() != Errno.ENODATA && e.errno() != Errno.EOPNOTSUPP) {
                    throw e;
                }
            } catch (NumberFormatException e) {
                // Written by someone else on the host: fall back to the host's values.
            }
            return new Attributes(st.mode(), st.uid(), st.gid(), st.rdev());
        }

        @Override
        public int hostMode(int mode, boolean directory) {
            return (mode & 0777) | (directory ? 0700 : 0600);
        }

        @Override
        public void created(int pathFd, FileStat st, int mode, int uid, int gid, long rdev) throws PosixException {
            if (!st.isSymlink()) {
                store(pathFd, mode, uid, gid, rdev);
            }
        }

        @Override
        public void mknod(ShareRoot share, int dirFd, String name, int mode, long rdev) throws PosixException {
            int fd = share.create(dirFd, name, O_WRONLY | O_EXCL, 0600);
            FileCalls.closeQuietly(fd);
        }

        @Override
        public void chmod(int pathFd, FileStat st, int mode) throws PosixException {
            if (st.isSymlink()) {
                throw new PosixException("chmod of a symlink", Errno.EOPNOTSUPP);
            }
            var now = attributes(pathFd, st);
            store(pathFd, (now.mode() & S_IFMT) | (mode & 07777), now.uid(), now.gid(), now.rdev());
            FileCalls.fchmodat(AT_FDCWD, procSelfFd(pathFd), hostMode(mode, st.isDirectory()));
        }

        @Override
        public void chown(int pathFd, FileStat st, int uid, int gid) throws PosixException {
            if (st.isSymlink()) {
                return;
            }
            var now = attributes(pathFd, st);
            store(pathFd, now.mode(), uid == -1 ? now.uid() : uid, gid == -1 ? now.gid() : gid, now.rdev());
        }

        @Override
        public boolean hidden(String xattrName) {
            return xattrName.equals(XATTR);
        }

        private static void store(int pathFd, int mode, int uid, int gid, long rdev) throws PosixException {
            var value = Integer.toUnsignedString(uid) + " " + Integer.toUnsignedString(gid) + " " + mode + " " + rdev;
            FileCalls.setxattr(procSelfFd(pathFd), XATTR, value.getBytes(StandardCharsets.US_ASCII), 0);
        }
    }
}
