package dev.gangway.fsevents.agent;

import static dev.gangway.posix.FileCalls.AT_EMPTY_PATH;
import static dev.gangway.posix.FileCalls.AT_FDCWD;
import static dev.gangway.posix.FileCalls.AT_REMOVEDIR;
import static dev.gangway.posix.FileCalls.O_CLOEXEC;
import static dev.gangway.posix.FileCalls.O_DIRECTORY;
import static dev.gangway.posix.FileCalls.O_NOFOLLOW;
import static dev.gangway.posix.FileCalls.O_PATH;
import static dev.gangway.posix.FileCalls.RESOLVE_BENEATH;
import static dev.gangway.posix.FileCalls.RESOLVE_NO_MAGICLINKS;
import static dev.gangway.posix.FileCalls.RESOLVE_NO_SYMLINKS;
import static dev.gangway.posix.FileCalls.RESOLVE_NO_XDEV;
import static dev.gangway.posix.FileCalls.S_IFREG;

import dev.gangway.fsevents.stream.StreamMessage;
import dev.gangway.fsevents.watch.Change;
import dev.gangway.posix.Errno;
import dev.gangway.posix.FileCalls;
import dev.gangway.posix.PosixException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays changes on the guest's 9P mounts, one system call per change (see the package documentation
 * for the table of calls and what the server does with them).
 *
 * <p>Safety: each share's mount is held open as an {@code O_PATH} directory; a change's parent is opened
 * beneath it with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV)} and the call
 * is made on the final name relative to that descriptor, never following a link. A path that is not a
 * plain relative path (empty, {@code .} or {@code ..} components, a NUL) or names an unknown share is
 * refused and counted.
 */
public final class MountReplayer implements EventStreamClient.EventHandler, AutoCloseable {
    private static final long BENEATH = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;

    private final Map<String, Path> mounts;
    private final Map<String, Integer> rootFds = new HashMap<>();
    private final Map<String, DirectoryPins> pins = new HashMap<>();
    private final int pinLimit;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();

    /** Default bound on pinned directories per share (one descriptor each). */
    public static final int DEFAULT_PIN_LIMIT = 4000;

    public MountReplayer(Map<String, Path> mounts) {
        this(mounts, DEFAULT_PIN_LIMIT);
    }

    public MountReplayer(Map<String, Path> mounts, int pinLimit) {
        this.mounts = Map.copyOf(mounts);
        this.pinLimit = pinLimit;
    }

    /**
     * Opens every share's mount and pins its directories (see {@link DirectoryPins}); call before the guest's
     * watchers start, so that they watch the inodes the agent's replays reach. Returns directories pinned.
     */
    public int pinAll() {
        int pinned = 0;
        for (var share : mounts.keySet()) {
            var root = rootFd(share);
            if (root != null) {
                pinned += pins.get(share).size();
                warmUp(root);
            }
        }
        return pinned;
    }

    /**
     * Links the calls a pin makes right after a replayed mkdir. A cold JVM under emulation takes a long
     * while to link its first downcall, and a watcher that looks the new directory up in that gap watches
     * an inode the pin will not hold (see the package documentation).
     */
    private static void warmUp(int root) {
        for (int i = 0; i < 3; i++) {
            try {
                int fd = FileCalls.openat2(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0, BENEATH);
                FileCalls.statx(fd, "", AT_EMPTY_PATH);
                FileCalls.closeQuietly(fd);
            } catch (PosixException e) {
                return;
            }
        }
    }

    public long applied() {
        return applied.get();
    }

    /** Events refused: unknown share, a path that is not plain, or a failure even the fallback hit. */
    public long refused() {
        return refused.get();
    }

    /** Changes delivered as IN_ATTRIB because the matching operation was not possible. */
    public long fallbacks() {
        return fallbacks.get();
    }

    @Override
    public void apply(StreamMessage.Event event) {
        var change = event.change();
        Integer root = rootFd(event.share());
        var target = Name.parse(change.path());
        var from = change.kind() == Change.Kind.RENAMED ? Name.parse(change.from()) : target;
        if (root == null || target == null || from == null) {
            refused.incrementAndGet();
            return;
        }
        var shared = pins.get(event.share());
        if (change.kind() == Change.Kind.DELETED && change.directory()) {
            // Unpinned first, so the kernel reports DELETE_SELF before DELETE, as for any rmdir of an unused directory.
            shared.unpin(change.path());
        }
        try {
            replay(root, change, target, from);
            applied.incrementAndGet();
        } catch (PosixException e) {
            if (e.errno() == Errno.ENOENT && change.kind() != Change.Kind.CREATED) {
                // Gone again on the host, or already replayed before a restart: nothing to announce.
                applied.incrementAndGet();
            } else {
                System.err.println("gangway-agent: replaying " + change.kind() + " " + change.path() + ": "
                        + e.getMessage() + "; announcing it as IN_ATTRIB");
                fallback(root, target);
            }
        }
        if (change.directory() || change.kind() == Change.Kind.OVERFLOW) {
            switch (change.kind()) {
                case CREATED -> shared.pin(change.path());
                case DELETED -> shared.unpin(change.path());
                case RENAMED -> shared.moved(change.from(), change.path());
                case OVERFLOW -> shared.pinTree(mounts.get(event.share()));
                default -> { }
            }
        }
    }

