package dev.gangway.forward.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gangway.forward.table.Endpoints;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PortMappingTest {
    private static final InetAddress GUEST = Endpoints.address("192.168.65.2");

    @Test
    void exposeForms() {
        assertThat(PortMapping.forExpose("8080:80", GUEST))
                .isEqualTo(new ForwardRequest("tcp", "127.0.0.1:8080", "192.168.65.2:80"));
        assertThat(PortMapping.forExpose("0.0.0.0:8080:80/tcp", GUEST))
                .isEqualTo(new ForwardRequest("tcp", "0.0.0.0:8080", "192.168.65.2:80"));
        assertThat(PortMapping.forExpose("[::1]:5353:53/udp", GUEST))
                .isEqualTo(new ForwardRequest("udp", "[::1]:5353", "192.168.65.2:53"));
        assertThat(PortMapping.forExpose("/run/user/1000/docker.sock:2375", GUEST))
                .isEqualTo(new ForwardRequest("unix", "/run/user/1000/docker.sock", "192.168.65.2:2375"));
        assertThat(PortMapping.forExpose("8080:80", Endpoints.address("fd00::2")).guest()).isEqualTo("[fd00::2]:80");
    }

    @Test
    void unexposeForms() {
        assertThat(PortMapping.forUnexpose("8080")).isEqualTo(new PortMapping.HostSide("tcp", "127.0.0.1:8080"));
        assertThat(PortMapping.forUnexpose("127.0.0.1:8080/udp")).isEqualTo(new PortMapping.HostSide("udp", "127.0.0.1:8080"));
        assertThat(PortMapping.forUnexpose("[::1]:8080")).isEqualTo(new PortMapping.HostSide("tcp", "[::1]:8080"));
        assertThat(PortMapping.forUnexpose("8080:80")).isEqualTo(new PortMapping.HostSide("tcp", "127.0.0.1:8080"));
        assertThat(PortMapping.forUnexpose("/tmp/d.sock")).isEqualTo(new PortMapping.HostSide("unix", "/tmp/d.sock"));
    }

    @Test
    void badMappingsSayWhatIsExpected() {
        assertThatThrownBy(() -> PortMapping.forExpose("8080", GUEST)).hasMessageContaining("HOSTPORT:GUESTPORT");
        assertThatThrownBy(() -> PortMapping.forExpose("8080:80/sctp", GUEST)).hasMessageContaining("/tcp or /udp");
        assertThatThrownBy(() -> PortMapping.forExpose("::1:8080:80", GUEST)).hasMessageContaining("brackets");
        assertThatThrownBy(() -> PortMapping.forExpose("99999:80", GUEST)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> PortMapping.forExpose("host:8080:80", GUEST)).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> PortMapping.forExpose("/tmp/d.sock", GUEST)).hasMessageContaining("no guest port");
        assertThatThrownBy(() -> PortMapping.forExpose("8080:0", GUEST)).hasMessageContaining("must not be 0");
    }
}
