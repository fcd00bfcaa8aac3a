package dev.gangway.ninep.server;

import dev.gangway.posix.FileCalls;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client's handle: the node it names, how it reached it (parent and name, for Trename and Tremove), and
 * what it has become (an open file, a directory being listed, an extended attribute being read or written).
 *
 * <p>Lifetime: the fid table holds one use; each request that works on the fid holds another for its
 * duration ({@link Session#acquire}, closed by try-with-resources). Descriptors are closed only when the
 * last use ends, so a Tclunk racing a Tread never closes a descriptor under the read.
 */
final class Fid implements AutoCloseable {
    final int id;
    final Attach attach;
    private final Session session;
    private final AtomicInteger uses = new AtomicInteger(1);

    volatile Node node;
    Node parent;
    String name;
    int openFd = -1;
    int openFlags;
    List<DirListing.Entry> listing;
    byte[] xattrValue;
    XattrWrite xattrWrite;
    final Set<LockKey> lockKeys = new HashSet<>();
    /** Bytes of the listing and xattr value above, reserved with the session. */
    long heldBytes;

    /** Replaces what this fid holds in memory by {@code bytes}; ENOMEM past the connection's budget. */
    synchronized void hold(long bytes) throws dev.gangway.posix.PosixException {
        session.reserve(bytes);
        session.unreserve(heldBytes);
        heldBytes = bytes;
    }

    Fid(int id, Attach attach, Session session, Node node, Node parent, String name) {
        this.id = id;
        this.attach = attach;
        this.session = session;
        this.node = node;
        this.parent = parent;
        this.name = name;
    }

    /** One more use, unless the fid has already been released. */
    boolean tryUse() {
        for (int n = uses.get(); n > 0; n = uses.get()) {
            if (uses.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    synchronized boolean isOpen() {
        return openFd >= 0;
    }

    @Override
    public void close() {
        if (uses.decrementAndGet() == 0) {
            synchronized (this) {
                FileCalls.closeQuietly(openFd);
                openFd = -1;
                node.release();
                if (parent != null) {
                    parent.release();
                }
                for (var key : lockKeys) {
                    session.releaseLockOwner(key);
                }
                lockKeys.clear();
                session.unreserve(heldBytes);
                heldBytes = 0;
                listing = null;
                xattrValue = null;
                xattrWrite = null;
            }
        }
    }

    /**
     * A share attachment: which share, the guest uid that attached (Tattach's n_uname), and whether that
     * uid is the events bridge's agent, whose calls are replays ({@link Replay}).
     */
    record Attach(dev.gangway.ninep.share.ShareRoot share, int uid, Node root, boolean agent) {
    }

    /** Txattrcreate's pending value, set on the host at clunk. */
    static final class XattrWrite {
        final String name;
        final int flags;
        final byte[] value;
        int written;

        XattrWrite(String name, int size, int flags) {
            this.name = name;
            this.flags = flags;
            this.value = new byte[size];
        }
    }

    /** Identifies one guest lock owner on one file: its open file description on the host. */
    record LockKey(long qidPath, int procId, String clientId) {
    }
}
