package dev.gangway.integration.ninep;

import static dev.gangway.integration.ninep.NinePGuest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.lab.LabGuestExtension;
import dev.gangway.ninep.server.NinePServer;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.ninep.transport.NinePChannelInitializer;
import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import dev.gangway.stack.service.Protocol;
import dev.gangway.stack.service.ServiceBinding;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The main path: the guest mounts the share from the gateway's port 564 through Gangway's own network
 * stack ({@code -netdev stream} to the stack, the 9P server bound with the stack's service API), not through
 * QEMU's user networking.
 */
class NinePStackIT {
    @RegisterExtension
    @Order(1)
    static final GatewayNineP gateway = new GatewayNineP();

    @RegisterExtension
    @Order(2)
    static LabGuestExtension guest = LabGuestExtension.withQemuArgs(() -> List.of(
            "-netdev", "stream,id=n0,server=off,addr.type=unix,addr.path=" + gateway.linkSocket(),
            "-device", "virtio-net-pci,netdev=n0,romfile=")).name("ninep-stack");

    @Test
    void mountsFromTheGatewayAndMovesDataByteExact() throws Exception {
        var vm = guest.vm();
        run(vm, "udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 10 -T 2");
        // The largest msize the Linux client allows over TCP (1 MiB), so full-size frames cross the stack.
        run(vm, "mkdir -p /mnt/g && mount -t 9p -o trans=tcp,port=564,version=9p2000.L,msize=1048576"
                + ",aname=g 192.168.65.1 /mnt/g && grep /mnt/g /proc/mounts | grep -q msize=1048576");
        var data = new byte[3 * (1 << 20) + 17];
        new Random(9).nextBytes(data);
        Files.write(gateway.share().resolve("from-host"), data);
        var sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        var out = run(vm, "cd /mnt/g && dd if=from-host bs=1M 2>/dev/null | sha256sum | sed 's/-$/from-host/'"
                + " && head -c 3000000 /dev/urandom > /tmp/r && dd if=/tmp/r of=from-guest bs=1M 2>/dev/null"
                + " && sha256sum from-guest && echo hi > small && mkdir d && mv small d/ && ls d", Duration.ofSeconds(300));
        assertThat(out).contains(sum + "  from-host");
        var guestFile = Files.readAllBytes(gateway.share().resolve("from-guest"));
        assertThat(guestFile).hasSize(3_000_000);
        assertThat(out).contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(guestFile))
                + "  from-guest");
        assertThat(out).endsWith("small\n");
        assertThat(Files.readString(gateway.share().resolve("d/small"))).isEqualTo("hi\n");
    }

    /** The stack on a QEMU stream socket, with the 9P server bound at the gateway's 192.168.65.1:564. */
    static final class GatewayNineP implements BeforeAllCallback, AfterAllCallback {
        private Path dir;
        private NetworkStack stack;
        private LinkServer link;
        private NinePServer server;
        private ServiceBinding binding;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            dir = Files.createTempDirectory("gangway-9p-stack-");
            Files.createDirectory(share());
            server = NinePServer.builder().share("g", share(), false).ownership(Ownership.passthrough()).build();
            stack = NetworkStack.start(NetworkConfig.defaults(), null, event -> { });
            link = LinkServer.open(LinkSpec.parse("qemu:unix:" + linkSocket()), stack, stack.group(), stack.epoll());
            binding = stack.services().listen(InetAddress.getByName("192.168.65.1"), 564, Protocol.TCP,
                    new NinePChannelInitializer(server, server.limits().maxMsize()));
        }

        Path linkSocket() {
            return dir.resolve("link.sock");
        }

        Path share() {
            return dir.resolve("share");
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (binding != null) {
                binding.close();
            }
            if (link != null) {
                link.close();
            }
            if (stack != null) {
                stack.close();
            }
            if (server != null) {
                server.close();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
