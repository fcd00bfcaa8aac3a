package dev.gangway.integration.fsevents;

import dev.gangway.launcher.agent.AgentRuntime;
import dev.gangway.launcher.wiring.SharesWiring;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The daemon's side of the file-events tests, as {@code gangway up} wires it: the stack on a QEMU stream
 * socket, and {@link SharesWiring} with the watched share {@code src} and the agent's runtime exported
 * read-only as {@code gangway-agent}, both on the gateway. Start it before the guest (an earlier, {@code @Order}ed
 * field): QEMU's {@code -netdev stream} must find the socket listening.
 */
final class SharesFixture implements BeforeAllCallback, AfterAllCallback {
    static final String SHARE = "src";
    static final String RUNTIME_SHARE = "gangway-agent";

    private Path dir;
    private NetworkStack stack;
    private LinkServer link;
    private SharesWiring wiring;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        var runtime = AgentRuntime.ensure();
        dir = Files.createTempDirectory("gangway-fsevents-it-");
        Files.createDirectory(share());
        stack = NetworkStack.start(NetworkConfig.defaults(), null, event -> { });
        link = LinkServer.open(LinkSpec.parse("qemu:unix:" + linkSocket()), stack, stack.group(), stack.epoll());
        wiring = SharesWiring.start(stack.services(),
                List.of(SharesWiring.Share.watched(SHARE, share()),
                        SharesWiring.Share.readOnly(RUNTIME_SHARE, runtime.dir())),
                SharesWiring.Options.defaults().withOwnership(Ownership.passthrough()));
    }

    Path linkSocket() {
        return dir.resolve("link.sock");
    }

    /** The watched share's host folder. */
    Path share() {
        return dir.resolve("share");
    }

    /** A host folder outside the share, for scratch files. */
    Path scratch() throws java.io.IOException {
        return Files.createDirectories(dir.resolve("scratch"));
    }

    SharesWiring wiring() {
        return wiring;
    }

    NetworkStack stack() {
        return stack;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (wiring != null) {
            wiring.close();
        }
        if (link != null) {
            link.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
