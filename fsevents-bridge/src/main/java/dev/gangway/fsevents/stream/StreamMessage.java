package dev.gangway.fsevents.stream;

import dev.gangway.fsevents.watch.Change;

/** The messages of the event stream (see the package documentation for the exchange). */
public sealed interface StreamMessage {
    /** Agent → host, first message: the host epoch the agent last saw (0: none) and its last applied seq. */
    record Hello(long epoch, long lastApplied) implements StreamMessage {}

    /** Host → agent, answer to Hello: the host's epoch and the seq of the next event it will send. */
    record Welcome(long epoch, long next) implements StreamMessage {}

    /** Host → agent: one change of one share. */
    record Event(long seq, String share, Change change) implements StreamMessage {}

    /** Agent → host: every event up to and including {@code seq} is applied. */
    record Ack(long seq) implements StreamMessage {}
}
