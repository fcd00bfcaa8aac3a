package dev.gangway.launcher.cli;

import dev.gangway.forward.api.ApiClient;
import dev.gangway.forward.api.ApiException;
import dev.gangway.forward.api.ApiSocketPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gangway ports}: the forwards of the running daemon, with their counters; {@code gangway ports serve}
 * runs the forwarder on its own, dialing ordinary host addresses, until the stack's daemon hosts it.
 */
@Command(name = "ports", mixinStandardHelpOptions = true,
        description = "List forwarded ports: host side, guest side, who opened them (api or docker:NAME),"
                + " connections open/total/failed and bytes each way.",
        subcommands = PortsCommand.Serve.class)
public final class PortsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--api", paramLabel = "SOCKET",
            description = "The daemon's control socket (default: $XDG_RUNTIME_DIR/gangway/api.sock or"
                    + " ~/.gangway/run/api.sock).")
    Path api;

    @Override
    public Integer call() {
        var client = new ApiClient(api == null ? ApiSocketPath.defaultPath() : api);
        java.util.List<dev.gangway.forward.api.ForwardView> forwards;
        try {
            forwards = client.list();
        } catch (ApiException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw ExposeCommand.unreachable(client.socket(), e);
        }
        var out = spec.commandLine().getOut();
        var format = "%-5s %-32s %-24s %-16s %6s %8s %7s %14s %14s%n";
        out.printf(format, "PROTO", "HOST", "GUEST", "ORIGIN", "OPEN", "TOTAL", "FAILED", "TO-GUEST", "FROM-GUEST");
        for (var f : forwards) {
            out.printf(format, f.protocol(), f.host(), f.guest(), f.origin(), f.connections().active(),
                    f.connections().total(), f.connections().failed(), f.bytes().toGuest(), f.bytes().fromGuest());
        }
        out.flush();
        return 0;
    }

    /** {@code gangway ports serve}: the forwarder and its control API, guests reached as plain host addresses. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the port forwarder and its control API until interrupted. Guests are reached as"
                    + " ordinary addresses of this host's network (a VM's or namespace's IP), so 'gangway expose"
                    + " --guest IP' works without the userspace network.")
    public static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--api", paramLabel = "SOCKET",
                description = "Where to listen for the control API (default: $XDG_RUNTIME_DIR/gangway/api.sock or"
                        + " ~/.gangway/run/api.sock).")
        Path api;

        @Option(names = "--docker", paramLabel = "IP:PORT",
                description = "Publish the ports of the Docker engine listening there (e.g. 192.168.65.2:2375).")
        String docker;

        @Option(names = "--docker-bind-all",
                description = "Bind ports Docker publishes on all interfaces on all host interfaces too"
                        + " (default: loopback only).")
        boolean dockerBindAll;

        @Override
        public Integer call() {
            var options = dev.gangway.forward.ForwarderOptions.DEFAULT;
            if (docker != null) {
                java.net.InetSocketAddress engine;
                try {
                    engine = dev.gangway.forward.table.Endpoints.parse(docker);
                } catch (IllegalArgumentException e) {
                    throw new UserError("--docker: " + e.getMessage() + "; fix: pass the engine as IP:PORT, e.g. 192.168.65.2:2375");
                }
                var defaults = dev.gangway.forward.docker.DockerOptions.forGuest(engine.getAddress());
                options = options.withDocker(new dev.gangway.forward.docker.DockerOptions(engine, engine.getAddress(),
                        dockerBindAll, defaults.minBackoff(), defaults.maxBackoff()));
            }
            var socket = api == null ? ApiSocketPath.defaultPath() : api;
            var dialer = dev.gangway.forward.dial.HostNetworkDialer.create(2, java.time.Duration.ofSeconds(5));
            dev.gangway.forward.ForwarderService service;
            try {
                service = dev.gangway.forward.ForwarderService.start(dialer, socket, options);
            } catch (IOException e) {
                dialer.close();
                throw new UserError("cannot serve the control API at " + socket + ": " + e.getMessage()
                        + "; fix: stop the other daemon, or pass --api with a free path");
            }
            var out = spec.commandLine().getOut();
            out.println("forwarder API on " + service.apiSocket() + (docker == null ? "" : ", publishing Docker ports of " + docker));
            out.flush();
            var stopped = new java.util.concurrent.CountDownLatch(1);
            var hook = new Thread(() -> {
                service.close();
                dialer.close();
                stopped.countDown();
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // Stopped by the caller (tests, an embedding process): the interrupt is the request to stop,
                // honoured by closing below and returning normally.
                out.println("stopping");
            } finally {
                if (stopped.getCount() > 0) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    service.close();
                    dialer.close();
                }
            }
            return 0;
        }
    }
}
