package dev.gangway.ninep.server;

import static dev.gangway.posix.FileCalls.AT_EMPTY_PATH;
import static dev.gangway.posix.FileCalls.AT_SYMLINK_NOFOLLOW;

import dev.gangway.ninep.protocol.Qid;
import dev.gangway.ninep.share.QidMap;
import dev.gangway.ninep.share.ShareRoot;
import dev.gangway.posix.Errno;
import dev.gangway.posix.FileCalls;
import dev.gangway.posix.FileStat;
import dev.gangway.posix.PosixException;

/**
 * The server's half of the events bridge's replay (the design is in the package documentation of the
 * bridge's agent). For the agent's attach only:
 * <ul>
 *   <li>walk: a name the policy hides fails with ENOENT; a name absent from the host that the policy
 *       shows as a ghost succeeds, with the qid the entry had (same device and inode, so the guest kernel
 *       finds the inode it already knows) and the attributes it had;</li>
 *   <li>mknod, mkdir, symlink: succeed when the entry exists on the host, answering its qid, and create
 *       nothing; fail with ENOENT when it is gone again;</li>
 *   <li>unlinkat, remove, rename, renameat, setattr: succeed and do nothing;</li>
 *   <li>every other change (create, write, link, xattrs) fails with EROFS.</li>
 * </ul>
 * Each completed call tells the policy, so a hidden name becomes visible and a ghost vanishes. The agent
 * can therefore make the guest kernel fire the events of host changes, and can never change host data.
 */
final class Replay {
    private final ReplayPolicy policy;
    private final QidMap qids;

    Replay(ReplayPolicy policy, QidMap qids) {
        this.policy = policy;
        this.qids = qids;
    }

    /** The agent's walk from {@code dir} to {@code name}: a held host entry, a ghost, or ENOENT. */
    Node step(ShareRoot share, Node dir, String name) throws PosixException {
        ShareRoot.checkName(name);
        var path = child(pathOf(share, dir), name);
        if (policy.isHidden(share.name(), path)) {
            throw new PosixException("hidden from the agent: " + path, Errno.ENOENT);
        }
        if (!dir.isGhost()) {
            try {
                return Node.lookup(share, dir, name, qids);
            } catch (PosixException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
            }
        }
        var ghost = policy.ghost(share.name(), path);
        if (ghost == null) {
            throw new PosixException("no entry " + path, Errno.ENOENT);
        }
        var st = new FileStat(ghost.mode(), ghost.uid(), ghost.gid(), 1, ghost.ino(), ghost.size(), 4096,
                (ghost.size() + 511) / 512, 0, 0, FileCalls.major(ghost.dev()), FileCalls.minor(ghost.dev()),
                ghost.mtimeNanos() / 1_000_000_000L, ghost.mtimeNanos() % 1_000_000_000L,
                ghost.mtimeNanos() / 1_000_000_000L, ghost.mtimeNanos() % 1_000_000_000L,
                ghost.ctimeNanos() / 1_000_000_000L, ghost.ctimeNanos() % 1_000_000_000L, 0, 0);
        return Node.ghost(st, new Qid(QidMap.qidType(st.mode()), 0, qids.path(st.dev(), st.ino())), path);
    }

    /** The agent replays a creation: the entry must exist on the host; its qid is the answer. */
    Qid created(Fid dir, String name) throws PosixException {
        var share = dir.attach.share();
        ShareRoot.checkName(name);
        var path = child(pathOf(share, dir.node), name);
        if (dir.node.isGhost()) {
            throw new PosixException("create in a ghost directory", Errno.ENOENT);
        }
        int fd = share.lookup(dir.node.fd, name);
        try {
            var st = FileCalls.statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
            policy.completed(share.name(), path);
            return qids.qid(st);
        } finally {
            FileCalls.closeQuietly(fd);
        }
    }

    /** The agent replays a removal (or either side of a rename) of {@code name} in {@code dir}. */
    void completed(Fid dir, String name) {
        var share = dir.attach.share();
        policy.completed(share.name(), child(pathOf(share, dir.node), name));
    }

    /** The agent replays a removal through the fid of the entry itself. */
    void completed(Fid fid) {
        var share = fid.attach.share();
        policy.completed(share.name(), pathOf(share, fid.node));
    }

    boolean isAgent(ShareRoot share, int uid) {
        return policy.isAgent(share.name(), uid);
    }

    /**
     * The share-relative path of {@code node}. A directory the host has removed while the guest still holds it
     * (the agent keeps its directories in use) reads back from the kernel as {@code "path (deleted)"}; its
     * children's ghosts are booked under the path it had, so that suffix is dropped.
     */
    private static String pathOf(ShareRoot share, Node node) {
        if (node.isGhost()) {
            return node.ghostPath();
        }
        var path = Operations.relative(share, node.fd, null);
        return path.endsWith(DELETED) ? path.substring(0, path.length() - DELETED.length()) : path;
    }

    /** What Linux appends to the path of an unlinked file or directory in {@code /proc/self/fd}. */
    private static final String DELETED = " (deleted)";

    private static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
