package dev.gangway.fsevents;

import dev.gangway.fsevents.replay.ReplayBook;
import dev.gangway.fsevents.stream.ChangeJournal;
import dev.gangway.fsevents.stream.EventStreamServer;
import dev.gangway.fsevents.watch.EchoFilter;
import dev.gangway.fsevents.watch.ShareWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge for a set of shares: one watcher per share feeding one journal, and the stream service that
 * serves it to the guest agent. The daemon wires {@link #echoFilter} and {@link #replayBook} of each share
 * into the 9P server and hands {@link #streamService()} to a listener (the gateway's agent port).
 */
public final class FsEventsBridge implements AutoCloseable {
    /** Tunables: the journal's capacity bounds both memory and how long an absent agent can catch up. */
    public record Options(ShareWatcher.Options watch, int journalCapacity, int window) {
        public static final Options DEFAULTS =
                new Options(ShareWatcher.Options.DEFAULTS, 65_536, EventStreamServer.DEFAULT_WINDOW);
    }

    private record Share(EchoFilter echo, ReplayBook replays, ShareWatcher watcher) {}

    private final ChangeJournal journal;
    private final EventStreamServer streamService;
    private final Map<String, Share> shares = new LinkedHashMap<>();

    private FsEventsBridge(ChangeJournal journal, List<String> names, int window) {
        this.journal = journal;
        this.streamService = new EventStreamServer(journal, names, window);
    }

    /** Starts watching every share; returns when each one's snapshot is taken. */
    public static FsEventsBridge start(Map<String, Path> hostPaths, Options options) throws IOException {
        long epoch;
        do {
            epoch = new SecureRandom().nextLong();
        } while (epoch == 0);
        var bridge = new FsEventsBridge(new ChangeJournal(options.journalCapacity(), epoch),
                List.copyOf(hostPaths.keySet()), options.window());
        try {
            for (var entry : hostPaths.entrySet()) {
                var name = entry.getKey();
                var echo = new EchoFilter();
                var replays = new ReplayBook();
                var watcher = ShareWatcher.start(entry.getValue(), options.watch(), echo, replays,
                        changes -> bridge.journal.append(name, changes));
                bridge.shares.put(name, new Share(echo, replays, watcher));
            }
        } catch (IOException | RuntimeException e) {
            bridge.close();
            throw e;
        }
        return bridge;
    }

    public EventStreamServer streamService() {
        return streamService;
    }

    public ChangeJournal journal() {
        return journal;
    }

    public EchoFilter echoFilter(String share) {
        return share(share).echo();
    }

    public ReplayBook replayBook(String share) {
        return share(share).replays();
    }

    /** Entries in the share's snapshot, files and directories (for status and diagnostics). */
    public int watchedEntries(String share) {
        return share(share).watcher().entries();
    }

    private Share share(String name) {
        var share = shares.get(name);
        if (share == null) {
            throw new IllegalArgumentException("no share named " + name);
        }
        return share;
    }

    @Override
    public void close() {
        shares.values().forEach(s -> s.watcher().close());
    }
}
