package dev.gangway.launcher.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gangway version}: the project version and the Java runtime it runs on. */
@Command(name = "version", description = "Print the Gangway version and the Java runtime.")
public final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (var line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        return 0;
    }

    /** Reads the version Maven wrote into the jar manifest (absent when run from classes). */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            var version = GangwayCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "gangway " + (version == null ? "(development build)" : version),
                "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                "os " + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            };
        }
    }
}
