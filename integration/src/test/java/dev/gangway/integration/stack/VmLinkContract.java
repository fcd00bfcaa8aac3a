package dev.gangway.integration.stack;

import dev.gangway.integration.netns.NamespaceGuest;
import dev.gangway.launcher.lab.GuestVm;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Acceptance 4 of the stack's first part, whatever the link: a lab VM whose virtio-net is carried to the
 * stack gets its address by DHCP, pings the gateway and the host alias, and echoes UDP of every size. Each
 * subclass boots the VM on one kind of link.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class VmLinkContract {
    abstract GuestVm vm();

    @Test
    @Order(1)
    void dhcp() throws Exception {
        VmNetworkChecks.dhcp(vm());
    }

    @Test
    @Order(2)
    void ping() throws Exception {
        VmNetworkChecks.ping(vm());
    }

    @Test
    @Order(3)
    void udpEcho() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("gcc"), "gcc (builds the VM's UDP client)");
        VmNetworkChecks.udpEcho(vm());
    }
}
