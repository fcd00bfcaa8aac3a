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

    /**
     * Runs {@code command} in the guest in the background and waits for it (the lab's exec waits 90 s at
     * most; the acceptance sizes take longer), allowing a minute plus one second per MiB.
     */
    static NamespaceGuest.Result longRun(NamespaceGuest guest, String command, long bytes) throws Exception {
        var id = java.util.UUID.randomUUID().toString();
        var out = guest.dir().resolve("run-" + id + ".out");
        var rc = guest.dir().resolve("run-" + id + ".rc");
        var script = guest.dir().resolve("run-" + id + ".sh");
        java.nio.file.Files.writeString(script, "(" + command + ") > " + out + " 2>&1; echo $? > " + rc + ".tmp; mv "
                + rc + ".tmp " + rc + "\n");
        var started = guest.exec("setsid sh " + script + " </dev/null >/dev/null 2>&1 &");
        assertThat(started.exitCode()).as(started.output()).isZero();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60 + (bytes >> 20)).toNanos();
        while (!java.nio.file.Files.exists(rc)) {
            assertThat(System.nanoTime() - deadline).as("%s still running", command).isNegative();
            Thread.sleep(200);
        }
        return new NamespaceGuest.Result(Integer.parseInt(java.nio.file.Files.readString(rc).strip()),
                java.nio.file.Files.readString(out));
    }

    static void download(NamespaceGuest guest, HashingHttpServer http, long bytes) throws Exception {
        NamespaceGuest.require(NamespaceGuest.onPath("curl"), "curl");
        var result = longRun(guest, "curl -sS --fail http://192.168.65.254:" + http.port() + "/bytes/" + bytes
                + " | sha256sum", bytes);
        assertThat(result.exitCode()).as("%s; stack counters and events: %s", result.output(),
                guest.stack().counters().snapshot() + " " + guest.events())
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
        long bytes = blocks * 16L * 1024 * 1024;
        var expected = longRun(guest, stream + " | sha256sum", bytes);
        var result = longRun(guest, stream + " | curl -sS --fail -T - http://192.168.65.254:" + http.port() + "/upload",
                bytes);
        assertThat(result.exitCode()).as("%s; stack counters and events: %s", result.output(),
                guest.stack().counters().snapshot() + " " + guest.events())
                .isZero();
        var parts = result.output().strip().split("\\s+");
        assertThat(parts[0]).as("sha256 the host received: %s", result.output())
                .isEqualTo(expected.output().strip().split("\\s+")[0]);
        assertThat(Long.parseLong(parts[1])).isEqualTo(bytes);
    }
}
