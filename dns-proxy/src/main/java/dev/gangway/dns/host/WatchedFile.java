package dev.gangway.dns.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small text file parsed into a value, re-read when it changes. {@link #get()} is cheap (a volatile
 * read) except at most once per check interval, when it stats the file.
 */
public final class WatchedFile<T> {
    private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final Path path;
    private final Function<List<String>, T> parser;
    private final LongSupplier nanoClock;
    private volatile T value;
    private volatile long nextCheck;
    private Object stamp;
    private long version;

    public WatchedFile(Path path, Function<List<String>, T> parser, LongSupplier nanoClock) {
        this.path = path;
        this.parser = parser;
        this.nanoClock = nanoClock;
        reload();
    }

    public Path path() {
        return path;
    }

    public T get() {
        long now = nanoClock.getAsLong();
        if (now - nextCheck >= 0) {
            synchronized (this) {
                if (now - nextCheck >= 0) {
                    reload();
                }
            }
        }
        return value;
    }

    /** How many times the contents were (re-)read; changes whenever {@link #get()} returns a new value. */
    public synchronized long version() {
        return version;
    }

    private synchronized void reload() {
        nextCheck = nanoClock.getAsLong() + CHECK_INTERVAL_NANOS;
        Object now = stampOf(path);
        if (value != null && Objects.equals(now, stamp)) {
            return;
        }
        List<String> lines;
        try {
            lines = now == null ? List.of() : Files.readAllLines(path, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            lines = List.of();
        }
        stamp = now;
        value = parser.apply(lines);
        version++;
    }

    private static Object stampOf(Path path) {
        try {
            var attrs = Files.readAttributes(path, BasicFileAttributes.class);
            return List.of(attrs.lastModifiedTime(), attrs.size(), String.valueOf(attrs.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }
}
