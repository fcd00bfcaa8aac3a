package dev.gangway.ninep.server;

import dev.gangway.ninep.protocol.Qid;
import dev.gangway.ninep.share.QidMap;
import dev.gangway.ninep.share.ShareRoot;
import dev.gangway.posix.FileCalls;
import dev.gangway.posix.FileStat;
import dev.gangway.posix.PosixException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One host inode held open as an {@code O_PATH} descriptor, shared by the fids that name it (the way
 * virtiofsd's passthrough inode table holds inodes). Reference counted: the descriptor closes when the last
 * fid lets go. The file type never changes for a held inode, so it is kept.
 */
final class Node {
    final int fd;
    final Qid qid;
    final int type;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final boolean pinned;
    private final FileStat ghostStat;
    private final String ghostPath;

    private Node(int fd, Qid qid, int type, boolean pinned, FileStat ghostStat, String ghostPath) {
        this.fd = fd;
        this.qid = qid;
        this.type = type;
        this.pinned = pinned;
        this.ghostStat = ghostStat;
        this.ghostPath = ghostPath;
    }

    /** Takes ownership of {@code fd}. */
    /** Opens {@code name} under {@code dir} within the share (no link followed) and adopts it. */
    static Node lookup(ShareRoot share, Node dir, String name, QidMap qids) throws PosixException {
        int fd = share.lookup(dir.fd, name);
        try {
            var st = FileCalls.statx(fd, "", FileCalls.AT_EMPTY_PATH | FileCalls.AT_SYMLINK_NOFOLLOW);
            return adopt(fd, st, qids.qid(st));
        } catch (PosixException | RuntimeException e) {
            FileCalls.closeQuietly(fd);
            throw e;
        }
    }

    static Node adopt(int fd, FileStat st, Qid qid) {
        return new Node(fd, qid, st.type(), false, null, null);
    }

    /** A node for a share root, whose descriptor belongs to the share and is never closed here. */
    static Node pinned(int fd, FileStat st, Qid qid) {
        return new Node(fd, qid, st.type(), true, null, null);
    }

    /**
     * An entry the host no longer has, shown to the events bridge's agent only (see {@link Replay}): no
     * descriptor (calls that need one fail with EBADF), the attributes it had, its share-relative path.
     */
    static Node ghost(FileStat st, Qid qid, String path) {
        return new Node(-1, qid, st.type(), true, st, path);
    }

    boolean isGhost() {
        return ghostStat != null;
    }

    String ghostPath() {
        return ghostPath;
    }

    Node retain() {
        refs.incrementAndGet();
        return this;
    }

    void release() {
        if (refs.decrementAndGet() == 0 && !pinned) {
            FileCalls.closeQuietly(fd);
        }
    }

    boolean isDirectory() {
        return type == FileCalls.S_IFDIR;
    }

    boolean isSymlink() {
        return type == FileCalls.S_IFLNK;
    }

    FileStat stat() throws PosixException {
        if (ghostStat != null) {
            return ghostStat;
        }
        return FileCalls.statx(fd, "", FileCalls.AT_EMPTY_PATH | FileCalls.AT_SYMLINK_NOFOLLOW);
    }
}
