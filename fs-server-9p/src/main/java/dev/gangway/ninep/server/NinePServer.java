package dev.gangway.ninep.server;

import dev.gangway.ninep.share.Ownership;
import dev.gangway.ninep.share.QidMap;
import dev.gangway.ninep.share.ShareRoot;
import dev.gangway.posix.PosixException;
import io.netty.channel.Channel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A 9P2000.L server: its shares (attached by name), its ownership mode, its limits, and the virtual threads
 * that serve requests. Transports create one {@link Session} per connection with {@link #openSession}.
 */
public final class NinePServer implements AutoCloseable {
    private final Map<String, ShareRoot> shares;
    private final Map<String, Node> roots;
    final Ownership ownership;
    final MutationListener listener;
    final Limits limits;
    final QidMap qids = new QidMap();
    final Replay replay;
    final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("9p-", 0).factory());
    private final Stats stats = new Stats();
    private final AtomicLong lastMalformedLog = new AtomicLong(System.nanoTime() - 10_000_000_000L);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NinePServer.class);

    private NinePServer(Builder b) throws PosixException {
        this.ownership = b.ownership;
        this.listener = b.listener;
        this.replay = new Replay(b.replayPolicy, qids);
        this.limits = b.limits;
        this.shares = new LinkedHashMap<>();
        this.roots = new LinkedHashMap<>();
        try {
            for (var spec : b.shares.values()) {
                var root = ShareRoot.open(spec.name, spec.path, spec.readOnly);
                shares.put(spec.name, root);
                var st = dev.gangway.posix.FileCalls.statx(root.rootFd(), "",
                        dev.gangway.posix.FileCalls.AT_EMPTY_PATH);
                if (!st.isDirectory()) {
                    throw new PosixException("share " + spec.name, dev.gangway.posix.Errno.ENOTDIR);
                }
                roots.put(spec.name, Node.pinned(root.rootFd(), st, qids.qid(st)));
            }
        } catch (PosixException e) {
            shares.values().forEach(ShareRoot::close);
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The state of one connection; the transport feeds it frames on its event loop. */
    public Session openSession(Channel channel) {
        stats.connections.incrementAndGet();
        return new Session(this, channel);
    }

    public Limits limits() {
        return limits;
    }

    public Stats stats() {
        return stats;
    }

    /** Counts one piece of bad guest input; logs at most one line per ten seconds, with the count since. */
    void malformed(String what) {
        long total = stats.malformed.incrementAndGet();
        long now = System.nanoTime();
        long last = lastMalformedLog.get();
        if (now - last >= 10_000_000_000L && lastMalformedLog.compareAndSet(last, now)) {
            LOG.warn("9P: bad input from a client ({}); {} so far", what, total);
        }
    }

    public Map<String, ShareRoot> shares() {
        return Map.copyOf(shares);
    }

    /** The share for Tattach's aname: by name, or the only share when aname is empty. */
    ShareRoot share(String aname) {
        if (aname.isEmpty() && shares.size() == 1) {
            return shares.values().iterator().next();
        }
        var share = shares.get(aname.startsWith("/") ? aname.substring(1) : aname);
        return share;
    }

    Node root(ShareRoot share) {
        return roots.get(share.name());
    }

    @Override
    public void close() {
        executor.shutdown();
        shares.values().forEach(ShareRoot::close);
    }

    /** Counters of what the guest sent; bad input is counted here, never fatal. */
    public static final class Stats {
        final AtomicLong connections = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong malformed = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();

        public long connections() {
            return connections.get();
        }

        public long requests() {
            return requests.get();
        }

        public long malformed() {
            return malformed.get();
        }

        /** A frame the transport could not delimit (size field too large or too small). */
        public void countFramingError() {
            malformed.incrementAndGet();
        }

        public long errors() {
            return errors.get();
        }

        /** Requests taken and not yet answered (or cancelled), over every connection. */
        public long inFlight() {
            return inFlight.get();
        }
    }

    public static final class Builder {
        private final Map<String, ShareSpec> shares = new LinkedHashMap<>();
        private Ownership ownership = Ownership.passthrough();
        private MutationListener listener = MutationListener.NONE;
        private ReplayPolicy replayPolicy = ReplayPolicy.NONE;
        private Limits limits = Limits.defaults();

        public Builder share(String name, Path path, boolean readOnly) {
            if (name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException("share name must be non-empty and without '/': " + name);
            }
            if (shares.putIfAbsent(name, new ShareSpec(name, path, readOnly)) != null) {
                throw new IllegalArgumentException("share " + name + " given twice");
            }
            return this;
        }

        public Builder ownership(Ownership ownership) {
            this.ownership = ownership;
            return this;
        }

        public Builder mutationListener(MutationListener listener) {
            this.listener = listener;
            return this;
        }

        /** The events bridge's agent and its expectations; {@link ReplayPolicy#NONE} without a bridge. */
        public Builder replayPolicy(ReplayPolicy replayPolicy) {
            this.replayPolicy = replayPolicy;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        public NinePServer build() throws PosixException {
            if (shares.isEmpty()) {
                throw new IllegalArgumentException("a 9P server needs at least one share");
            }
            return new NinePServer(this);
        }
    }

    private record ShareSpec(String name, Path path, boolean readOnly) {
    }
}
