package dev.gangway.integration.netns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acceptance 1 (and 3) at MTU 65520: the large MTU is offered and used without fragmentation. */
class NamespaceJumboIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(65520));

    static UdpEchoServer echo;

    @BeforeAll
    static void startEcho() throws Exception {
        echo = UdpEchoServer.start();
    }

    @AfterAll
    static void stopEcho() {
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void leaseCarriesTheLargeMtu() throws Exception {
        var lease = guest.dhcp();
        assertThat(lease).containsEntry("ip", "192.168.65.2").containsEntry("mtu", "65520");
        assertThat(guest.exec("ip link show dev eth0").output()).contains("mtu 65520");
    }

    @Test
    void largestDatagramTravelsUnfragmented() throws Exception {
        long fragmentsBefore = guest.stack().counters().drops("ipv4/reassembly-timeout");
        UdpProbe.assertEchoes(guest, echo.port(), 65507);
        assertThat(guest.stack().counters().drops("ipv4/reassembly-timeout")).isEqualTo(fragmentsBefore);
    }
}
