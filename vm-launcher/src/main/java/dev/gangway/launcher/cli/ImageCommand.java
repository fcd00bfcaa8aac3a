package dev.gangway.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gangway image}: guest images; {@code build} is its one subcommand so far. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, name = "image", description = "Build guest images.", subcommands = {ImageBuildCommand.class})
public final class ImageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
