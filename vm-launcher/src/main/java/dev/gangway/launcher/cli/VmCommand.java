package dev.gangway.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gangway vm}: guest VMs; {@code run} is its one subcommand so far. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, name = "vm", description = "Boot guest VMs.", subcommands = {VmRunCommand.class})
public final class VmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
