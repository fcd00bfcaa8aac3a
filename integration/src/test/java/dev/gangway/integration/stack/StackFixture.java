package dev.gangway.integration.stack;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A stack listening on a QEMU stream socket and a unix datagram socket in a private folder, started
 * before a lab VM boots (register it on an earlier, {@code @Order}ed field) and closed after the class.
 */
final class StackFixture implements BeforeAllCallback, AfterAllCallback {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<LinkServer> servers = new ArrayList<>();
    private Path dir;
    private NetworkStack stack;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("gangway-vmnet-");
        stack = NetworkStack.start(NetworkConfig.defaults().withMtu(1500), null, events::add);
        servers.add(LinkServer.open(LinkSpec.parse("qemu:unix:" + streamSocket()), stack, stack.group(),
                stack.epoll()));
        servers.add(LinkServer.open(LinkSpec.parse("vfkit:" + datagramSocket()), stack, stack.group(),
                stack.epoll()));
    }

    Path streamSocket() {
        return dir.resolve("stream.sock");
    }

    Path datagramSocket() {
        return dir.resolve("dgram.sock");
    }

    /** Where QEMU binds its own end of the datagram link. */
    Path vmDatagramSocket() {
        return dir.resolve("vm-dgram.sock");
    }

    NetworkStack stack() {
        return stack;
    }

    List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        servers.forEach(LinkServer::close);
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
