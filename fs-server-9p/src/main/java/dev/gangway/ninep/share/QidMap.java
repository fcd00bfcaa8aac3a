package dev.gangway.ninep.share;

import dev.gangway.ninep.protocol.Qid;
import dev.gangway.posix.FileStat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives each host inode (device, inode number) a qid path that is unique across every file system the
 * shares span and stable for the life of the server. The common case costs no memory: the device gets a
 * small index (top 16 bits) and the inode number, when it fits in 48 bits, is the rest. Inode numbers that
 * do not fit get a sequential number from an overflow table, marked by the top bit.
 */
public final class QidMap {
    private static final long INO_MASK = (1L << 48) - 1;
    private static final int MAX_DEVICES = 0x7fff;

    private final ConcurrentHashMap<Long, Integer> devices = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<DevIno, Long> overflow = new ConcurrentHashMap<>();
    private final AtomicLong nextOverflow = new AtomicLong(1);

    public Qid qid(FileStat st) {
        return new Qid(qidType(st.mode()), 0, path(st.dev(), st.ino()));
    }

    public long path(long dev, long ino) {
        int index = devices.computeIfAbsent(dev, d -> devices.size() + 1);
        if (index <= MAX_DEVICES && (ino & ~INO_MASK) == 0) {
            return ((long) index << 48) | ino;
        }
        return Long.MIN_VALUE | overflow.computeIfAbsent(new DevIno(dev, ino), k -> nextOverflow.getAndIncrement());
    }

    public static int qidType(int mode) {
        return switch (mode & dev.gangway.posix.FileCalls.S_IFMT) {
            case dev.gangway.posix.FileCalls.S_IFDIR -> Qid.DIR;
            case dev.gangway.posix.FileCalls.S_IFLNK -> Qid.SYMLINK;
            default -> Qid.FILE;
        };
    }

    private record DevIno(long dev, long ino) {
    }
}