    private void replay(int root, Change change, Name target, Name from) throws PosixException {
        if (target.isRoot()) {
            touchAttributes(root, target);
            return;
        }
        int dir = openParent(root, target);
        try {
            switch (change.kind()) {
                case CREATED -> {
                    if (change.directory()) {
                        FileCalls.mkdirat(dir, target.name(), 0755);
                    } else {
                        FileCalls.mknodat(dir, target.name(), S_IFREG | 0644, 0);
                    }
                }
                case MODIFIED -> touchContent(dir, target.name());
                case ATTRIB, OVERFLOW -> touchAttributes(root, target);
                case RENAMED -> {
                    int fromDir = openParent(root, from);
                    try {
                        FileCalls.renameat2(fromDir, from.name(), dir, target.name(), 0);
                    } finally {
                        FileCalls.closeQuietly(fromDir);
                    }
                }
                case DELETED -> FileCalls.unlinkat(dir, target.name(), change.directory() ? AT_REMOVEDIR : 0);
            }
        } finally {
            FileCalls.closeQuietly(dir);
        }
    }

    /** {@code truncate} to the current size: IN_MODIFY, and the server ignores the size for the agent. */
    private static void touchContent(int dir, String name) throws PosixException {
        int fd = FileCalls.openat2(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, BENEATH);
        try {
            var stat = FileCalls.statx(fd, "", AT_EMPTY_PATH);
            if (!stat.isRegular()) {
                throw new PosixException("truncate", Errno.EINVAL);
            }
            FileCalls.truncate(FileCalls.procSelfFd(fd), stat.size());
        } finally {
            FileCalls.closeQuietly(fd);
        }
    }

    /** {@code chmod} to the current mode: IN_ATTRIB. A symbolic link has no mode to set: refused (EOPNOTSUPP). */
    private static void touchAttributes(int root, Name target) throws PosixException {
        int fd = target.isRoot()
                ? FileCalls.dup(root)
                : FileCalls.openat2(root, target.path(), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, BENEATH);
        try {
            var stat = FileCalls.statx(fd, "", AT_EMPTY_PATH);
            if (stat.isSymlink()) {
                throw new PosixException("chmod", Errno.EOPNOTSUPP);
            }
            FileCalls.fchmodat(AT_FDCWD, FileCalls.procSelfFd(fd), stat.mode() & 07777);
        } finally {
            FileCalls.closeQuietly(fd);
        }
    }

    /** The kind could not be produced: announce the entry (or, when it is gone, its parent) as changed. */
    private void fallback(int root, Name target) {
        try {
            touchAttributes(root, target);
            fallbacks.incrementAndGet();
        } catch (PosixException first) {
            try {
                touchAttributes(root, target.parent());
                fallbacks.incrementAndGet();
            } catch (PosixException second) {
                refused.incrementAndGet();
            }
        }
    }

    private static int openParent(int root, Name target) throws PosixException {
        var parent = target.parent();
        return parent.isRoot()
                ? FileCalls.dup(root)
                : FileCalls.openat2(root, parent.path(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0, BENEATH);
    }

    private Integer rootFd(String share) {
        var mount = mounts.get(share);
        if (mount == null) {
            return null;
        }
        return rootFds.computeIfAbsent(share, s -> {
            try {
                int fd = FileCalls.openat(AT_FDCWD, mount.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
                var shared = new DirectoryPins(fd, pinLimit);
                pins.put(s, shared);
                int pinned = shared.pinTree(mount);
                System.err.println("gangway-agent: share " + s + " at " + mount + ": pinned " + pinned
                        + " directories" + (shared.unpinned() > 0 ? ", " + shared.unpinned() + " over the limit" : ""));
                return fd;
            } catch (PosixException e) {
                return null;
            }
        });
    }

    @Override
    public void close() {
        pins.values().forEach(DirectoryPins::close);
        pins.clear();
        rootFds.values().forEach(FileCalls::closeQuietly);
        rootFds.clear();
    }

    /** A plain relative path inside a share: no empty, {@code .} or {@code ..} component, no NUL. */
    record Name(String path) {
        static Name parse(String path) {
            if (path.indexOf('\0') >= 0) {
                return null;
            }
            if (!path.isEmpty()) {
                for (var part : path.split("/", -1)) {
                    if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                        return null;
                    }
                }
            }
            return new Name(path);
        }

        boolean isRoot() {
            return path.isEmpty();
        }

        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        Name parent() {
            int slash = path.lastIndexOf('/');
            return new Name(slash < 0 ? "" : path.substring(0, slash));
        }
    }
}
