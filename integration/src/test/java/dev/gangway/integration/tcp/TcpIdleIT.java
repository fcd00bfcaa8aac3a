package dev.gangway.integration.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.integration.netns.NamespaceGuest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance 6: a connection that carries nothing for 60 s (the real requirement; vpnkit cut idle flows)
 * still works afterwards. {@code -Dgangway.tcp.idleSeconds} shortens it for local runs.
 */
class TcpIdleIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500));

    static HashReplyServer hash;

    @BeforeAll
    static void start() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("socat"), "socat");
        hash = HashReplyServer.start(HashReplyServer.Mode.HASH);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hash != null) {
            hash.close();
        }
    }

    @Test
    void idleConnectionStaysUsable() throws Exception {
        int idle = Integer.getInteger("gangway.tcp.idleSeconds", 60);
        var result = guest.exec("(printf before; sleep " + idle + "; printf after) | socat -t 30 - TCP:192.168.65.254:"
                + hash.port());
        assertThat(result.exitCode()).as(result.output()).isZero();
        var expected = HexFormat.of().formatHex(HashingHttpServer.sha256().digest("beforeafter".getBytes()));
        assertThat(result.output().strip()).isEqualTo(expected + " 11");
        assertThat(guest.stack().counters().drops("tcp/idle-timeout")).isZero();
    }
}
