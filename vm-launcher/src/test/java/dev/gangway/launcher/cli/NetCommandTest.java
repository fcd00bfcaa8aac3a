package dev.gangway.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** User errors of {@code gangway net serve} and {@code gangway tap-bridge}: one line, exit code 2. */
class NetCommandTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badLinkSpecIsAUserError() {
        var result = run("net", "serve", "--link", "qemu:carrier-pigeon:/x");
        assertThat(result.code()).isEqualTo(Main.USAGE);
        assertThat(result.err()).startsWith("gangway: bad link 'qemu:carrier-pigeon:/x'").contains("fix:");
        assertThat(result.err().strip().lines()).hasSize(1);
    }

    @Test
    void mtuOutOfRangeIsAUserError() {
        var result = run("net", "serve", "--link", "qemu:unix:/tmp/x.sock", "--mtu", "70000");
        assertThat(result.code()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("MTU must be between 576 and 65520").contains("fix:");
    }

    @Test
    void badSubnetIsAUserError() {
        var result = run("net", "serve", "--link", "qemu:unix:/tmp/x.sock", "--subnet", "192.168.65.7/24");
        assertThat(result.code()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("not a network address");
    }

    @Test
    void tapBridgeNeedsAnExistingNamespace() {
        var result = run("tap-bridge", "--netns", "gangway-no-such-ns-42", "--connect", "qemu:unix:/tmp/x.sock");
        assertThat(result.code()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("network namespace 'gangway-no-such-ns-42' does not exist")
                .contains("fix: sudo ip netns add");
    }

    @Test
    void tapBridgeRefusesANonStreamLink() {
        var result = run("tap-bridge", "--connect", "vfkit:/tmp/x.sock");
        assertThat(result.code()).isEqualTo(Main.USAGE);
    }
}
