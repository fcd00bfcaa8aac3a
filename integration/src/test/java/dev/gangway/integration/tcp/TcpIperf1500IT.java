package dev.gangway.integration.tcp;

import dev.gangway.integration.netns.NamespaceGuest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** iperf3 both ways at MTU 1500. */
class TcpIperf1500IT extends IperfContract {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500));

    @Override
    NamespaceGuest guest() {
        return guest;
    }
}
