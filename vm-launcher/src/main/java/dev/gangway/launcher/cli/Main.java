package dev.gangway.launcher.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code gangway} command. */
public final class Main {
    /** Exit code for errors the user can fix: bad flags, bad config, missing inputs. */
    public static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code; tests call this directly. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        var cli = new CommandLine(new GangwayCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, ignoredArgs) -> {
            var command = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println("gangway: " + oneLine(ex.getMessage()) + " (see '" + command + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, ignoredCli, ignoredResult) -> {
            if (ex instanceof UserError) {
                err.println("gangway: " + oneLine(ex.getMessage()));
                return USAGE;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    private static String oneLine(String message) {
        return message == null ? "error" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
