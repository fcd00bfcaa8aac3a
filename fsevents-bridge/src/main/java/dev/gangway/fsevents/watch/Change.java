package dev.gangway.fsevents.watch;

/**
 * One classified change of a share, with paths relative to the share root using {@code /}.
 *
 * @param kind what happened
 * @param path the entry that changed (the new name for a rename)
 * @param from the old name for {@link Kind#RENAMED}, empty otherwise
 * @param directory whether the entry is a directory (inotify's {@code IN_ISDIR})
 */
public record Change(Kind kind, String path, String from, boolean directory) {
    /** The kinds of change, each matching an inotify event the guest should see. */
    public enum Kind {
        /** {@code IN_CREATE}. */
        CREATED,
        /** {@code IN_MODIFY}: content changed. */
        MODIFIED,
        /** {@code IN_ATTRIB}: mode, owner or times changed. */
        ATTRIB,
        /** {@code IN_MOVED_FROM} + {@code IN_MOVED_TO}. */
        RENAMED,
        /** {@code IN_DELETE}. */
        DELETED,
        /**
         * Changes were lost (the journal or the host watcher overflowed): the guest sees {@code IN_ATTRIB}
         * on {@code path}, and changes below it from then on are delivered again.
         */
        OVERFLOW
    }

    public Change {
        if (kind == null || path == null || from == null) {
            throw new IllegalArgumentException("kind, path and from are required");
        }
        if ((kind == Kind.RENAMED) == from.isEmpty()) {
            throw new IllegalArgumentException("from is set exactly for renames: " + kind + " " + from);
        }
    }

    public static Change of(Kind kind, String path, boolean directory) {
        return new Change(kind, path, "", directory);
    }

    public static Change renamed(String from, String to, boolean directory) {
        return new Change(Kind.RENAMED, to, from, directory);
    }
}
