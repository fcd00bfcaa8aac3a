package dev.gangway.launcher.cli;

import dev.gangway.forward.api.ApiClient;
import dev.gangway.forward.api.ApiException;
import dev.gangway.forward.api.ApiSocketPath;
import dev.gangway.forward.api.PortMapping;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gangway expose}: open host ports (or a unix socket) into the guest through the running daemon. */
@Command(name = "expose", mixinStandardHelpOptions = true,
        description = "Forward host ports into the guest, like docker -p: [HOSTADDR:]HOSTPORT:GUESTPORT[/udp]"
                + " (HOSTADDR defaults to 127.0.0.1; IPv6 in brackets: [::1]:8080:80), or /PATH.sock:GUESTPORT"
                + " to carry a unix socket to a guest TCP port. Prints one line per forward.")
public final class ExposeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MAPPING", description = "What to forward (repeatable).")
    List<String> mappings;

    @Option(names = "--guest", defaultValue = "192.168.65.2", paramLabel = "IP",
            description = "The guest address to forward to (default: ${DEFAULT-VALUE}, the first guest).")
    String guest;

    @Option(names = "--api", paramLabel = "SOCKET",
            description = "The daemon's control socket (default: $XDG_RUNTIME_DIR/gangway/api.sock or"
                    + " ~/.gangway/run/api.sock).")
    Path api;

    @Override
    public Integer call() {
        InetAddress guestAddress;
        try {
            guestAddress = InetAddress.ofLiteral(guest);
        } catch (IllegalArgumentException e) {
            throw new UserError("--guest '" + guest + "' is not an IP address; fix: pass the guest's IP, e.g. --guest 192.168.65.2");
        }
        var client = new ApiClient(api == null ? ApiSocketPath.defaultPath() : api);
        for (var mapping : mappings) {
            dev.gangway.forward.api.ForwardRequest request;
            try {
                request = PortMapping.forExpose(mapping, guestAddress);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage() + "; fix: see 'gangway expose --help'");
            }
            try {
                var view = client.expose(request);
                spec.commandLine().getOut().println(view.host() + "/" + view.protocol() + " -> " + view.guest());
            } catch (ApiException e) {
                throw new UserError(e.getMessage());
            } catch (IOException e) {
                throw unreachable(client.socket(), e);
            }
        }
        return 0;
    }

    /** The one-line error for a daemon that does not answer; shared by the port commands. */
    static UserError unreachable(Path socket, IOException e) {
        return new UserError("no gangway daemon answers at " + socket + " (" + e.getMessage()
                + "); fix: start the gangway network daemon, or pass --api SOCKET");
    }
}
