package dev.gangway.integration.stack;

import dev.gangway.launcher.lab.LabGuestExtension;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acceptance 4: a lab VM with virtio-net on {@code -netdev stream} to the stack. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmStreamLinkIT {
    @RegisterExtension
    @Order(1)
    static StackFixture stack = new StackFixture();

    @RegisterExtension
    @Order(2)
    static LabGuestExtension guest = LabGuestExtension.withQemuArgs(() -> List.of(
            "-netdev", "stream,id=n0,server=off,addr.type=unix,addr.path=" + stack.streamSocket(),
            "-device", "virtio-net-pci,netdev=n0,romfile="));

    @Test
    @Order(1)
    void dhcp() throws Exception {
        VmNetworkChecks.dhcp(guest.vm());
    }

    @Test
    @Order(2)
    void ping() throws Exception {
        VmNetworkChecks.ping(guest.vm());
    }

    @Test
    @Order(3)
    void udpEcho() throws Exception {
        dev.gangway.integration.netns.NamespaceGuest.require(dev.gangway.integration.netns.NamespaceGuest.onPath("gcc"),
                "gcc (builds the VM's UDP client)");
        VmNetworkChecks.udpEcho(guest.vm());
    }
}
