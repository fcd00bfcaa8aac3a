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

/** {@code gangway ports}: the forwards of the running daemon, with their counters. */
@Command(name = "ports", mixinStandardHelpOptions = true,
        description = "List forwarded ports: host side, guest side, who opened them (api or docker:NAME),"
                + " connections open/total/failed and bytes each way.")
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
}
