package dev.gangway.integration.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.integration.netns.NamespaceGuest;

/** curl downloads and uploads through the stack, checked by sha256 on both ends. */
final class TcpTransfers {
    private TcpTransfers() {
    }

    /** Sizes in MiB from a system property (the acceptance value in a manual run), or the CI default. */
    static long mib(String property, long ciDefault) {
        return Long.getLong(property, ciDefault);
    }

    static void download(NamespaceGuest guest, HashingHttpServer http, long bytes) throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("curl"), "curl");
        var result = guest.exec("curl -sS --fail --max-time 80 http://192.168.65.254:" + http.port() + "/bytes/"
                + bytes + " | sha256sum");
        assertThat(result.exitCode()).as("%s; stack counters and events: %s", result.output(), guest.stack().counters().snapshot() + " " + guest.events())
                .isZero();
        assertThat(result.output().strip().split("\\s+")[0]).as("sha256 of %d bytes downloaded: %s", bytes,
                result.output()).isEqualTo(HashingHttpServer.expectedSha256(bytes));
    }

    /** Uploads {@code blocks} copies of a 16 MiB random file made in the guest; compares both hashes. */
    static void upload(NamespaceGuest guest, HashingHttpServer http, int blocks) throws Exception {
        var file = guest.dir().resolve("upload.bin");
        var make = guest.exec("head -c 16777216 /dev/urandom > " + file);
        assertThat(make.exitCode()).as(make.output()).isZero();
        String stream = "(i=0; while [ $i -lt " + blocks + " ]; do cat " + file + "; i=$((i+1)); done)";
        var expected = guest.exec(stream + " | sha256sum");
        var result = guest.exec(stream + " | curl -sS --fail --max-time 80 -T - http://192.168.65.254:" + http.port()
                + "/upload");
        assertThat(result.exitCode()).as("%s; stack counters and events: %s", result.output(), guest.stack().counters().snapshot() + " " + guest.events())
                .isZero();
        var parts = result.output().strip().split("\\s+");
        assertThat(parts[0]).as("sha256 the host received: %s", result.output())
                .isEqualTo(expected.output().strip().split("\\s+")[0]);
        assertThat(Long.parseLong(parts[1])).isEqualTo(blocks * 16L * 1024 * 1024);
    }
}
