package dev.gangway.fsevents.replay;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pending replay expectations of one share (see the package documentation). Thread-safe.
 */
public final class ReplayBook {
    private sealed interface Expectation permits Hidden, Shown {
        long expiresAt();
    }

    private record Hidden(long expiresAt) implements Expectation {}

    private record Shown(Ghost ghost, long expiresAt) implements Expectation {}

    private final LinkedHashMap<String, Expectation> byPath = new LinkedHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private long dropped;

    public ReplayBook(Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    public ReplayBook() {
        this(Duration.ofMinutes(5), 200_000);
    }

    /** The host created {@code path}: hide it from the agent until it has replayed the creation. */
    public synchronized void expectCreate(String path) {
        put(path, new Hidden(System.nanoTime() + ttlNanos));
    }

    /** The host removed {@code path}: show it to the agent as {@code ghost} until it has replayed the removal. */
    public synchronized void expectRemoval(String path, Ghost ghost) {
        put(path, new Shown(ghost, System.nanoTime() + ttlNanos));
    }

    /** True when the agent's lookup of {@code path} must fail with ENOENT. */
    public synchronized boolean isHidden(String path) {
        return live(path) instanceof Hidden;
    }

    /** The ghost to show the agent at {@code path}, or null. */
    public synchronized Ghost ghost(String path) {
        return live(path) instanceof Shown(Ghost ghost, long ignored) ? ghost : null;
    }

    /** The agent's call on {@code path} completed: the expectation is met. */
    public synchronized void completed(String path) {
        byPath.remove(path);
    }

    /** Expectations dropped because the book was full. */
    public synchronized long dropped() {
        return dropped;
    }

    public synchronized int size() {
        return byPath.size();
    }

    private Expectation live(String path) {
        var expectation = byPath.get(path);
        if (expectation != null && expectation.expiresAt() - System.nanoTime() < 0) {
            byPath.remove(path);
            return null;
        }
        return expectation;
    }

    private void put(String path, Expectation expectation) {
        byPath.remove(path);
        byPath.put(path, expectation);
        if (byPath.size() > maxEntries) {
            Iterator<Map.Entry<String, Expectation>> oldest = byPath.entrySet().iterator();
            oldest.next();
            oldest.remove();
            dropped++;
        }
    }
}
