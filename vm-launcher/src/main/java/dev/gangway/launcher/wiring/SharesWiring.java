package dev.gangway.launcher.wiring;

import dev.gangway.fsevents.FsEventsBridge;
import dev.gangway.ninep.server.MutationListener;
import dev.gangway.ninep.server.NinePServer;
import dev.gangway.ninep.server.ReplayPolicy;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.ninep.transport.NinePChannelInitializer;
import dev.gangway.stack.service.NetworkServices;
import dev.gangway.stack.service.Protocol;
import dev.gangway.stack.service.ServiceBinding;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Host folders for a guest: the 9P server and the file-events bridge for a set of shares, started together,
 * joined, and bound on the gateway through the stack's {@link NetworkServices#listen}.
 *
 * <pre>{@code
 * try (var shares = SharesWiring.start(stack.services(), List.of(
 *         SharesWiring.Share.watched("src", Path.of("/home/me/src")),
 *         SharesWiring.Share.readOnly("gangway-agent", AgentRuntime.ensure().dir())),
 *         SharesWiring.Options.defaults())) {
 *     // guest: mount -t 9p -o <shares.mountOptions("src")> 192.168.65.1 /mnt/src
 *     //        /opt/gangway-agent/bin/gangway-agent <shares.agentArguments(...)>
 * }
 * }</pre>
 *
 * <p>What is joined (see the package documentation): the bridge's replay books answer the 9P server's
 * {@link ReplayPolicy} for the agent's attach (guest uid {@link Options#agentUid()}), and every change any
 * other guest uid makes through the server feeds the bridge's echo filter, so the guest's own writes are not
 * replayed back to it.
 */
public final class SharesWiring implements AutoCloseable {
    /** The 9P port on the gateway (IANA's 9pfs port). */
    public static final int NINEP_PORT = 564;
    /** The event stream's port on the gateway. */
    public static final int AGENT_PORT = 5640;
    /**
     * The guest uid the agent replays as. No guest account may use it: the server treats every request of
     * that uid on a watched share as a replay, which never changes host data.
     */
    public static final int AGENT_UID = 64_999;

    /**
     * One host folder exported to the guest. A watched share gets file events (it must be writable); an
     * unwatched one is plain 9P, e.g. the agent's own runtime exported read-only.
     */
    public record Share(String name, Path hostPath, boolean readOnly, boolean watched) {
        public Share {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(hostPath, "hostPath");
            if (readOnly && watched) {
                throw new IllegalArgumentException("share " + name + ": a watched share must be writable");
            }
        }

        /** A read-write share with file events. */
        public static Share watched(String name, Path hostPath) {
            return new Share(name, hostPath, false, true);
        }

        /** A read-only share without file events. */
        public static Share readOnly(String name, Path hostPath) {
            return new Share(name, hostPath, true, false);
        }
    }

