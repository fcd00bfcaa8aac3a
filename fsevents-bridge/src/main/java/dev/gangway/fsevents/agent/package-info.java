/**
 * The guest agent: runs inside the VM, receives the event stream and makes the guest kernel fire the
 * inotify events that host changes would have fired on a local file system.
 *
 * <h2>Why replay, and how</h2>
 * The guest kernel emits an inotify event only for an operation it performs itself on its own inode.
 * So the agent performs, on the guest's 9P mount, the one system call whose event matches the change,
 * and the 9P server completes that call against the host's current state without changing host data:
 * <table>
 *   <caption>Replay of each kind of change</caption>
 *   <tr><th>change</th><th>agent's call</th><th>guest event</th><th>what the server does for the agent</th></tr>
 *   <tr><td>created file</td><td>{@code mknod(S_IFREG)}</td><td>IN_CREATE</td>
 *       <td>hides the name from the agent's lookups until the mknod, then answers the mknod with the
 *       existing entry's qid</td></tr>
 *   <tr><td>created directory</td><td>{@code mkdir}</td><td>IN_CREATE|IN_ISDIR</td><td>the same</td></tr>
 *   <tr><td>modified</td><td>{@code truncate} to the current size</td><td>IN_MODIFY</td>
 *       <td>accepts the setattr and ignores it</td></tr>
 *   <tr><td>attributes</td><td>{@code chmod} to the current mode</td><td>IN_ATTRIB</td>
 *       <td>accepts the setattr and ignores it</td></tr>
 *   <tr><td>renamed</td><td>{@code rename}</td><td>IN_MOVED_FROM + IN_MOVED_TO</td>
 *       <td>shows the old name to the agent as a ghost of the moved entry (same qid), hides the new
 *       name, and accepts the rename without acting</td></tr>
 *   <tr><td>deleted</td><td>{@code unlink} or {@code rmdir}</td><td>IN_DELETE</td>
 *       <td>shows the name to the agent as a ghost until the unlink, which succeeds once</td></tr>
 * </table>
 * The server tells the agent's requests from everyone else's by their attach: with the 9P2000.L
 * default {@code access=client} the Linux client attaches once per file-system uid, and the agent's
 * replaying thread acts as a uid of its own. It starts as root and changes only that thread's fsuid,
 * raising root's file capabilities again ({@code CAP_DAC_OVERRIDE}, {@code CAP_FOWNER}, ...), so the
 * guest's own permission checks pass wherever the change happened. Ghosts and hidden names exist only
 * for that attach, only for changes the bridge has sent and not yet seen completed, and they expire.
 *
 * <h2>One inode per directory: pins</h2>
 * An inotify watch belongs to an inode, and with the mount's default {@code cache=none} (which the share
 * needs so that the guest reads host data as it is) the Linux 9P client (6.1) deletes a dentry as soon as it
 * is unused and gives every new lookup a new inode. A watcher's {@code inotify_add_watch} on a directory and
 * the agent's later call in that directory would then meet on two different inodes, and the event would
 * reach nobody. So the agent keeps every directory of each share in use ({@link
 * dev.gangway.fsevents.agent.DirectoryPins}: one {@code O_PATH} descriptor per directory, taken when the agent
 * starts and kept up to date as it replays mkdir, rmdir and renames): every lookup, by a watcher, a guest
 * program or the agent, finds the pinned dentry and its one inode. Measured against the guest kernel in
 * {@code FsEventsIT}; without pins, events in subdirectories were lost.
 *
 * <p>Limits of pinning: watchers must start after the agent has pinned (its log says "pinned N
 * directories"; the guest's init starts the agent right after mounting, before anything else). While the
 * agent is down (restarted by the init), nothing is pinned: a watch a program adds on a subdirectory in that
 * gap, and the watches on subdirectories made before the agent restarted, sit on inodes the new agent's
 * lookups do not reach, so their events are lost until the watcher adds its watches again (watches on the
 * share's root always work: the root is held by the mount). Directories the guest creates itself are not
 * pinned (the host does not echo them to the agent), so changes in them reach only watches added through
 * the same dentry while it is in use. A directory created by the host is pinned right after the agent's
 * mkdir; a watcher that looks it up in between (on one vCPU the lookups share the agent's, on several they
 * can race) misses the events inside it. At most {@link dev.gangway.fsevents.agent.MountReplayer#DEFAULT_PIN_LIMIT}
 * directories are pinned per share. Watches on single files (not directories) see only changes made through
 * the same lookup; {@code inotifywait -r}, chokidar, webpack, nodemon and the like watch directories.
 *
 * <h2>The overflow signal</h2>
 * When the host cannot say what changed (its watcher overflowed and the share was rescanned, the journal
 * dropped events an absent agent had not yet taken, or the daemon restarted under a running agent), the
 * stream carries an {@code OVERFLOW} event and the agent does {@code chmod} on the share's mount point to
 * its current mode: watchers see IN_ATTRIB|IN_ISDIR on the share's root (with {@code inotifywait -r}:
 * {@code ATTRIB,ISDIR /mnt/share/}), the signal to rescan. Events for what the host found in its rescan
 * follow; what the journal dropped is not replayed, but the guest's listings are right at once, since the
 * mount caches nothing. The agent also pins any directory it had not pinned yet.
 *
 * <p>When a kind cannot be produced (a guest process keeps the entry's dentry alive, so the kernel
 * answers the mknod with EEXIST without asking the server), the agent falls back to {@code chmod} on
 * the path: the guest sees IN_ATTRIB for it, and {@link dev.gangway.fsevents.agent.MountReplayer}
 * counts the fallback.
 *
 * <h2>Pieces</h2>
 * {@link dev.gangway.fsevents.agent.EventStreamClient} is the agent's end of the stream over a
 * blocking socket (the agent runs on a small runtime without Netty); {@link
 * dev.gangway.fsevents.agent.AgentState} keeps its position so that a restarted agent resumes. Delivery
 * is at least once: an event applied but not yet acknowledged when the agent dies is applied again
 * after the restart, which the server's replay rules make harmless (a second unlink of a ghost that
 * is gone fails with ENOENT, which the agent treats as done).
 *
 * <h2>Limits</h2>
 * The agent acts only beneath the mount of a configured share and never follows a symbolic link: each
 * path's parent is opened with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)} from the mount's
 * root and the call is made relative to it.
 */
package dev.gangway.fsevents.agent;
