package dev.gangway.launcher.cli;

import dev.gangway.forward.api.ApiClient;
import dev.gangway.forward.api.ApiException;
import dev.gangway.forward.api.ApiSocketPath;
import dev.gangway.forward.api.PortMapping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gangway unexpose}: stop forwarding host ports. */
@Command(name = "unexpose", mixinStandardHelpOptions = true,
        description = "Stop forwarding: [HOSTADDR:]HOSTPORT[/udp] (a full mapping as given to expose also works),"
                + " or /PATH.sock. Connections in flight carry on until they end.")
public final class UnexposeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MAPPING", description = "What to stop forwarding (repeatable).")
    List<String> mappings;

    @Option(names = "--api", paramLabel = "SOCKET",
            description = "The daemon's control socket (default: $XDG_RUNTIME_DIR/gangway/api.sock or"
                    + " ~/.gangway/run/api.sock).")
    Path api;

    @Override
    public Integer call() {
        var client = new ApiClient(api == null ? ApiSocketPath.defaultPath() : api);
        for (var mapping : mappings) {
            PortMapping.HostSide side;
            try {
                side = PortMapping.forUnexpose(mapping);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage() + "; fix: see 'gangway unexpose --help'");
            }
            try {
                var view = client.unexpose(side.protocol(), side.host());
                spec.commandLine().getOut().println("stopped " + view.host() + "/" + view.protocol() + " -> " + view.guest());
            } catch (ApiException e) {
                throw new UserError(e.getMessage());
            } catch (IOException e) {
                throw ExposeCommand.unreachable(client.socket(), e);
            }
        }
        return 0;
    }
}
