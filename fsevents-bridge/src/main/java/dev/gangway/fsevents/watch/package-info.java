/**
 * Host-side change detection for one share: raw watcher events in, classified {@link
 * dev.gangway.fsevents.watch.Change}s out.
 *
 * <p>Data path: directory-watcher reports paths that may have changed (create, modify, delete,
 * overflow) on its own thread; {@link dev.gangway.fsevents.watch.ShareWatcher} only marks them dirty.
 * After a quiet window (default 30 ms, the coalescing window) the dirty set is flushed on the
 * watcher's single flush thread: {@link dev.gangway.fsevents.watch.ChangeDetector} compares the
 * current state of each dirty path ({@code lstat}) with the {@link dev.gangway.fsevents.watch.Snapshot}
 * and emits what really changed. Raw events are hints, never facts: a burst of writes to one file is
 * one {@code MODIFIED}, a file created and deleted inside the window is nothing, and a lost event
 * (watcher overflow) costs a rescan of the share against the snapshot instead of a lost change. On Linux
 * the JDK's watch key holds 512 events and replaces what comes after with one OVERFLOW while the
 * watcher's thread is busy (an untar of thousands of files does this); directory-watcher 0.19 fails on
 * that OVERFLOW's missing path instead of passing it on, so any failure the watcher reports is taken as
 * an overflow too.
 *
 * <p>Classification: a path absent from the snapshot and present on disk is {@code CREATED}; the
 * reverse is {@code DELETED}; a deleted path and a created path with the same file key (device,
 * inode) in one flush are one {@code RENAMED}. The two halves of a rename may reach the watcher in
 * different windows (a loaded host, a move between folders), so a vanished entry is held for one more
 * window before it is reported as deleted, and the new names beside a vanished one are read at once; a
 * pair where only one side is the guest's own change, or a file whose size or modification time differ,
 * is not a rename but a freed inode number reused.
 * A path present in both is {@code MODIFIED} when its size,
 * modification time or file key changed (editors that save by renaming a temporary file over the
 * target replace the inode: the guest sees a modification of the target), {@code ATTRIB} when only
 * mode, owner or change time changed. A directory that appears is walked, so its contents are
 * reported even when the watcher reported only the directory (a folder moved into the share); a
 * directory that disappears takes its snapshot subtree with it, deepest entries first.
 *
 * <p>Echo suppression: the 9P server reports each mutation the guest makes ({@link
 * dev.gangway.fsevents.watch.EchoFilter#guestChanged}); the flush that sees those paths updates the
 * snapshot silently, because the guest kernel has already fired its own events for them.
 *
 * <p>Limits: the snapshot holds one small record per file of the share (about 200 bytes); a share
 * larger than {@code maxEntries} (default one million) reports {@code OVERFLOW} once; entries past the
 * bound are still reported when they appear, but are not remembered, so a later change to one of them
 * is reported as a creation. Symbolic links are reported as entries and never followed.
 */
package dev.gangway.fsevents.watch;
