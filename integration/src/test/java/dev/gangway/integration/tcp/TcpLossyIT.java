package dev.gangway.integration.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.integration.netns.NamespaceGuest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance 1 through a bad link: the guest interface drops 2%, reorders 5% and delays by 5 ms
 * ({@code tc netem}); downloads and uploads still arrive intact. Kernels without {@code sch_netem} (the
 * lab machines' kernel has none) get the same impairment on both directions of the link instead
 * ({@link LinkImpairment}). CI moves 16 MiB each way; the acceptance run sets
 * {@code -Dgangway.tcp.lossyMiB=256}.
 */
class TcpLossyIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500));

    static HashingHttpServer http;
    static LinkImpairment impairment;

    @BeforeAll
    static void start() throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("tc"), "tc (iproute2) with sch_netem");
        var netem = guest.exec("tc qdisc add dev eth0 root netem loss 2% reorder 5% delay 5ms limit 10000");
        if (netem.exitCode() != 0) {
            assertThat(netem.output()).as("tc netem failed for another reason than a missing sch_netem")
                    .contains("qdisc kind is unknown");
            impairment = new LinkImpairment(0.02, 0.05, 5_000_000L);
            var link = guest.stack().gateway().links().getFirst();
            link.loop().submit(() -> link.channel().pipeline().addBefore("port", "impairment", impairment)).get();
        }
        http = HashingHttpServer.start();
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
    }

    @Test
    void downloadsIntact() throws Exception {
        TcpTransfers.download(guest, http, TcpTransfers.mib("gangway.tcp.lossyMiB", 16) << 20);
        if (impairment != null) {
            assertThat(impairment.dropped.sum()).as("frames the impaired link dropped").isPositive();
        }
    }

    @Test
    void uploadsIntact() throws Exception {
        TcpTransfers.upload(guest, http, (int) Math.max(1, TcpTransfers.mib("gangway.tcp.lossyMiB", 16) / 16));
    }
}
