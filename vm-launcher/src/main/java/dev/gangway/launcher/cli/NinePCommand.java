package dev.gangway.launcher.cli;

import dev.gangway.ninep.server.NinePServer;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.ninep.transport.NinePListener;
import dev.gangway.posix.PosixException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gangway 9p}: the 9P2000.L file server on its own. */
@Command(name = "9p", description = "The 9P2000.L file server on its own.", mixinStandardHelpOptions = true,
        subcommands = NinePCommand.Serve.class)
public final class NinePCommand extends CommandGroup {
    /** {@code gangway 9p serve}: serve host folders over 9P until interrupted. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve host folders over 9P2000.L until interrupted. In the guest:"
                    + " mount -t 9p -o trans=tcp,port=PORT,version=9p2000.L,msize=262144,aname=NAME HOST /mnt")
    public static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--share", required = true, paramLabel = "NAME=PATH[:ro]",
                description = "A folder the guest attaches by name (repeatable); ':ro' makes it read-only.")
        List<String> shares = new ArrayList<>();

        @Option(names = "--listen", paramLabel = "tcp:ADDR:PORT|unix:PATH",
                description = "Where to listen (repeatable; default: tcp:127.0.0.1:5640).")
        List<String> listens = new ArrayList<>();

        @Option(names = "--mode", paramLabel = "passthrough|mapped",
                description = "Ownership: passthrough keeps real owners and modes (needs root); mapped keeps what the"
                        + " guest sets in an extended attribute (default: passthrough as root, mapped otherwise).")
        String mode;

        @Override
        public Integer call() throws InterruptedException {
            var ownership = ownership();
            var builder = NinePServer.builder().ownership(ownership);
            for (var share : shares) {
                addShare(builder, share);
            }
            NinePServer server;
            try {
                server = builder.build();
            } catch (PosixException e) {
                throw new UserError("cannot open a share: " + e.getMessage() + "; fix: give existing folders to --share");
            }
            var listener = new NinePListener(server);
            var out = spec.commandLine().getOut();
            try {
                for (var listen : listens.isEmpty() ? List.of("tcp:127.0.0.1:5640") : listens) {
                    out.println("9p: listening on " + bind(listener, listen));
                }
            } catch (RuntimeException e) {
                listener.close();
                server.close();
                throw e;
            }
            for (var share : server.shares().values()) {
                out.println("9p: share " + share.name() + " = " + share.hostPath() + (share.readOnly() ? " (read-only)" : "")
                        + ", ownership " + (ownership instanceof Ownership.Mapped ? "mapped" : "passthrough"));
            }
            out.flush();
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                listener.close();
                server.close();
                stopped.countDown();
            }, "9p-shutdown"));
            stopped.await();
            return 0;
        }

        private Ownership ownership() {
            boolean root = isRoot();
            var chosen = mode == null ? (root ? "passthrough" : "mapped") : mode.toLowerCase(Locale.ROOT);
            return switch (chosen) {
                case "passthrough" -> {
                    if (!root) {
                        throw new UserError("--mode passthrough needs the server to run as root (it sets real owners);"
                                + " fix: run as root or use --mode mapped");
                    }
                    yield Ownership.passthrough();
                }
                case "mapped" -> Ownership.mapped();
                default -> throw new UserError("unknown --mode '" + mode + "'; fix: --mode passthrough or --mode mapped");
            };
        }

        private static void addShare(NinePServer.Builder builder, String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new UserError("--share '" + spec + "' is not NAME=PATH[:ro]; fix: e.g. --share code=/home/me/code");
            }
            var name = spec.substring(0, eq);
            var path = spec.substring(eq + 1);
            boolean readOnly = path.endsWith(":ro");
            if (readOnly) {
                path = path.substring(0, path.length() - 3);
            }
            var dir = Path.of(path);
            if (!Files.isDirectory(dir)) {
                throw new UserError("--share " + name + ": " + path + " is not a folder; fix: give an existing folder");
            }
            try {
                builder.share(name, dir, readOnly);
            } catch (IllegalArgumentException e) {
                throw new UserError("--share " + name + ": " + e.getMessage() + "; fix: give each share its own simple name");
            }
        }

        private static String bind(NinePListener listener, String listen) throws InterruptedException {
            try {
                if (listen.startsWith("unix:") && listen.length() > 5) {
                    var path = Path.of(listen.substring(5));
                    listener.listenUnix(path);
                    return "unix:" + path;
                }
                if (listen.startsWith("tcp:")) {
                    var rest = listen.substring(4);
                    int colon = rest.lastIndexOf(':');
                    if (colon > 0) {
                        var host = rest.substring(0, colon).replace("[", "").replace("]", "");
                        int port = Integer.parseInt(rest.substring(colon + 1));
                        var bound = listener.listenTcp(new InetSocketAddress(InetAddress.getByName(host), port));
                        return "tcp:" + bound.getAddress().getHostAddress() + ":" + bound.getPort();
                    }
                }
            } catch (NumberFormatException | UnknownHostException e) {
                // Reported below with the expected syntax.
            } catch (IOException | RuntimeException e) {
                throw new UserError("cannot listen on " + listen + ": " + e.getMessage()
                        + "; fix: choose a free port or a writable socket path");
            }
            throw new UserError("--listen '" + listen + "' is not tcp:ADDR:PORT or unix:PATH; fix: e.g. --listen tcp:127.0.0.1:5640");
        }

        private static boolean isRoot() {
            try {
                return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
    }
}
