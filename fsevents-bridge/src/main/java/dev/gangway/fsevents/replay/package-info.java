/**
 * What the 9P server needs to complete the guest agent's replay calls: for each change the bridge has
 * sent and the agent has not yet replayed, the names to hide from the agent's lookups (entries the host
 * created, so that the agent's {@code mknod} or {@code mkdir} reaches the server) and the ghosts to show
 * it (entries the host removed or renamed away, so that its {@code unlink} or {@code rename} finds
 * them, with the identity and attributes they had). See {@link dev.gangway.fsevents.agent} for the
 * whole replay design.
 *
 * <p>The book is written by a share's flush thread and read by the 9P server's request threads. It
 * knows nothing of 9P: the daemon that hosts both hands the server an adapter.
 *
 * <p>Limits: an expectation ends when the server reports the replay done, or after {@code ttl} (the
 * agent may be away); at most {@code maxEntries} are held, the oldest dropped first. A dropped or
 * expired expectation degrades that one event (a create seen as IN_ATTRIB, a deletion not replayed),
 * never host data.
 */
package dev.gangway.fsevents.replay;
