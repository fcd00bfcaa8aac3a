package dev.gangway.fsevents.replay;

/**
 * An entry that is gone from the host (deleted, or renamed away) as the agent must still see it: the
 * identity ({@code dev}, {@code ino}) the 9P server derives its qid from, so the guest kernel finds the
 * inode it already knows, and the attributes to answer getattr with.
 */
public record Ghost(boolean directory, long dev, long ino, int mode, int uid, int gid, long size,
        long mtimeNanos, long ctimeNanos) {
}
