package dev.gangway.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void versionPrintsProjectAndJava() {
        assertThat(run("version")).isZero();
        assertThat(out.toString()).startsWith("gangway ").contains("java " + Runtime.version());
    }

    @Test
    void unknownFlagIsOneLineWithTheFixAndExitCode2() {
        assertThat(run("--no-such-flag")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement()
                .asString().contains("--no-such-flag").contains("gangway --help");
    }

    @Test
    void helpListsSubcommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("version");
    }
}
