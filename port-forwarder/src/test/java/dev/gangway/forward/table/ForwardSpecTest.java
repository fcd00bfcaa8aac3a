package dev.gangway.forward.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

class ForwardSpecTest {
    @Test
    void parsesIpv4Ipv6AndUnixHosts() {
        var v4 = ForwardSpec.parse("tcp", "127.0.0.1:8080", "192.168.65.2:80");
        assertThat(v4.host()).isEqualTo(new InetSocketAddress(Endpoints.address("127.0.0.1"), 8080));
        assertThat(v4.toString()).isEqualTo("127.0.0.1:8080/tcp -> 192.168.65.2:80");

        var v6 = ForwardSpec.parse("UDP", "[::1]:5353", "[fd00::2]:53");
        assertThat(v6.hostText()).isEqualTo("[::1]:5353");
        assertThat(v6.guestText()).isEqualTo("[fd00::2]:53");

        var unix = ForwardSpec.parse("unix", "/run/user/1000/docker.sock", "192.168.65.2:2375");
        assertThat(unix.host()).isEqualTo(UnixDomainSocketAddress.of("/run/user/1000/docker.sock"));
    }

    @Test
    void formatsAddressesCanonically() {
        assertThat(Endpoints.format(Endpoints.parse("[0:0:0:0:0:0:0:1]:80"))).isEqualTo("[::1]:80");
        assertThat(Endpoints.format(Endpoints.parse("[::]:80"))).isEqualTo("[::]:80");
        assertThat(Endpoints.format(Endpoints.parse("0.0.0.0:80"))).isEqualTo("0.0.0.0:80");
    }

    @Test
    void rejectsWhatCannotBeForwarded() {
        assertThatThrownBy(() -> ForwardSpec.parse("tcp", "::1:80", "192.168.65.2:80")).hasMessageContaining("[ADDR]:PORT");
        assertThatThrownBy(() -> ForwardSpec.parse("tcp", "[::1:80", "192.168.65.2:80")).hasMessageContaining("[IPV6]:PORT");
        assertThatThrownBy(() -> ForwardSpec.parse("tcp", "8080", "192.168.65.2:80")).hasMessageContaining("ADDR:PORT");
        assertThatThrownBy(() -> ForwardSpec.parse("tcp", "127.0.0.1:http", "192.168.65.2:80")).hasMessageContaining("not a port");
        assertThatThrownBy(() -> ForwardSpec.parse("tcp", "127.0.0.1:80", "guest:80")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> ForwardSpec.parse("tcp", "127.0.0.1:80", "192.168.65.2:0")).hasMessageContaining("guest port");
        assertThatThrownBy(() -> ForwardSpec.parse("unix", "docker.sock", "192.168.65.2:2375")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> ForwardSpec.parse("icmp", "127.0.0.1:80", "192.168.65.2:80")).hasMessageContaining("unknown protocol");
    }
}
