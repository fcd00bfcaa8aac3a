package dev.gangway.fsevents.watch;

import dev.gangway.fsevents.replay.ReplayBook;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one share recursively and delivers its classified changes, in order, to one consumer.
 *
 * <p>Threads: directory-watcher's thread only adds paths to the dirty set; the share's flush thread
 * (one per share) owns the snapshot and calls the consumer. The consumer must not block for long.
 */
public final class ShareWatcher implements AutoCloseable {
    /** Tunables; the defaults suit a source tree edited by people and tools. */
    public record Options(Duration window, int maxEntries) {
        public static final Options DEFAULTS = new Options(Duration.ofMillis(30), 1_000_000);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ShareWatcher.class);

    private final Path root;
    private final Options options;
    private final Consumer<List<Change>> consumer;
    private final ChangeDetector detector;
    private final ScheduledExecutorService flusher;
    private final Object lock = new Object();
    private Set<String> dirty = new HashSet<>();
    private boolean flushScheduled;
    private boolean rescanRoot;
    private DirectoryWatcher watcher;

    private ShareWatcher(Path root, Options options, EchoFilter echo, ReplayBook replays,
            Consumer<List<Change>> consumer) {
        this.root = root;
        this.options = options;
        this.consumer = consumer;
        this.detector = new ChangeDetector(root, echo, replays, options.maxEntries());
        this.flusher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("fsevents-" + root.getFileName()).factory());
    }

    /**
     * Starts watching {@code root}. Returns once the watches are in place and the snapshot is taken, so
     * every change made after this returns is reported. Each reported creation, removal and rename is
     * entered in {@code replays} before the consumer sees it.
     */
    public static ShareWatcher start(Path root, Options options, EchoFilter echo, ReplayBook replays,
            Consumer<List<Change>> consumer) throws IOException {
        var real = root.toRealPath();
        var sw = new ShareWatcher(real, options, echo, replays, consumer);
        sw.watcher = DirectoryWatcher.builder()
                .path(real)
                .fileHashing(false)
                .listener(new DirectoryChangeListener() {
                    @Override
                    public void onEvent(DirectoryChangeEvent event) {
                        sw.onEvent(event);
                    }

                    @Override
                    public void onException(Exception e) {
                        sw.onWatcherException(e);
                    }
                })
                .logger(org.slf4j.helpers.NOPLogger.NOP_LOGGER)
                .build();
        sw.watcher.watchAsync(Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("fsevents-watch-" + real.getFileName()).factory()));
        try {
            sw.flusher.submit(() -> {
                sw.detector.takeSnapshot();
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while taking the snapshot of " + real, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("cannot read the share " + real + ": " + e.getCause().getMessage(), e.getCause());
        }
        return sw;
    }

    /** The lock the watcher's thread takes for each event (tests hold it to stall that thread). */
    Object lock() {
        return lock;
    }

    public Path root() {
        return root;
    }

    /** Entries in the snapshot (for status and tests). */
    public int entries() {
        try {
            return flusher.submit(detector::entries).get();
        } catch (Exception e) {
            return -1;
        }
    }

    private void onEvent(DirectoryChangeEvent event) {
        synchronized (lock) {
            if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW || event.path() == null) {
                rescanRoot = true;
            } else {
                dirty.add(detector.relative(event.path()));
            }
            scheduleFlush(options.window().toNanos());
        }
    }

    /**
     * The watcher failed on an event and went on with the next one: what that event stood for is unknown,
     * so the whole share is compared with the snapshot. This is also how an overflow arrives: when the
     * JDK's watch key drops events it queues an OVERFLOW without a path, and directory-watcher (0.19)
     * fails on that path before its listener sees the event.
     */
    void onWatcherException(Exception e) {
        synchronized (lock) {
            if (!rescanRoot) {
                // One line per rescan, however many events the watcher failed on before it runs.
                LOG.info("{}: the watcher lost an event ({}); rescanning the share", root, e.toString());
            }
            rescanRoot = true;
            scheduleFlush(options.window().toNanos());
        }
    }

    /** Schedules a flush after {@code delayNanos} unless one is pending; call holding {@link #lock}. */
    private void scheduleFlush(long delayNanos) {
        if (!flushScheduled) {
            flushScheduled = true;
            flusher.schedule(this::flush, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void flush() {
        Set<String> batch;
        boolean rescan;
        synchronized (lock) {
            batch = dirty;
            dirty = new HashSet<>();
            rescan = rescanRoot;
            rescanRoot = false;
            flushScheduled = false;
        }
        batch.remove("");
        try {
            var changes = rescan ? detector.rescan("") : detector.flush(batch);
            if (rescan) {
                LOG.info("{}: watcher overflow, rescanned the share ({} changes)", root, changes.size());
            }
            if (!changes.isEmpty()) {
                consumer.accept(changes);
            }
            if (detector.holdsRemovals()) {
                synchronized (lock) {
                    scheduleFlush(options.window().toNanos());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: change detection failed, rescanning: {}", root, e.toString());
            synchronized (lock) {
                rescanRoot = true;
                scheduleFlush(TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    @Override
    public void close() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            LOG.debug("{}: closing the watcher: {}", root, e.toString());
        }
        flusher.shutdownNow();
    }
}
