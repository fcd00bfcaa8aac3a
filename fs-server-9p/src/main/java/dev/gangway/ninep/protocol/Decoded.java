package dev.gangway.ninep.protocol;

/**
 * What decoding one frame gives: a message, or the reason it is malformed. Bad input is a value here,
 * never an exception, so the server can answer it and go on.
 */
public sealed interface Decoded<M> {
    int tag();

    record Ok<M>(int tag, M message) implements Decoded<M> {
    }

    /** {@code type} is the message type byte as received (possibly unknown); {@code tag} may be NOTAG. */
    record Malformed<M>(int tag, int type, String reason) implements Decoded<M> {
    }
}
