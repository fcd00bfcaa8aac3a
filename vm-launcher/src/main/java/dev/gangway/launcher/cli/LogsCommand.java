package dev.gangway.launcher.cli;

import dev.gangway.launcher.up.GangwayHome;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gangway logs}: the daemon's log, or the VM's console. */
@Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Print the Docker VM daemon's log (network, DNS, forwards, VM lifecycle), or with --console"
                + " the VM's serial console.")
public final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended, until interrupted.")
    boolean follow;

    @Option(names = "--console", description = "The VM's serial console instead of the daemon's log.")
    boolean console;

    @Override
    public Integer call() throws IOException, InterruptedException {
        var home = GangwayHome.resolve();
        var log = console ? home.consoleLog() : home.daemonLog();
        if (!Files.isRegularFile(log)) {
            throw new UserError("no log at " + log + "; fix: start the VM with 'gangway up'");
        }
        var out = spec.commandLine().getOut();
        try (var file = new RandomAccessFile(log.toFile(), "r")) {
            var buffer = new byte[64 << 10];
            while (true) {
                int n = file.read(buffer);
                if (n > 0) {
                    out.print(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                if (!follow) {
                    return 0;
                }
                if (file.length() < file.getFilePointer()) {
                    file.seek(0);
                }
                Thread.sleep(200);
            }
        }
    }
}
