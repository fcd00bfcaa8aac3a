package dev.gangway.launcher.cli;

import picocli.CommandLine.Command;

/** {@code gangway vm}: guest VMs; {@code run} is its one subcommand so far. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, name = "vm", description = "Boot guest VMs.", subcommands = {VmRunCommand.class})
public final class VmCommand extends CommandGroup {
}
