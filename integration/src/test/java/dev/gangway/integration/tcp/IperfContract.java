package dev.gangway.integration.tcp;

import dev.gangway.integration.netns.NamespaceGuest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Acceptance 2 of the TCP issue, whatever the MTU: iperf3 guest to host and host to guest ({@code -R}),
 * one and eight streams; no interval without throughput, no retransmit storm. CI runs 4 s per run; the
 * acceptance run sets {@code -Dgangway.tcp.iperfSeconds=10}. Each subclass sets the link MTU.
 */
abstract class IperfContract {
    abstract NamespaceGuest guest();

    @BeforeAll
    static void requireIperf() {
        Iperf.require();
    }

    @ParameterizedTest(name = "-P {0} reverse={1}")
    @CsvSource({"1, false", "1, true", "8, false", "8, true"})
    void keepsThroughputInEveryInterval(int parallel, boolean reverse) throws Exception {
        Iperf.run(guest(), parallel, reverse);
    }
}
