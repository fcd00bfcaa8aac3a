package dev.gangway.integration.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Random;

/**
 * Sends one datagram from the namespace guest with socat (a real guest socket) and checks the echo is
 * byte-identical (sha256 of what was sent and what came back).
 */
final class UdpProbe {
    private UdpProbe() {
    }

    static void assertEchoes(NamespaceGuest guest, int port, int size) throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("socat"), "socat (the guest's UDP client)");
        var sent = guest.dir().resolve("sent-" + size);
        var received = guest.dir().resolve("received-" + size);
        var bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Files.write(sent, bytes);
        // UDP may lose a datagram on a loaded machine (one lost fragment loses it all): a datagram that
        // did not come back at all is sent again, twice at most; one that came back wrong fails at once.
        for (int attempt = 1; ; attempt++) {
            var result = guest.exec("socat -b 65536 -T 5 - UDP:192.168.65.254:" + port + " < " + sent + " > "
                    + received);
            assertThat(result.exitCode()).as("socat: %s", result.output()).isZero();
            if (Files.size(received) != 0 || attempt == 3) {
                break;
            }
        }
        assertThat(Files.size(received)).as("echo of %d bytes; counters %s", size, guest.stack().counters().snapshot())
                .isEqualTo(size);
        var check = guest.exec("sha256sum " + sent + " " + received + " | cut -d' ' -f1 | uniq | wc -l");
        assertThat(check.output().strip()).as("sha256 of sent and echoed %d bytes", size).isEqualTo("1");
    }
}
