package dev.gangway.launcher.cli;

import picocli.CommandLine.Command;

/** The top-level {@code gangway} command; each capability is a subcommand in its own file. */
@Command(
        name = "gangway",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "User-space network, host ports and host folders for a Linux VM.",
        subcommands = {
            VersionCommand.class,
            DoctorCommand.class,
            ImageCommand.class,
            VmCommand.class,
            DnsCommand.class,
            NetCommand.class,
            TapBridgeCommand.class,
            ExposeCommand.class,
            UnexposeCommand.class,
            PortsCommand.class,
            NinePCommand.class,
            UpCommand.class,
            DownCommand.class,
            StatusCommand.class,
            LogsCommand.class,
            ShellCommand.class,
        })
public final class GangwayCommand extends CommandGroup {
}
