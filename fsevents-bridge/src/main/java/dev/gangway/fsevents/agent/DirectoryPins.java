package dev.gangway.fsevents.agent;

import static dev.gangway.posix.FileCalls.O_CLOEXEC;
import static dev.gangway.posix.FileCalls.O_DIRECTORY;
import static dev.gangway.posix.FileCalls.O_NOFOLLOW;
import static dev.gangway.posix.FileCalls.O_PATH;
import static dev.gangway.posix.FileCalls.RESOLVE_BENEATH;
import static dev.gangway.posix.FileCalls.RESOLVE_NO_MAGICLINKS;
import static dev.gangway.posix.FileCalls.RESOLVE_NO_SYMLINKS;
import static dev.gangway.posix.FileCalls.RESOLVE_NO_XDEV;

import dev.gangway.posix.FileCalls;
import dev.gangway.posix.PosixException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps every directory of one share's mount in use, so that the guest kernel keeps its dentry and inode.
 *
 * <p>Why: with the 9P mount's default {@code cache=none} (needed so the guest sees host data as it is), the
 * Linux client deletes a dentry as soon as nobody uses it, and a later lookup of the same path gets a new
 * inode. An inotify watch sits on an inode: a watcher that added its watch on a directory through one
 * lookup never hears of an event the agent (or anyone) fires through another lookup's inode. A pinned
 * dentry is found by every lookup, so watchers, the agent and guest programs all meet on one inode.
 *
 * <p>Each pin is an {@code O_PATH} descriptor opened beneath the mount's root without following links; pins
 * follow the replays (a replayed mkdir is pinned, a replayed rmdir unpinned, a replayed rename re-keyed:
 * the kernel moved the pinned dentry). At most {@code limit} directories are pinned; past that they are
 * counted and left alone.
 */
final class DirectoryPins implements AutoCloseable {
    private static final long BENEATH = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;

    private final int root;
    private final int limit;
    private final Map<String, Integer> fds = new HashMap<>();
    private long unpinned;

    DirectoryPins(int root, int limit) {
        this.root = root;
        this.limit = limit;
    }

    /** Pins every directory beneath {@code mount} not pinned yet; returns how many are pinned in all. */
    int pinTree(Path mount) {
        try {
            Files.walkFileTree(mount, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(mount)) {
                        pin(mount.relativize(dir).toString());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("gangway-agent: walking " + mount + ": " + e.getMessage());
        }
        return fds.size();
    }

    void pin(String path) {
        if (fds.containsKey(path)) {
            return;
        }
        if (fds.size() >= limit) {
            unpinned++;
            return;
        }
        try {
            fds.put(path, FileCalls.openat2(root, path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, BENEATH));
        } catch (PosixException e) {
            unpinned++;
        }
    }

    /** Drops the pins of {@code path} and everything beneath it. */
    void unpin(String path) {
        for (var key : new ArrayList<>(fds.keySet())) {
            if (key.equals(path) || key.startsWith(path + "/")) {
                FileCalls.closeQuietly(fds.remove(key));
            }
        }
    }

    /** {@code from} was renamed to {@code to}: the pinned dentries moved with it. */
    void moved(String from, String to) {
        for (var key : new ArrayList<>(fds.keySet())) {
            if (key.equals(from) || key.startsWith(from + "/")) {
                var fd = fds.remove(key);
                var moved = to + key.substring(from.length());
                var previous = fds.put(moved, fd);
                if (previous != null) {
                    FileCalls.closeQuietly(previous);
                }
            }
        }
    }

    int size() {
        return fds.size();
    }

    /** Directories not pinned: over the limit, or gone before they could be opened. */
    long unpinned() {
        return unpinned;
    }

    @Override
    public void close() {
        fds.values().forEach(FileCalls::closeQuietly);
        fds.clear();
    }
}
