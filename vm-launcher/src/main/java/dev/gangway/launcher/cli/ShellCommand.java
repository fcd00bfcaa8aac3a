package dev.gangway.launcher.cli;

import dev.gangway.launcher.up.GangwayHome;
import dev.gangway.launcher.up.VmShell;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gangway shell}: commands in the Docker VM through its command channel. */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Run a command in the Docker VM as root (sh -c ARGS), or the script read from stdin; on a"
                + " terminal without ARGS, a prompt that runs each line. The exit code is the command's.")
public final class ShellCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "Kill a command after this long (default: ${DEFAULT-VALUE}).")
    long timeout;

    @Parameters(paramLabel = "ARGS", description = "The command line to run.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        var shell = new VmShell(GangwayHome.resolve(), timeout);
        if (!shell.running()) {
            throw new UserError("the Docker VM is not running; fix: gangway up");
        }
        if (!args.isEmpty()) {
            return shell.run(String.join(" ", args), System.out);
        }
        if (System.console() != null && System.console().isTerminal()) {
            return shell.prompt(System.in, System.out);
        }
        return shell.run(new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), System.out);
    }
}
