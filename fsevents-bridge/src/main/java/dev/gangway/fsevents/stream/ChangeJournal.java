package dev.gangway.fsevents.stream;

import dev.gangway.fsevents.watch.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bounded ring of numbered changes, shared by every share's watcher (writers) and every stream session
 * (readers). Sequence numbers start at 1 and never repeat within an epoch. Thread-safe.
 */
public final class ChangeJournal {
    private final StreamMessage.Event[] ring;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final long epoch;
    private long next = 1;

    public ChangeJournal(int capacity, long epoch) {
        if (capacity < 1 || epoch == 0) {
            throw new IllegalArgumentException("capacity must be positive and epoch non-zero");
        }
        this.ring = new StreamMessage.Event[capacity];
        this.epoch = epoch;
    }

    public long epoch() {
        return epoch;
    }

    /** Appends the changes of one share in order and wakes the sessions. */
    public void append(String share, List<Change> changes) {
        synchronized (this) {
            for (var change : changes) {
                ring[(int) (next % ring.length)] = new StreamMessage.Event(next, share, change);
                next++;
            }
        }
        listeners.forEach(Runnable::run);
    }

    /** The seq the next appended change will get. */
    public synchronized long next() {
        return next;
    }

    /** The oldest seq still held. */
    public synchronized long oldest() {
        return Math.max(1, next - ring.length);
    }

    /** Up to {@code max} events from {@code from} on; from must not be older than {@link #oldest()}. */
    public synchronized List<StreamMessage.Event> read(long from, int max) {
        if (from < oldest()) {
            throw new IllegalArgumentException("seq " + from + " is no longer held; oldest is " + oldest());
        }
        var events = new ArrayList<StreamMessage.Event>((int) Math.min(max, Math.max(0, next - from)));
        for (long seq = from; seq < next && events.size() < max; seq++) {
            events.add(ring[(int) (seq % ring.length)]);
        }
        return events;
    }

    /** Called after every append, on the appending thread; must only schedule work. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }
}
