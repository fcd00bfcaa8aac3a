package dev.gangway.fsevents.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GuestAgentOptionsTest {
    @Test
    void parsesAWholeCommandLine() {
        var options = GuestAgent.Options.parse(new String[] {"--connect", "192.168.65.1:5640", "--share", "src=/mnt/src",
            "--share", "data=/mnt/data", "--state", "/run/agent.state", "--fsuid", "4242:4343"});
        assertThat(options.host().getPort()).isEqualTo(5640);
        assertThat(options.mounts()).containsEntry("src", Path.of("/mnt/src")).containsEntry("data", Path.of("/mnt/data"));
        assertThat(options.fsuid()).isEqualTo(4242);
        assertThat(options.fsgid()).isEqualTo(4343);
    }

    @Test
    void refusesWhatItCannotUse() {
        for (var args : new String[][] {
            {"--connect", "192.168.65.1:5640", "--share", "src=/mnt/src", "--state", "/s"},
            {"--connect", "192.168.65.1:5640", "--share", "src=relative", "--state", "/s", "--fsuid", "1"},
            {"--connect", "192.168.65.1:5640", "--share", "src=/m", "--state", "/s", "--fsuid", "0"},
            {"--connect", "nohost", "--share", "src=/m", "--state", "/s", "--fsuid", "1"},
            {"--bogus"},
        }) {
            assertThatThrownBy(() -> GuestAgent.Options.parse(args)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
