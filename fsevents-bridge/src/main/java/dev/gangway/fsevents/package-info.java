/**
 * Host file changes, delivered to the guest as the inotify events a local file system would fire.
 *
 * <p>9P has no change notification: a guest watching a shared folder sees only what the guest itself
 * does. The bridge closes that gap in three steps:
 * <ol>
 *   <li>{@link dev.gangway.fsevents.watch}: watch each share on the host (FSEvents or inotify through
 *       directory-watcher), coalesce bursts, and classify every change against a snapshot into one of
 *       created, modified, attributes changed, renamed or deleted; changes the guest made itself through
 *       the 9P server are recognised and not echoed back.</li>
 *   <li>{@link dev.gangway.fsevents.stream}: number the changes in a bounded journal and stream them to
 *       the guest agent, which acknowledges what it has applied and resumes from its last sequence
 *       number after a restart.</li>
 *   <li>The guest agent replays each change on the guest's own 9P mount, so the guest kernel itself
 *       emits the matching event to every watcher.</li>
 * </ol>
 */
package dev.gangway.fsevents;
