package dev.gangway.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmRunCommandTest {
    @Test
    void plainWordsStayAsTheyAre() {
        assertThat(VmRunCommand.shellWords(List.of("uname", "-a"))).isEqualTo("uname -a");
        assertThat(VmRunCommand.shellWords(List.of("ls", "/proc/self/fd"))).isEqualTo("ls /proc/self/fd");
    }

    @Test
    void wordsWithShellCharactersAreSingleQuoted() {
        assertThat(VmRunCommand.shellWords(List.of("sh", "-c", "echo $HOME | wc -c")))
                .isEqualTo("sh -c 'echo $HOME | wc -c'");
        assertThat(VmRunCommand.shellWords(List.of("echo", "it's", ""))).isEqualTo("echo 'it'\\''s' ''");
    }

    @Test
    void utf8SplitAcrossChunksPrintsWhole() {
        var text = new StringWriter();
        var sink = new VmRunCommand.Utf8Text(new PrintWriter(text));
        var bytes = "grüß → 🚢\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : bytes) {
            sink.accept(new byte[] {b});
        }
        sink.finish();
        assertThat(text.toString()).isEqualTo("grüß → 🚢\n");
    }

    @Test
    void invalidAndTruncatedUtf8BecomeReplacementCharacters() {
        var text = new StringWriter();
        var sink = new VmRunCommand.Utf8Text(new PrintWriter(text));
        sink.accept(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xe2, (byte) 0x86});
        sink.finish();
        assertThat(text.toString()).isEqualTo("a\ufffdb\ufffd");
    }

    @Test
    void withoutLabIsAUserErrorWithTheFix() {
        var err = new StringWriter();
        int code = Main.run(new String[] {"vm", "run", "--", "true"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("fix: add --lab");
    }
}
