package dev.gangway.fsevents.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The last known state of every entry of a share, keyed by path relative to the share root. Sorted, so
 * a directory's subtree is one contiguous range: the keys from {@code "dir/"} up to {@code "dir0"}
 * ('0' follows '/'). Used by one thread only: the share's flush thread.
 */
final class Snapshot {
    private final TreeMap<String, FileState> entries = new TreeMap<>();

    FileState get(String path) {
        return entries.get(path);
    }

    boolean contains(String path) {
        return entries.containsKey(path);
    }

    void put(String path, FileState state) {
        entries.put(path, state);
    }

    void remove(String path) {
        entries.remove(path);
    }

    int size() {
        return entries.size();
    }

    /** The entries strictly below {@code dir} (all of them for the root, {@code ""}), in path order. */
    List<String> descendants(String dir) {
        return new ArrayList<>(subtree(dir).keySet());
    }

    /** Moves {@code from} and everything below it to {@code to}, giving {@code to} the state {@code now}. */
    void move(String from, String to, FileState now) {
        var below = new TreeMap<>(subtree(from));
        subtree(from).clear();
        entries.remove(from);
        entries.put(to, now);
        below.forEach((path, state) -> entries.put(to + path.substring(from.length()), state));
    }

    private NavigableMap<String, FileState> subtree(String dir) {
        return dir.isEmpty() ? entries : entries.subMap(dir + "/", true, dir + "0", false);
    }
}
