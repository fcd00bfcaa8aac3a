package dev.gangway.launcher.cli;

import dev.gangway.stack.link.LinkSpec;
import dev.gangway.stack.link.TapBridge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gangway tap-bridge}: the guest side of a namespace guest. */
@Command(name = "tap-bridge", mixinStandardHelpOptions = true,
        description = "Open a TAP interface inside a network namespace and carry its frames to a stack link"
                + " (the guest side of a namespace guest); runs until the link closes. Needs root.")
public final class TapBridgeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Network namespace (as in 'ip netns'); default: the current one.")
    String netns;

    @Option(names = "--connect", required = true, paramLabel = "SPEC",
            description = "The stack's link: qemu:unix:PATH or qemu:tcp:HOST:PORT.")
    String connect;

    @Option(names = "--ifname", defaultValue = "eth0", paramLabel = "NAME",
            description = "TAP interface name (default: ${DEFAULT-VALUE}).")
    String ifname;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        LinkSpec link;
        try {
            link = LinkSpec.parse(connect);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage() + "; fix: use qemu:unix:PATH or qemu:tcp:HOST:PORT");
        }
        if (netns != null && !Files.exists(Path.of("/run/netns", netns))) {
            throw new UserError("network namespace '" + netns + "' does not exist; fix: sudo ip netns add " + netns);
        }
        if (!Files.isWritable(Path.of("/dev/net/tun"))) {
            throw new UserError("/dev/net/tun is not usable by this user; fix: run as root (sudo) or load the tun module");
        }
        TapBridge bridge;
        try {
            bridge = TapBridge.start(netns, ifname, link, line -> {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            });
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("tap-bridge: " + e.getMessage() + "; fix: start 'gangway net serve --link " + connect
                    + "' first, and run as root");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(bridge::close));
        bridge.closeFuture().awaitUninterruptibly();
        bridge.close();
        return 0;
    }
}
