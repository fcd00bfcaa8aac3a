/**
 * The guest agent: runs inside the VM, receives the event stream and makes the guest kernel fire the
 * inotify events that host changes would have fired on a local file system.
 *
 * <p>{@link dev.gangway.fsevents.agent.EventStreamClient} is the agent's end of the stream over a
 * blocking socket (the agent runs on a small runtime without Netty); {@link
 * dev.gangway.fsevents.agent.AgentState} keeps its position so that a restarted agent resumes. Delivery
 * is at least once: an event applied but not yet acknowledged when the agent dies is applied again
 * after the restart, so every replay is idempotent.
 */
package dev.gangway.fsevents.agent;
