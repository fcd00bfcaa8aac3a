package dev.gangway.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gangway 9p serve}: mistakes in flags are one line and exit code 2. */
class NinePCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badShareSyntaxIsAUserError() {
        var r = run("9p", "serve", "--share", "nopath");
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("is not NAME=PATH[:ro]").contains("fix:");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void missingFolderIsAUserError() {
        var r = run("9p", "serve", "--share", "s=" + dir.resolve("missing"));
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("is not a folder");
    }

    @Test
    void badListenAndModeAreUserErrors() {
        var r = run("9p", "serve", "--share", "s=" + dir, "--listen", "udp:1.2.3.4:5");
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("is not tcp:ADDR:PORT or unix:PATH");
        r = run("9p", "serve", "--share", "s=" + dir, "--mode", "weird");
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("unknown --mode");
        r = run("9p", "serve", "--share", "s=" + dir, "--share", "s=" + dir);
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("given twice");
    }

    @Test
    void shareIsRequired() {
        var r = run("9p", "serve");
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("--share");
    }
}
