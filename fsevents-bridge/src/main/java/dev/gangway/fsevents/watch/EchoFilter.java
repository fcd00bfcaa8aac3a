package dev.gangway.fsevents.watch;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paths the guest changed itself through the 9P server. The guest kernel fired its own inotify events for
 * those changes, so the host's echo of them must not be replayed: a flush that sees such a path within
 * {@code ttl} of the guest's last change to it updates its snapshot and stays silent. The price is that
 * a host change to the very path the guest changed less than {@code ttl} ago is not replayed either.
 *
 * <p>Bounded: at most {@code maxEntries} paths are remembered; past that, expired entries are dropped and
 * then new ones are refused (the guest may then see an echo, never a lost change).
 */
public final class EchoFilter {
    private final ConcurrentHashMap<String, Long> expiries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;

    public EchoFilter(Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    public EchoFilter() {
        this(Duration.ofSeconds(1), 100_000);
    }

    /** Called for every mutation the guest makes, with the path relative to the share root. */
    public void guestChanged(String path) {
        long now = System.nanoTime();
        if (expiries.size() >= maxEntries) {
            expiries.values().removeIf(expiry -> expiry - now < 0);
            if (expiries.size() >= maxEntries) {
                return;
            }
        }
        expiries.put(path, now + ttlNanos);
    }

    /** True when the guest changed {@code path} less than the ttl ago. */
    boolean isEcho(String path) {
        var expiry = expiries.get(path);
        if (expiry == null) {
            return false;
        }
        if (expiry - System.nanoTime() > 0) {
            return true;
        }
        expiries.remove(path, expiry);
        return false;
    }
}
