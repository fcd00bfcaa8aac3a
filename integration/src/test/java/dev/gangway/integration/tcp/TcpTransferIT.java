package dev.gangway.integration.tcp;

import dev.gangway.integration.netns.NamespaceGuest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance 1 at MTU 1500: curl downloads from and uploads to a host HTTP server on 127.0.0.1 through
 * the host alias, sha256 checked on both ends. CI moves 64 MiB each way; the acceptance run sets
 * {@code -Dgangway.tcp.transferMiB=1024}.
 */
class TcpTransferIT {
    @RegisterExtension
    static NamespaceGuest guest = NamespaceGuest.withConfig(c -> c.withMtu(1500));

    static HashingHttpServer http;

    @BeforeAll
    static void start() throws Exception {
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
        TcpTransfers.download(guest, http, TcpTransfers.mib("gangway.tcp.transferMiB", 64) << 20);
    }

    @Test
    void uploadsIntact() throws Exception {
        TcpTransfers.upload(guest, http, (int) (TcpTransfers.mib("gangway.tcp.transferMiB", 64) / 16));
    }
}
