package dev.gangway.posix;

/**
 * What {@code statx(2)} reports about one inode, in the units the kernel uses. Device numbers are kept as
 * major/minor pairs; {@link #rdev()} and {@link #dev()} give them in glibc's {@code makedev} encoding.
 */
public record FileStat(
        int mode, int uid, int gid, long nlink, long ino, long size, long blksize, long blocks,
        int rdevMajor, int rdevMinor, int devMajor, int devMinor,
        long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
        long ctimeSec, long ctimeNsec, long btimeSec, long btimeNsec) {

    public int type() {
        return mode & FileCalls.S_IFMT;
    }

    public boolean isDirectory() {
        return type() == FileCalls.S_IFDIR;
    }

    public boolean isRegular() {
        return type() == FileCalls.S_IFREG;
    }

    public boolean isSymlink() {
        return type() == FileCalls.S_IFLNK;
    }

    public long rdev() {
        return FileCalls.makedev(rdevMajor, rdevMinor);
    }

    public long dev() {
        return FileCalls.makedev(devMajor, devMinor);
    }
}
