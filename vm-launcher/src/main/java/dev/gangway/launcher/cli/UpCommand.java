package dev.gangway.launcher.cli;

import dev.gangway.launcher.up.GangwayHome;
import dev.gangway.launcher.up.Launcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gangway up}: boots the Docker VM with its network, shares and ports, and points Docker at it. */
@Command(name = "up", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Start the Docker VM (building its image first if needed): Gangway's network, DNS, 9P shares"
                + " and port forwarding in one daemon, QEMU, dockerd. The Docker API is forwarded to"
                + " ~/.gangway/run/docker.sock (GANGWAY_HOME moves ~/.gangway) and the Docker CLI context"
                + " 'gangway' points at it. Does nothing when the VM already runs.")
public final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cpus", defaultValue = "2", paramLabel = "N", description = "Virtual CPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--memory", defaultValue = "2G", paramLabel = "SIZE",
            description = "Guest memory, e.g. 2G or 1536M (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--share", paramLabel = "PATH",
            description = "A host folder mounted at the same path in the VM (repeatable), so 'docker run -v"
                    + " \"$PWD\":/src' works.")
    List<Path> shares = new ArrayList<>();

    @Option(names = "--forward", paramLabel = "[ADDR:]PORT[:GUESTPORT]",
            description = "A host TCP port (on 127.0.0.1 unless ADDR is given) forwarded to a VM port (repeatable);"
                    + " ports that containers publish are forwarded without this.")
    List<String> forwards = new ArrayList<>();

    @Option(names = "--virtio-9p", paramLabel = "PATH", hidden = true,
            description = "Also give PATH to QEMU's own virtio-9p, tag virtio9pN (side-by-side benchmarks).")
    List<Path> virtio9p = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        try {
            new Launcher(GangwayHome.resolve(), spec.commandLine().getOut()).up(cpus, memory, shares, forwards, virtio9p);
        } catch (Launcher.Problem e) {
            throw new UserError(e.getMessage(), e);
        }
        return 0;
    }
}
