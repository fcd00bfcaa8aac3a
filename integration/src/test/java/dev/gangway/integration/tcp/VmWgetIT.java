package dev.gangway.integration.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.lab.LabGuestExtension;
import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance 7: a lab VM (QEMU under TCG, virtio-net on {@code -netdev stream} to the stack) downloads a
 * file from a host HTTP server on 127.0.0.1 with busybox {@code wget}; the sha256 matches. One boot. CI
 * downloads 16 MiB (TCG is slow); the acceptance run sets {@code -Dgangway.tcp.vmMiB=100}.
 */
class VmWgetIT {
    /** The stack and the host HTTP server, started before QEMU (which must find the socket listening). */
    static final class Host implements BeforeAllCallback, AfterAllCallback {
        final List<String> events = new CopyOnWriteArrayList<>();
        Path dir;
        NetworkStack stack;
        LinkServer server;
        HashingHttpServer http;

        Path socket() {
            return dir.resolve("stream.sock");
        }

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            dir = Files.createTempDirectory("gangway-vmtcp-");
            stack = NetworkStack.start(NetworkConfig.defaults().withMtu(1500), null, events::add);
            server = LinkServer.open(LinkSpec.parse("qemu:unix:" + socket()), stack, stack.group(), stack.epoll());
            http = HashingHttpServer.start();
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (http != null) {
                http.close();
            }
            if (server != null) {
                server.close();
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

    @RegisterExtension
    @Order(1)
    static Host host = new Host();

    @RegisterExtension
    @Order(2)
    static LabGuestExtension guest = LabGuestExtension.withQemuArgs(() -> List.of(
            "-netdev", "stream,id=n0,server=off,addr.type=unix,addr.path=" + host.socket(),
            "-device", "virtio-net-pci,netdev=n0,romfile="));

    @Test
    void wgetDownloadsIntact() throws Exception {
        var vm = guest.vm();
        var dhcp = vm.exec("udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 10 -T 2");
        assertThat(dhcp.exitCode()).as(dhcp.output()).isZero();
        long bytes = Long.getLong("gangway.tcp.vmMiB", 16) << 20;
        var result = vm.exec("wget -q -O - http://192.168.65.254:" + host.http.port() + "/bytes/" + bytes
                + " | sha256sum");
        assertThat(result.exitCode()).as("%s; counters %s; events %s", result.output(), host.stack.counters().snapshot(),
                host.events).isZero();
        assertThat(result.output().strip().split("\\s+")[0]).isEqualTo(HashingHttpServer.expectedSha256(bytes));
    }
}
