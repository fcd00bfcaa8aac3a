package dev.gangway.stack.wire;

/**
 * The outcome of parsing guest bytes: a value, or the reason they were refused. Parsers return this
 * instead of throwing, so that malformed input costs a counter, not an exception.
 */
public sealed interface Parsed<T> permits Parsed.Ok, Parsed.Refused {
    record Ok<T>(T value) implements Parsed<T> {
    }

    record Refused<T>(Malformed reason) implements Parsed<T> {
    }

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> refused(Malformed reason) {
        return new Refused<>(reason);
    }
}
