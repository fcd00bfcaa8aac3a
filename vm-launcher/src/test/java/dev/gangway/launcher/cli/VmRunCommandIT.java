package dev.gangway.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.lab.LabGuestExtension;
import dev.gangway.launcher.lab.LabImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code gangway vm run --lab --net user -- CMD}: output printed, CMD's exit code returned, guest gone. */
class VmRunCommandIT {
    @Test
    void runsTheCommandWithUserNetworkingAndExitsWithItsCode() throws Exception {
        LabGuestExtension.requirePrerequisites();
        var image = LabImage.ensure();
        try (var host = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // A host service on loopback only: the guest reaches it as 10.0.2.2 through QEMU's user network.
            Thread.ofVirtual().start(() -> {
                try (var peer = host.accept()) {
                    peer.getOutputStream().write("hello from host loopback\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    // The test's assertion on the guest's output reports a failed connection.
                }
            });
            var out = new StringWriter();
            var err = new StringWriter();
            int code = Main.run(new String[] {"vm", "run", "--lab", "--net", "user", "--",
                    "sh", "-c", "uname -r; ip -4 -o addr show dev eth0 | grep -o 'inet [0-9./]*'; "
                            + "ip route show default; nc 10.0.2.2 " + host.getLocalPort() + " </dev/null; exit 42"},
                    new PrintWriter(out, true), new PrintWriter(err, true));
            assertThat(code).as(err.toString()).isEqualTo(42);
            assertThat(out.toString())
                    .startsWith(image.kernelVersion() + "\n")
                    .contains("inet 10.0.2.15/24")
                    .contains("default via 10.0.2.2 dev eth0")
                    .contains("hello from host loopback\n");
        }
        assertThat(ProcessHandle.current().children().filter(p -> p.info().command().orElse("").contains("qemu")))
                .as("no QEMU left behind")
                .isEmpty();
    }
}
