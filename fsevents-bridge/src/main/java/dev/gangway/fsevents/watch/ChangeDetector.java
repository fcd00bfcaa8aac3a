package dev.gangway.fsevents.watch;

import dev.gangway.fsevents.replay.ReplayBook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a set of possibly changed paths into the changes that really happened, by comparing the disk with
 * the {@link Snapshot} (see the package documentation for the rules). Not thread-safe: one flush thread.
 */
final class ChangeDetector {
    private static final Comparator<String> SHALLOWEST_FIRST =
            Comparator.comparingInt(ChangeDetector::depth).thenComparing(Comparator.naturalOrder());

    private final Path root;
    private final Snapshot snapshot = new Snapshot();
    private final EchoFilter echo;
    private final ReplayBook replays;
    private final int maxEntries;
    private boolean overflowReported;
    private final Set<String> heldRemovals = new HashSet<>();

    ChangeDetector(Path root, EchoFilter echo, ReplayBook replays, int maxEntries) {
        this.root = root;
        this.echo = echo;
        this.replays = replays;
        this.maxEntries = maxEntries;
    }

    int entries() {
        return snapshot.size();
    }

    /**
     * True when vanished entries are held until the next flush: a rename's new name can reach the watcher a
     * window later than its old name (a loaded host, a move between folders), so a removal is reported only
     * once the next flush still finds the entry gone and no new entry with its identity. The watcher then
     * flushes again after one more window, even if nothing else changes.
     */
    boolean holdsRemovals() {
        return !heldRemovals.isEmpty();
    }

    /** Records the share as it is now, without reporting anything. */
    void takeSnapshot() throws IOException {
        for (var path : walk("")) {
            var state = FileState.read(resolve(path));
            if (state != null && snapshot.size() < maxEntries) {
                snapshot.put(path, state);
            }
        }
    }

    /** Compares everything below {@code dir} ({@code ""} for the whole share) with the snapshot. */
    List<Change> rescan(String dir) throws IOException {
        var dirty = new TreeSet<String>();
        if (!dir.isEmpty()) {
            dirty.add(dir);
        }
        dirty.addAll(walk(dir));
        dirty.addAll(snapshot.descendants(dir));
        return flush(dirty);
    }

    /** Classifies the paths in {@code dirty}; the returned changes are already applied to the snapshot. */
    List<Change> flush(Collection<String> dirty) throws IOException {
        var wasHeld = Set.copyOf(heldRemovals);
        var all = new TreeSet<>(dirty);
        all.addAll(heldRemovals);
        heldRemovals.clear();
        var now = readExpanded(all);
        var changes = new ArrayList<Change>();
        detectRenames(now, changes);

        now.keySet().stream().filter(p -> now.get(p) == null && snapshot.contains(p))
                .sorted(SHALLOWEST_FIRST.reversed())
                .forEach(p -> {
                    if (!wasHeld.contains(p) && !echo.isEcho(p)) {
                        // Held for one more window: the new name of a rename may not have been reported yet.
                        heldRemovals.add(p);
                        return;
                    }
                    var was = snapshot.get(p);
                    snapshot.remove(p);
                    reportRemoval(changes, p, was);
                });

        now.keySet().stream().filter(p -> now.get(p) != null && !snapshot.contains(p))
                .sorted(SHALLOWEST_FIRST)
                .forEach(p -> {
                    var state = now.get(p);
                    if (snapshot.size() < maxEntries) {
                        snapshot.put(p, state);
                    } else {
                        reportOverflowOnce(changes);
                    }
                    reportCreation(changes, p, state);
                });

        for (var entry : now.entrySet()) {
            var p = entry.getKey();
            var state = entry.getValue();
            var was = snapshot.get(p);
            if (state == null || was == null || was.equals(state)) {
                continue;
            }
            snapshot.put(p, state);
            if (was.type() != state.type()) {
                reportRemoval(changes, p, was);
                reportCreation(changes, p, state);
            } else if (was.contentDiffers(state)) {
                report(changes, Change.of(Change.Kind.MODIFIED, p, state.directory()), p);
            } else if (was.metadataDiffers(state)) {
                report(changes, Change.of(Change.Kind.ATTRIB, p, state.directory()), p);
            }
        }
        return changes;
    }

