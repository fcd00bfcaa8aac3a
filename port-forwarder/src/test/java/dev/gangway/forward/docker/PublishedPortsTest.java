package dev.gangway.forward.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.forward.table.Endpoints;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Docker's publishing semantics, read from Engine API responses written from the API reference. */
class PublishedPortsTest {
    private static final InetAddress GUEST = Endpoints.address("192.168.65.2");

    private static List<String> specs(String fixture, boolean wildcard, List<String> narrowed) {
        return PublishedPorts.from(Fixtures.json(fixture), GUEST, wildcard, narrowed::add).stream()
                .map(p -> p.spec() + " " + p.container()).toList();
    }

    @Test
    void allInterfacesIsNarrowedToLoopbackOfBothFamiliesByDefault() {
        var narrowed = new ArrayList<String>();
        assertThat(specs("containers-web-dns-metrics.json", false, narrowed)).containsExactly(
                "127.0.0.1:28080/tcp -> 192.168.65.2:28080 web",
                "[::1]:28080/tcp -> 192.168.65.2:28080 web",
                "127.0.0.1:28053/udp -> 192.168.65.2:28053 dns");
        assertThat(narrowed).containsExactly("web 0.0.0.0:28080/tcp", "web 0:0:0:0:0:0:0:0:28080/tcp");
    }

    @Test
    void wildcardBindingUsesOneDualStackListenerForThePair() {
        var narrowed = new ArrayList<String>();
        assertThat(specs("containers-web-dns-metrics.json", true, narrowed)).containsExactly(
                "[::]:28080/tcp -> 192.168.65.2:28080 web",
                "127.0.0.1:28053/udp -> 192.168.65.2:28053 dns");
        assertThat(narrowed).isEmpty();
    }

    @Test
    void aRangeIsOneForwardPerPort() {
        assertThat(specs("containers-web-range.json", false, new ArrayList<>())).containsExactly(
                "127.0.0.1:28080/tcp -> 192.168.65.2:28080 web",
                "[::1]:28080/tcp -> 192.168.65.2:28080 web",
                "127.0.0.1:28100/tcp -> 192.168.65.2:28100 range",
                "127.0.0.1:28101/tcp -> 192.168.65.2:28101 range",
                "127.0.0.1:28102/tcp -> 192.168.65.2:28102 range");
        assertThat(specs("containers-web-range.json", true, new ArrayList<>())).contains(
                "0.0.0.0:28100/tcp -> 192.168.65.2:28100 range");
    }

    @Test
    void noContainersNoForwards() {
        assertThat(specs("containers-none.json", false, new ArrayList<>())).isEmpty();
    }
}
