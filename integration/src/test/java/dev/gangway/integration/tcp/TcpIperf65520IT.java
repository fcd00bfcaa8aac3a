package dev.gangway.integration.tcp;

import dev.gangway.integration.netns.NamespaceGuest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** iperf3 both ways at MTU 65520. */
class TcpIperf65520IT extends IperfContract {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(65520));

    @Override
    NamespaceGuest guest() {
        return guest;
    }
}