    /**
     * Reads the current state of every dirty path, adding what a dirty path implies: the on-disk contents
     * of a directory the snapshot does not know, and the snapshot subtree of a directory that is gone.
     * Iterates in path order, so parents are read before their children.
     */
    private Map<String, FileState> readExpanded(Collection<String> dirty) throws IOException {
        var pending = new TreeSet<>(dirty);
        var now = new LinkedHashMap<String, FileState>();
        var listedParents = new HashSet<String>();
        while (!pending.isEmpty()) {
            var p = pending.pollFirst();
            if (now.containsKey(p) || p.isEmpty()) {
                continue;
            }
            var state = FileState.read(resolve(p));
            now.put(p, state);
            var was = snapshot.get(p);
            if (state == null && was != null && listedParents.add(parentOf(p))) {
                // A rename's two halves can reach the watcher in different windows (a loaded host, a
                // recursive re-registration of a moved directory): new names beside a vanished one are read
                // now, so a rename within one folder is seen whole, never as a deletion and a creation.
                for (var sibling : list(parentOf(p))) {
                    if (!snapshot.contains(sibling)) {
                        pending.add(sibling);
                    }
                }
            }
            if (state != null && state.directory() && (was == null || !was.directory())) {
                pending.addAll(walk(p));
            }
            if (was != null && was.directory() && (state == null || !state.directory())) {
                pending.addAll(snapshot.descendants(p));
            }
        }
        return now;
    }

    /** A vanished entry and a new entry with the same file key are one rename; the outermost one is reported. */
    private void detectRenames(Map<String, FileState> now, List<Change> changes) {
        var goneByKey = new HashMap<Object, String>();
        now.forEach((p, state) -> {
            var was = snapshot.get(p);
            if (state == null && was != null && was.fileKey() != null) {
                goneByKey.putIfAbsent(was.fileKey(), p);
            }
        });
        if (goneByKey.isEmpty()) {
            return;
        }
        now.keySet().stream().filter(p -> now.get(p) != null).sorted(SHALLOWEST_FIRST).forEach(to -> {
            var state = now.get(to);
            if (snapshot.contains(to)) {
                return;
            }
            var from = goneByKey.get(state.fileKey());
            if (from == null || !snapshot.contains(from) || now.get(from) != null
                    || snapshot.get(from).type() != state.type()) {
                return;
            }
            // The same identity under a new name is a rename, unless one side is the guest's own change and
            // the other is not, or the file's content or times differ: then it is a freed inode number
            // reused (something removed a file, the host made a new one), a removal and a creation.
            if (echo.isEcho(from) != echo.isEcho(to)) {
                return;
            }
            // A renamed file keeps its size and modification time; a new file on a reused inode does not.
            var was = snapshot.get(from);
            if (!state.directory() && (was.size() != state.size() || was.mtimeNanos() != state.mtimeNanos())) {
                return;
            }
            goneByKey.remove(state.fileKey());
            snapshot.move(from, to, state);
            if (echo.isEcho(from) || echo.isEcho(to)) {
                return;
            }
            replays.expectRemoval(from, state.ghost());
            replays.expectCreate(to);
            changes.add(Change.renamed(from, to, state.directory()));
        });
    }

    private void reportCreation(List<Change> changes, String path, FileState now) {
        if (!echo.isEcho(path)) {
            replays.expectCreate(path);
            changes.add(Change.of(Change.Kind.CREATED, path, now.directory()));
        }
    }

    private void reportRemoval(List<Change> changes, String path, FileState was) {
        if (!echo.isEcho(path)) {
            replays.expectRemoval(path, was.ghost());
            changes.add(Change.of(Change.Kind.DELETED, path, was.directory()));
        }
    }

    private void report(List<Change> changes, Change change, String path) {
        if (!echo.isEcho(path)) {
            changes.add(change);
        }
    }

    private void reportOverflowOnce(List<Change> changes) {
        if (!overflowReported) {
            overflowReported = true;
            changes.add(Change.of(Change.Kind.OVERFLOW, "", true));
        }
    }

    /** The entries directly in {@code dir}; none when it is gone. */
    private List<String> list(String dir) throws IOException {
        var entries = new ArrayList<String>();
        try (var stream = Files.newDirectoryStream(resolve(dir))) {
            for (var entry : stream) {
                entries.add(relative(entry));
            }
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return List.of();
        }
        return entries;
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** Relative paths of everything below {@code dir} on disk, without following links. */
    private List<String> walk(String dir) throws IOException {
        var start = resolve(dir);
        var found = new ArrayList<String>();
        if (!Files.isDirectory(start, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return found;
        }
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (!d.equals(start)) {
                        found.add(relative(d));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    found.add(relative(f));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    // Gone between listing and reading: the watcher reports the deletion.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return found;
    }

    String relative(Path absolute) {
        var rel = root.relativize(absolute).toString();
        return java.io.File.separatorChar == '/' ? rel : rel.replace(java.io.File.separatorChar, '/');
    }

    private Path resolve(String relative) {
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    private static int depth(String path) {
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }
}
