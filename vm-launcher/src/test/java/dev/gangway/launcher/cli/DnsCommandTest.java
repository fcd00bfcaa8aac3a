package dev.gangway.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gangway dns serve}: every user mistake is one line naming the problem and the fix, exit code 2. */
class DnsCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--listen|localhost:53|is not an IP address",
        "--listen|127.0.0.1:99999|no valid port",
        "--upstream|1.2.3|is not an IP address",
        "--record|x.test MX 10 mail.test|is not one of A, AAAA, CNAME, TXT, SRV",
        "--record|x.test A fd00::1|is not an IPv4 address",
        "--mode|magic|--mode 'magic' is unknown",
        "--timeout|soon|is not a duration",
        "--host-alias|host|is not an IP address",
        "--threads|0|out of range",
    })
    void badOptionIsOneLineWithAFix(String option, String value, String problem) {
        assertThat(run("dns", "serve", "--upstream", "127.0.0.1:1", option, value)).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("gangway: ").contains(problem).contains("fix:");
    }

    @Test
    void vmNameNeedsAnAddress() {
        assertThat(run("dns", "serve", "--upstream", "127.0.0.1:1", "--vm-name", "docker-vm")).isEqualTo(2);
        assertThat(err.toString()).contains("--vm-name and --vm-address go together");
    }

    @Test
    void unreadableResolvConfWithoutUpstreamIsExplained() {
        assertThat(run("dns", "serve", "--resolv-conf", "/nonexistent/resolv.conf")).isEqualTo(2);
        assertThat(err.toString()).contains("no upstream").contains("--upstream IP[:PORT]");
    }

    @Test
    void helpDescribesTheOptions() {
        assertThat(run("dns", "serve", "--help")).isZero();
        assertThat(out.toString()).contains("--listen", "--upstream", "--resolv-conf", "--mode", "--record",
                "--min-ttl", "--max-ttl", "--cache-size");
    }
}
