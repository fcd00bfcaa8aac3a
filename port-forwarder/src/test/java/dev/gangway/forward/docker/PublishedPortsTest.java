package dev.gangway.forward.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.forward.table.Endpoints;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Docker's publishing semantics, read from Engine API responses captured from dockerd 20.10 (API 1.41) in the
 * Docker VM, and one written from the API reference for what that engine cannot do here (SCTP).
 */
class PublishedPortsTest {
    private static final InetAddress GUEST = Endpoints.address("192.168.65.2");

    private static List<String> specs(String fixture, boolean wildcard, List<String> narrowed) {
        return PublishedPorts.from(Fixtures.json(fixture), GUEST, wildcard, narrowed::add).stream()
                .map(p -> p.spec() + " " + p.container()).toList();
    }

    @Test
    void allInterfacesIsNarrowedToLoopbackOfBothFamiliesByDefault() {
        var narrowed = new ArrayList<String>();
        assertThat(specs("containers-web-dns.json", false, narrowed)).containsExactlyInAnyOrder(
                "127.0.0.1:28080/tcp -> 192.168.65.2:28080 web",
                "[::1]:28080/tcp -> 192.168.65.2:28080 web",
                "127.0.0.1:28053/udp -> 192.168.65.2:28053 dns");
        assertThat(narrowed).containsExactlyInAnyOrder("web 0.0.0.0:28080/tcp", "web 0:0:0:0:0:0:0:0:28080/tcp");
    }

    @Test
    void wildcardBindingUsesOneDualStackListenerForThePair() {
        var narrowed = new ArrayList<String>();
        assertThat(specs("containers-web-dns.json", true, narrowed)).containsExactlyInAnyOrder(
                "[::]:28080/tcp -> 192.168.65.2:28080 web",
                "127.0.0.1:28053/udp -> 192.168.65.2:28053 dns");
        assertThat(narrowed).isEmpty();
    }

    @Test
    void aRangeIsOneForwardPerPort() {
        assertThat(specs("containers-web-range.json", false, new ArrayList<>())).containsExactlyInAnyOrder(
                "127.0.0.1:28080/tcp -> 192.168.65.2:28080 web",
                "[::1]:28080/tcp -> 192.168.65.2:28080 web",
                "127.0.0.1:28100/tcp -> 192.168.65.2:28100 range",
                "[::1]:28100/tcp -> 192.168.65.2:28100 range",
                "127.0.0.1:28101/tcp -> 192.168.65.2:28101 range",
                "[::1]:28101/tcp -> 192.168.65.2:28101 range",
                "127.0.0.1:28102/tcp -> 192.168.65.2:28102 range",
                "[::1]:28102/tcp -> 192.168.65.2:28102 range");
        assertThat(specs("containers-web-range.json", true, new ArrayList<>())).contains(
                "[::]:28100/tcp -> 192.168.65.2:28100 range");
    }

    @Test
    void exposedButUnpublishedAndSctpPortsAreNotForwarded() {
        // web exposes 443 without publishing it (captured); metrics publishes SCTP (written from the reference).
        assertThat(specs("containers-web-dns-metrics.json", false, new ArrayList<>()))
                .noneMatch(spec -> spec.contains(":443/") || spec.contains("28132"))
                .anyMatch(spec -> spec.startsWith("127.0.0.1:28080/tcp"));
        assertThat(specs("containers-web-dns.json", false, new ArrayList<>())).noneMatch(spec -> spec.contains(":443/"));
    }

    @Test
    void noContainersNoForwards() {
        assertThat(specs("containers-none.json", false, new ArrayList<>())).isEmpty();
    }
}