    /**
     * @param gateway the gateway address both services are bound on
     * @param ownership how guest ownership maps onto the host ({@code passthrough} when the daemon is root)
     * @param agentUid the guest uid of the agent's replays
     * @param msize the largest 9P message the server accepts (the Linux client's limit over TCP is 1 MiB)
     * @param bridge the bridge's tunables
     */
    public record Options(InetAddress gateway, Ownership ownership, int agentUid, int msize,
            FsEventsBridge.Options bridge) {
        /** Docker Desktop's gateway 192.168.65.1, mapped ownership (or passthrough as root), 1 MiB messages. */
        public static Options defaults() {
            try {
                var root = "root".equals(System.getProperty("user.name"));
                return new Options(InetAddress.getByName("192.168.65.1"),
                        root ? Ownership.passthrough() : Ownership.mapped(), AGENT_UID, 1 << 20,
                        FsEventsBridge.Options.DEFAULTS);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        public Options withGateway(InetAddress address) {
            return new Options(address, ownership, agentUid, msize, bridge);
        }

        public Options withOwnership(Ownership choice) {
            return new Options(gateway, choice, agentUid, msize, bridge);
        }

        public Options withBridge(FsEventsBridge.Options tunables) {
            return new Options(gateway, ownership, agentUid, msize, tunables);
        }
    }

    private final Options options;
    private final Map<String, Share> shares;
    private final NinePServer server;
    private final FsEventsBridge bridge;
    private final List<ServiceBinding> bindings = new ArrayList<>();

    private SharesWiring(Options options, Map<String, Share> shares, NinePServer server, FsEventsBridge bridge) {
        this.options = options;
        this.shares = shares;
        this.server = server;
        this.bridge = bridge;
    }

    /**
     * Takes the snapshot of every watched share, starts the 9P server, and binds 9P on
     * {@code gateway:564} and, when a share is watched, the event stream on {@code gateway:5640}.
     */
    public static SharesWiring start(NetworkServices services, List<Share> shares, Options options)
            throws IOException {
        var byName = new LinkedHashMap<String, Share>();
        for (var share : shares) {
            if (byName.putIfAbsent(share.name(), share) != null) {
                throw new IllegalArgumentException("share " + share.name() + " given twice");
            }
        }
        var watched = new LinkedHashMap<String, Path>();
        byName.values().stream().filter(Share::watched).forEach(s -> watched.put(s.name(), s.hostPath()));
        var bridge = watched.isEmpty() ? null : FsEventsBridge.start(watched, options.bridge());
        SharesWiring wiring = null;
        try {
            var builder = NinePServer.builder().ownership(options.ownership());
            byName.values().forEach(s -> builder.share(s.name(), s.hostPath(), s.readOnly()));
            if (bridge != null) {
                builder.mutationListener(echoes(bridge, watched.keySet(), options.agentUid()))
                        .replayPolicy(replays(bridge, watched.keySet(), options.agentUid()));
            }
            wiring = new SharesWiring(options, Map.copyOf(byName), builder.build(), bridge);
            wiring.bindings.add(services.listen(options.gateway(), NINEP_PORT, Protocol.TCP,
                    new NinePChannelInitializer(wiring.server, Math.min(options.msize(),
                            wiring.server.limits().maxMsize()))));
            if (bridge != null) {
                wiring.bindings.add(services.listen(options.gateway(), AGENT_PORT, Protocol.TCP,
                        bridge.streamService()));
            }
            return wiring;
        } catch (IOException | RuntimeException e) {
            closeQuietly(wiring, bridge);
            throw e;
        }
    }

    /** The 9P server (its stats, limits and shares). */
    public NinePServer ninePServer() {
        return server;
    }

    /** The events bridge, absent when no share is watched (its journal and stream stats). */
    public Optional<FsEventsBridge> bridge() {
        return Optional.ofNullable(bridge);
    }

    public InetSocketAddress ninePAddress() {
        return new InetSocketAddress(options.gateway(), NINEP_PORT);
    }

    public InetSocketAddress agentAddress() {
        return new InetSocketAddress(options.gateway(), AGENT_PORT);
    }

    /**
     * The {@code mount -t 9p -o} options for {@code share}: TCP to the gateway, 9P2000.L, the largest message;
     * a read-only share is mounted {@code ro} with {@code cache=loose} (its files never change under it), a
     * watched one with {@code cache=none} so that every lookup reaches the server.
     */
    public String mountOptions(String share) {
        var spec = shares.get(share);
        if (spec == null) {
            throw new IllegalArgumentException("no share named " + share);
        }
        return "trans=tcp,port=" + NINEP_PORT + ",version=9p2000.L,msize=" + options.msize()
                + (spec.readOnly() ? ",ro,cache=loose" : ",cache=none") + ",aname=" + share;
    }

    /**
     * The agent's arguments for the guest: the stream on the gateway, each watched share at
     * {@code mounts.get(name)} (every watched share must be mounted), the state file and the replay uid.
     */
    public List<String> agentArguments(Map<String, String> mounts, String stateFile) {
        var args = new ArrayList<>(List.of("--connect",
                options.gateway().getHostAddress() + ":" + AGENT_PORT, "--state", stateFile,
                "--fsuid", options.agentUid() + ":" + options.agentUid()));
        for (var share : shares.values()) {
            if (!share.watched()) {
                continue;
            }
            var mount = mounts.get(share.name());
            if (mount == null) {
                throw new IllegalArgumentException("watched share " + share.name() + " has no guest mount in "
                        + mounts.keySet());
            }
            args.addAll(List.of("--share", share.name() + "=" + mount));
        }
        return args;
    }

    @Override
    public void close() {
        bindings.forEach(ServiceBinding::close);
        bindings.clear();
        server.close();
        if (bridge != null) {
            bridge.close();
        }
    }

    private static void closeQuietly(SharesWiring wiring, FsEventsBridge bridge) {
        if (wiring != null) {
            wiring.close();
        } else if (bridge != null) {
            bridge.close();
        }
    }

    /** Every change a guest user (not the agent) makes through a watched share is an echo to suppress. */
    private static MutationListener echoes(FsEventsBridge bridge, Set<String> watched, int agentUid) {
        return mutation -> {
            if (mutation.uid() == agentUid || !watched.contains(mutation.share())) {
                return;
            }
            var echo = bridge.echoFilter(mutation.share());
            echo.guestChanged(mutation.path());
            if (mutation.toPath() != null) {
                echo.guestChanged(mutation.toPath());
            }
        };
    }

    /** The 9P server's view of the bridge's replay books, for the agent's uid on watched shares only. */
    private static ReplayPolicy replays(FsEventsBridge bridge, Set<String> watched, int agentUid) {
        var watchedShares = Set.copyOf(watched);
        return new ReplayPolicy() {
            @Override
            public boolean isAgent(String share, int uid) {
                return uid == agentUid && watchedShares.contains(share);
            }

            @Override
            public boolean isHidden(String share, String path) {
                return watchedShares.contains(share) && bridge.replayBook(share).isHidden(path);
            }

            @Override
            public ReplayPolicy.Ghost ghost(String share, String path) {
                if (!watchedShares.contains(share)) {
                    return null;
                }
                dev.gangway.fsevents.replay.Ghost g = bridge.replayBook(share).ghost(path);
                return g == null ? null
                        : new ReplayPolicy.Ghost(g.dev(), g.ino(), g.mode(), g.uid(), g.gid(), g.size(),
                                g.mtimeNanos(), g.ctimeNanos());
            }

            @Override
            public void completed(String share, String path) {
                if (watchedShares.contains(share)) {
                    bridge.replayBook(share).completed(path);
                }
            }

            @Override
            public String toString() {
                return "replays of " + watchedShares.stream().collect(Collectors.joining(","));
            }
        };
    }
}
