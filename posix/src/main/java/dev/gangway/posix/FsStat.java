package dev.gangway.posix;

/** What {@code fstatfs(2)} reports about a file system. */
public record FsStat(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree,
        long fsid, long namelen) {
}
