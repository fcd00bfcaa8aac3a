package dev.gangway.fsevents.agent;

import dev.gangway.posix.Credentials;
import dev.gangway.posix.PosixException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The guest agent's entry point: {@code GuestAgent --connect HOST:PORT --share NAME=MOUNT... --state FILE
 * --fsuid UID:GID}. Connects to the host's event stream, replays every change on the share mounts, and
 * reconnects with backoff (100 ms doubling to 2 s) whenever the connection ends; it exits only on bad
 * arguments or credentials it cannot take (code 2). The guest's init starts it as root and restarts it if it
 * dies; the thread that replays acts on files as {@code UID:GID} (the 9P server knows the agent's attach
 * by that uid) with root's file capabilities kept ({@link Credentials#actAsFsUser}).
 */
public final class GuestAgent {
    private GuestAgent() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("gangway-agent: " + e.getMessage()
                    + " (usage: --connect HOST:PORT --share NAME=MOUNT... --state FILE --fsuid UID:GID)");
            System.exit(2);
            return;
        }
        try {
            Credentials.actAsFsUser(options.fsuid(), options.fsgid());
        } catch (PosixException e) {
            System.err.println("gangway-agent: cannot act as " + options.fsuid() + ":" + options.fsgid() + ": "
                    + e.getMessage() + " (the agent must start as root)");
            System.exit(2);
            return;
        }
        try (var replayer = new MountReplayer(options.mounts())) {
            // Before the first connection: watchers that start after this line meet the agent on one inode
            // per directory (see DirectoryPins).
            replayer.pinAll();
            long backoff = 100;
            while (true) {
                var state = AgentState.load(options.state());
                try (var client = EventStreamClient.connect(options.host(), 2000)) {
                    System.err.println("gangway-agent: connected to " + options.host() + ", resuming after "
                            + state.lastApplied());
                    backoff = 100;
                    client.run(state, replayer);
                } catch (IOException e) {
                    System.err.println("gangway-agent: " + e.getMessage() + "; retrying in " + backoff + " ms");
                }
                Thread.sleep(backoff);
                backoff = Math.min(2000, backoff * 2);
            }
        }
    }

    record Options(InetSocketAddress host, Map<String, Path> mounts, Path state, int fsuid, int fsgid) {
        static Options parse(String[] args) {
            InetSocketAddress host = null;
            Path state = null;
            int fsuid = -1;
            int fsgid = -1;
            var mounts = new LinkedHashMap<String, Path>();
            for (int i = 0; i < args.length; i++) {
                var value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--connect" -> host = address(require(value, "--connect"));
                    case "--state" -> state = Path.of(require(value, "--state"));
                    case "--fsuid" -> {
                        var ids = require(value, "--fsuid").split(":", -1);
                        try {
                            fsuid = Integer.parseInt(ids[0]);
                            fsgid = Integer.parseInt(ids.length > 1 ? ids[1] : ids[0]);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--fsuid takes UID[:GID], not " + value);
                        }
                        if (fsuid <= 0 || fsgid <= 0) {
                            throw new IllegalArgumentException("--fsuid must name a uid other than root");
                        }
                    }
                    case "--share" -> {
                        var spec = require(value, "--share");
                        int eq = spec.indexOf('=');
                        if (eq <= 0 || !spec.substring(eq + 1).startsWith("/")) {
                            throw new IllegalArgumentException("--share takes NAME=/absolute/mount, not " + spec);
                        }
                        mounts.put(spec.substring(0, eq), Path.of(spec.substring(eq + 1)));
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            if (host == null || state == null || mounts.isEmpty() || fsuid < 0) {
                throw new IllegalArgumentException("--connect, --state, --fsuid and at least one --share are required");
            }
            return new Options(host, mounts, state, fsuid, fsgid);
        }

        private static String require(String value, String flag) {
            if (value == null) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return value;
        }

        private static InetSocketAddress address(String value) {
            int colon = value.lastIndexOf(':');
            try {
                return new InetSocketAddress(value.substring(0, colon),
                        Integer.parseInt(value.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--connect takes HOST:PORT, not " + value);
            }
        }
    }
}
