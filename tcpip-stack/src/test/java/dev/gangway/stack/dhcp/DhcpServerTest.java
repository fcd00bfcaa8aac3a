package dev.gangway.stack.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.wire.DhcpOptions;
import dev.gangway.stack.wire.DhcpPacket;
import dev.gangway.stack.wire.DhcpRepr;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.MacAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhcpServerTest {
    static final NetworkConfig CONFIG = NetworkConfig.defaults().withMtu(65520)
            .withNames("guest", List.of("docker.internal"));
    static final int GATEWAY = Ipv4Address.parse("192.168.65.1");
    static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a");
    static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");

    final DhcpServer server = new DhcpServer(CONFIG, new Leases(CONFIG));

    static DhcpRepr request(MacAddress mac, int type, int requested, int serverId, int ciaddr) {
        var options = new DhcpOptions(type, requested, serverId, 0, 0, 0, List.of(), null, null, List.of(), 0,
                new byte[0]);
        return new DhcpRepr(DhcpPacket.OP_REQUEST, 77, 0, ciaddr, 0, 0, 0, mac, options);
    }

    @Test
    void offersAndAcksTheSameStableAddressWithAllOptions() {
        var offer = server.handle(request(A, DhcpOptions.DISCOVER, 0, 0, 0));
        assertThat(offer.options().messageType()).isEqualTo(DhcpOptions.OFFER);
        assertThat(Ipv4Address.format(offer.yiaddr())).isEqualTo("192.168.65.2");
        var o = offer.options();
        assertThat(o.subnetMask()).isEqualTo(0xFFFFFF00);
        assertThat(o.router()).isEqualTo(GATEWAY);
        assertThat(o.dnsServers()).containsExactly(GATEWAY);
        assertThat(o.serverId()).isEqualTo(GATEWAY);
        assertThat(o.mtu()).isEqualTo(65520);
        assertThat(o.leaseSeconds()).isEqualTo(7200);
        assertThat(o.hostName()).isEqualTo("guest");
        assertThat(o.domainSearch()).containsExactly("docker.internal");
        var ack = server.handle(request(A, DhcpOptions.REQUEST, offer.yiaddr(), GATEWAY, 0));
        assertThat(ack.options().messageType()).isEqualTo(DhcpOptions.ACK);
        assertThat(ack.yiaddr()).isEqualTo(offer.yiaddr());
        assertThat(DhcpServer.destination(request(A, DhcpOptions.REQUEST, 0, 0, 0), ack))
                .isEqualTo(Ipv4Address.BROADCAST);
        var other = server.handle(request(B, DhcpOptions.DISCOVER, 0, 0, 0));
        assertThat(Ipv4Address.format(other.yiaddr())).isEqualTo("192.168.65.3");
        assertThat(server.handle(request(A, DhcpOptions.RELEASE, 0, GATEWAY, offer.yiaddr()))).isNull();
        assertThat(server.handle(request(A, DhcpOptions.DISCOVER, 0, 0, 0)).yiaddr()).isEqualTo(offer.yiaddr());
    }

    @Test
    void requestForAnotherAddressIsNakedAndOtherServersAreIgnored() {
        server.handle(request(A, DhcpOptions.DISCOVER, 0, 0, 0));
        var nak = server.handle(request(A, DhcpOptions.REQUEST, Ipv4Address.parse("192.168.65.77"), GATEWAY, 0));
        assertThat(nak.options().messageType()).isEqualTo(DhcpOptions.NAK);
        assertThat(nak.yiaddr()).isZero();
        assertThat(DhcpServer.destination(request(A, DhcpOptions.REQUEST, 0, 0, 0), nak))
                .isEqualTo(Ipv4Address.BROADCAST);
        assertThat(server.handle(request(A, DhcpOptions.REQUEST, Ipv4Address.parse("192.168.65.2"),
                Ipv4Address.parse("192.168.65.99"), 0))).isNull();
    }

    @Test
    void renewalFromCiaddrIsAckedByUnicast() {
        int address = server.handle(request(A, DhcpOptions.DISCOVER, 0, 0, 0)).yiaddr();
        var renew = request(A, DhcpOptions.REQUEST, 0, 0, address);
        var ack = server.handle(renew);
        assertThat(ack.options().messageType()).isEqualTo(DhcpOptions.ACK);
        assertThat(DhcpServer.destination(renew, ack)).isEqualTo(address);
    }

    @Test
    void informGetsOptionsWithoutAnAddress() {
        var ack = server.handle(request(B, DhcpOptions.INFORM, 0, 0, Ipv4Address.parse("192.168.65.50")));
        assertThat(ack.options().messageType()).isEqualTo(DhcpOptions.ACK);
        assertThat(ack.yiaddr()).isZero();
        assertThat(ack.options().leaseSeconds()).isZero();
        assertThat(ack.options().dnsServers()).containsExactly(GATEWAY);
    }

    @Test
    void poolExhaustionGivesNoOffer() {
        var small = NetworkConfig.defaults().withSubnet("10.9.0.0/29");
        var tiny = new DhcpServer(small, new Leases(small));
        int offered = 0;
        for (int i = 1; i <= 10; i++) {
            if (tiny.handle(request(new MacAddress(0x020000000100L + i), DhcpOptions.DISCOVER, 0, 0, 0)) != null) {
                offered++;
            }
        }
        assertThat(offered).isEqualTo(4); // .2 to .5: .1 is the gateway, .6 the host alias, .7 broadcast
    }
}
