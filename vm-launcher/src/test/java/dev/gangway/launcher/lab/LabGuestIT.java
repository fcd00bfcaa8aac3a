package dev.gangway.launcher.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One booted lab guest, driven through the command channel. */
class LabGuestIT {
    @RegisterExtension
    static LabGuestExtension guest = LabGuestExtension.create().name("lab-guest-it");

    @Test
    void runsTheImagesKernel() throws Exception {
        var result = guest.vm().exec("uname -r");
        assertThat(result.exitCode()).isZero();
        assertThat(result.output().strip()).isEqualTo(guest.image().kernelVersion());
        System.out.printf("lab guest boot to first command: %d ms with %s (kernel %s)%n",
                guest.vm().bootTime().toMillis(), guest.vm().accelKvm() ? "KVM" : "TCG", result.output().strip());
    }

    @Test
    void hasNinePAndTheListedModulesLoaded() throws Exception {
        var nineP = guest.vm().exec("grep 9p /proc/filesystems");
        assertThat(nineP.exitCode()).isZero();
        assertThat(nineP.output()).containsPattern("(?m)^nodev\\s+9p$");
        var modules = guest.vm().exec("cut -d' ' -f1 /proc/modules");
        assertThat(modules.output().lines()).contains("virtio_net", "virtio_console", "virtio_pci", "9pnet_virtio",
                "9pnet_fd", "9p", "ext4", "vsock", "vmw_vsock_virtio_transport");
    }

    @Test
    void exitCodeAndInterleavedStdoutStderr() throws Exception {
        var result = guest.vm().exec("echo one; echo two >&2; echo three; exit 7");
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.output()).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void outputCarriesEveryByteValue() throws Exception {
        var result = guest.vm().execRaw(
                "i=0; while [ $i -lt 256 ]; do printf \"\\\\$(printf %o $i)\"; i=$((i + 1)); done",
                Duration.ofSeconds(60));
        var expected = new ByteArrayOutputStream();
        for (int i = 0; i < 256; i++) {
            expected.write(i);
        }
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).isEqualTo(expected.toByteArray());
    }

    @Test
    void largeOutputArrivesWhole() throws Exception {
        var result = guest.vm().execRaw("head -c 3000000 /dev/zero | tr '\\0' x", Duration.ofSeconds(60));
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).hasSize(3_000_000).containsOnly((byte) 'x');
    }

    @Test
    void streamedOutputArrivesInOrderWithTheExitCode() throws Exception {
        var received = new ByteArrayOutputStream();
        var chunks = new java.util.concurrent.atomic.AtomicInteger();
        int exitCode = guest.vm().execStreaming(
                "echo first; sleep 1; echo second >&2; head -c 200000 /dev/zero | tr '\\0' y; exit 5",
                Duration.ofSeconds(60), chunk -> {
                    chunks.incrementAndGet();
                    received.writeBytes(chunk);
                });
        assertThat(exitCode).isEqualTo(5);
        assertThat(received.toString(java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("first\nsecond\n" + "y".repeat(200_000));
        assertThat(chunks.get()).as("200 kB cannot come in one 64 KiB chunk").isGreaterThan(3);
        assertThat(guest.vm().exec("echo after").output()).isEqualTo("after\n");
    }

    @Test
    void streamedCommandsAreKilledAtTheirLimitToo() throws Exception {
        assertThatThrownBy(() -> guest.vm().execStreaming("echo started; sleep 61 & sleep 62", Duration.ofSeconds(1), chunk -> { }))
                .isInstanceOf(GuestException.class)
                .hasMessageContaining("did not finish within 1 s");
        assertThat(guest.vm().exec("echo still here").output()).isEqualTo("still here\n");
        assertThat(guest.vm().exec("ps -o args | grep -c '^sleep 6[12]$'").output().strip())
                .as("the command's session was killed").isEqualTo("0");
    }

    @Test
    void commandsSeeNoChannelAndNoStdin() throws Exception {
        var result = guest.vm().exec("cat; ls /proc/self/fd | sort -n | tr '\\n' ' '");
        assertThat(result.exitCode()).isZero();
        assertThat(result.output().strip()).isEqualTo("0 1 2 3");
    }

    @Test
    void timeoutKillsTheCommandQuotesTheConsoleAndTheChannelLives() throws Exception {
        assertThatThrownBy(() -> guest.vm().exec("sleep 60", Duration.ofSeconds(1)))
                .isInstanceOf(GuestException.class)
                .hasMessageContaining("did not finish within 1 s")
                .hasMessageContaining("gangway-init: ready");
        assertThat(guest.vm().exec("echo still here").output()).isEqualTo("still here\n");
    }

    @Test
    void hostToolsRunInTheGuest() throws Exception {
        var result = guest.vm().exec("""
                set -e
                inotifywait --help >/dev/null 2>&1 || [ $? -eq 1 ]
                sqlite3 /tmp/t.db 'create table t(x); insert into t values (42); select x from t;'
                git init -q /tmp/origin
                git -C /tmp/origin -c user.email=lab@gangway -c user.name=lab commit -q --allow-empty -m first
                git clone -q /tmp/origin /tmp/clone
                git -C /tmp/clone status --short --branch
                """, Duration.ofSeconds(60));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("42\n").contains("## master...origin/master");
    }
}
