package dev.gangway.launcher.cli;

import picocli.CommandLine.Command;

/** {@code gangway image}: guest images; {@code build} is its one subcommand so far. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, name = "image", description = "Build guest images.", subcommands = {ImageBuildCommand.class})
public final class ImageCommand extends CommandGroup {
}
