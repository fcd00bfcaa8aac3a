package dev.gangway.integration.stack;

import dev.gangway.launcher.lab.LabGuestExtension;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acceptance 4: a lab VM with virtio-net on {@code -netdev dgram} (unix datagrams) to the stack. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmDatagramLinkIT {
    @RegisterExtension
    @Order(1)
    static StackFixture stack = new StackFixture();

    @RegisterExtension
    @Order(2)
    static LabGuestExtension guest = LabGuestExtension.withQemuArgs(() -> List.of(
            "-netdev", "dgram,id=n0,local.type=unix,local.path=" + stack.vmDatagramSocket()
                    + ",remote.type=unix,remote.path=" + stack.datagramSocket(),
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
