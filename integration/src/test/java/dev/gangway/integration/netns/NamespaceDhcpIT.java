package dev.gangway.integration.netns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acceptance 1 at MTU 1500: the namespace guest is configured by the stack's DHCP server. */
class NamespaceDhcpIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500));

    @Test
    void leaseGivesFirstAddressRouterDnsAndMtu() throws Exception {
        var lease = guest.dhcp();
        assertThat(lease).containsEntry("ip", "192.168.65.2").containsEntry("mask", "24")
                .containsEntry("router", "192.168.65.1").containsEntry("dns", "192.168.65.1")
                .containsEntry("mtu", "1500").containsEntry("serverid", "192.168.65.1");
        assertThat(guest.exec("ip -4 addr show dev eth0").output()).contains("inet 192.168.65.2/24");
        assertThat(guest.exec("ip route show default").output()).contains("default via 192.168.65.1 dev eth0");
        assertThat(guest.exec("ip link show dev eth0").output()).contains("mtu 1500");
    }

    @Test
    void restartingTheClientKeepsTheAddress() throws Exception {
        var first = guest.dhcp();
        var second = guest.dhcp();
        assertThat(first.get("ip")).isEqualTo("192.168.65.2");
        assertThat(second.get("ip")).isEqualTo(first.get("ip"));
        assertThat(guest.stack().counters().framesOut(dev.gangway.stack.stats.Layer.DHCP)).isGreaterThanOrEqualTo(6);
    }
}
