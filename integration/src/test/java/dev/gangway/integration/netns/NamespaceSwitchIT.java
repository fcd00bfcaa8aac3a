package dev.gangway.integration.netns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several guests share one virtual network: the switch learns both and carries their traffic. */
class NamespaceSwitchIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500));

    @Test
    void twoGuestsGetTheirOwnAddressesAndReachEachOther() throws Exception {
        var neighbour = guest.addNeighbour();
        assertThat(neighbour.dhcp()).isTrue();
        assertThat(neighbour.exec("ip -4 addr show dev eth0").output()).contains("inet 192.168.65.3/24");
        var toNeighbour = guest.exec("busybox ping -c 2 -W 5 192.168.65.3");
        assertThat(toNeighbour.output()).as(toNeighbour.output()).contains("2 packets transmitted, 2 packets received");
        var back = neighbour.exec("busybox ping -c 2 -W 5 192.168.65.2");
        assertThat(back.output()).as(back.output()).contains("2 packets transmitted, 2 packets received");
        var gateway = neighbour.exec("busybox ping -c 1 -W 5 192.168.65.1");
        assertThat(gateway.exitCode()).as(gateway.output()).isZero();
    }
}
