package dev.gangway.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.lab.LabGuestExtension;
import dev.gangway.launcher.lab.LabImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code gangway doctor} on this machine: every check reports, and the real KVM verdict is printed. */
class DoctorCommandIT {
    @Test
    void reportsEveryCheckWithAStatusAndFixes() throws Exception {
        LabGuestExtension.requirePrerequisites();
        LabImage.ensure();
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(new String[] {"doctor"}, new PrintWriter(out, true), new PrintWriter(err, true));
        var text = out.toString();
        System.out.print(text);
        for (var check : new String[] {"jdk", "qemu", "lab tools", "lab image", "kvm", "tun", "netns", "ping"}) {
            assertThat(text).containsPattern("(?m)^(ok|warning|info|missing) +" + check + " ");
        }
        assertThat(text).containsPattern("(?m)^ok +lab image +built, kernel ");
        assertThat(text).containsPattern("(?m)^(ok +kvm +usable|warning +kvm +not usable \\(falls back to TCG\\))");
        assertThat(text.lines().filter(line -> line.startsWith("missing")).count() == 0).isEqualTo(code == 0);
        if (text.contains("warning  ping")) {
            assertThat(text).contains("fix: sudo sysctl -w net.ipv4.ping_group_range=");
        }
    }
}
