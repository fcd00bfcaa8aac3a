package dev.gangway.forward.dial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.forward.table.Endpoints;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

class SourceAddressPolicyTest {
    private static final SourceAddressPolicy POLICY = SourceAddressPolicy.DEFAULT;
    private static final InetSocketAddress GUEST_V4 = Endpoints.parse("192.168.65.2:80");
    private static final InetSocketAddress GUEST_V6 = Endpoints.parse("[fd00::2]:80");

    @Test
    void remoteClientsKeepTheirAddress() {
        var client = Endpoints.parse("10.1.2.3:40000");
        assertThat(POLICY.sourceFor(client, GUEST_V4)).isEqualTo(client);
        var v6client = Endpoints.parse("[2001:db8::7]:40000");
        assertThat(POLICY.sourceFor(v6client, GUEST_V6)).isEqualTo(v6client);
    }

    @Test
    void loopbackAndUnixClientsAppearAsTheHostAlias() {
        assertThat(POLICY.sourceFor(Endpoints.parse("127.0.0.1:40000"), GUEST_V4))
                .isEqualTo(Endpoints.parse("192.168.65.254:40000"));
        assertThat(POLICY.sourceFor(Endpoints.parse("[::1]:40000"), GUEST_V4))
                .isEqualTo(Endpoints.parse("192.168.65.254:40000"));
        assertThat(POLICY.sourceFor(UnixDomainSocketAddress.of("/tmp/x.sock"), GUEST_V4))
                .isEqualTo(Endpoints.parse("192.168.65.254:0"));
        assertThat(POLICY.sourceFor(null, GUEST_V4)).isEqualTo(Endpoints.parse("192.168.65.254:0"));
    }

    @Test
    void aClientOfTheOtherFamilyGetsTheAliasOfTheGuestsFamily() {
        assertThat(POLICY.sourceFor(Endpoints.parse("[2001:db8::7]:40000"), GUEST_V4))
                .isEqualTo(Endpoints.parse("192.168.65.254:40000"));
        assertThat(POLICY.sourceFor(Endpoints.parse("10.1.2.3:40000"), GUEST_V6)).isEqualTo(Endpoints.parse("[::]:40000"));
        var withV6Alias = new SourceAddressPolicy(POLICY.hostAliasV4(),
                (java.net.Inet6Address) Endpoints.address("fd00::fe"));
        assertThat(withV6Alias.sourceFor(Endpoints.parse("[::1]:1"), GUEST_V6)).isEqualTo(Endpoints.parse("[fd00::fe]:1"));
    }
}
