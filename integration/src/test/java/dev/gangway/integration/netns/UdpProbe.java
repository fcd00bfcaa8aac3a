package dev.gangway.integration.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.integration.stack.UdpEchoClient;

/**
 * Sends one datagram from the namespace guest (a real guest socket: the small {@code udpecho} client,
 * which waits for the one echo and checks it byte for byte) to the host alias.
 */
final class UdpProbe {
    private UdpProbe() {
    }

    /** The guest command that sends {@code size} bytes to {@code port} and prints the outcome. */
    static String command(int port, int size) throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("gcc"), "gcc (builds the guests' UDP client)");
        return UdpEchoClient.binary() + " 192.168.65.254 " + port + " " + size;
    }

    static void assertEchoes(NamespaceGuest guest, int port, int size) throws Exception {
        // UDP may lose a datagram on a loaded machine (one lost fragment loses it all): a datagram that
        // did not come back at all ("timeout") is sent again, twice at most; a wrong one fails at once.
        var result = guest.exec("for t in 1 2 3; do " + command(port, size) + " && break; done");
        assertThat(result.output().strip().lines().toList()).as("echo of %d bytes; counters %s", size,
                guest.stack().counters().snapshot()).last().isEqualTo("ok");
        assertThat(result.output()).doesNotContain("differs").doesNotContain("short");
    }
}
