package dev.gangway.launcher.cli;

import dev.gangway.launcher.up.GangwayHome;
import dev.gangway.launcher.up.Launcher;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gangway down}: stops the Docker VM and everything {@code up} started. */
@Command(name = "down", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Stop the Docker VM: dockerd stops and the guest powers off (forced after a timeout), then"
                + " the daemon closes its ports and sockets. Images stay on the data disk.")
public final class DownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        new Launcher(GangwayHome.resolve(), spec.commandLine().getOut()).down();
        return 0;
    }
}
