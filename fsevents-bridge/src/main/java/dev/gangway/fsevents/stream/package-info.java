/**
 * The event stream from the host to the guest agent: a bounded, numbered journal of changes and the
 * protocol that carries it, resumably, over any byte stream (a connection the agent opens to the
 * gateway through the userspace stack, or a host TCP port for tests).
 *
 * <p>Wire format: every message is a frame, {@code length[4]} (big-endian, the bytes that follow)
 * {@code type[1]} and a body; strings are {@code len[2]} + UTF-8. Messages ({@link
 * dev.gangway.fsevents.stream.StreamMessage}): the agent opens with {@code Hello(epoch, lastApplied)};
 * the host answers {@code Welcome(epoch, next)} and sends {@code Event(seq, share, change)} in sequence
 * order; the agent sends {@code Ack(seq)} once it has applied everything up to {@code seq}, and stores
 * {@code (epoch, seq)} so that a restarted agent resumes where it stopped.
 *
 * <p>Resuming: the host's epoch is random per daemon start. An agent with the same epoch gets every
 * change after its last acknowledged one, as long as the journal still holds it; when the journal has
 * already dropped some (it is a ring of {@code capacity} entries) or the epoch differs (the daemon
 * restarted), the host first sends an {@code OVERFLOW} event per share, then continues with what it
 * has. A new agent (epoch 0) starts at the end of the journal.
 *
 * <p>Flow control: at most {@code window} events are unacknowledged per session, and the session writes
 * only while its channel is writable, so a slow agent costs journal slots, never memory: the journal
 * is the only buffer, and it is bounded.
 *
 * <p>Bad input: a frame longer than {@link dev.gangway.fsevents.stream.StreamCodec#MAX_FRAME}, an
 * unknown type or a malformed body closes the session and is counted; the agent reconnects.
 */
package dev.gangway.fsevents.stream;
