package dev.gangway.launcher.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabImageInputsTest {
    private static LabImageInputs inputs(String kernelVersion, String busybox, String scripts, List<String> binaries) {
        return new LabImageInputs("linux-image-6.1.0-56-amd64", kernelVersion, busybox, scripts,
                LabImageInputs.MODULES, binaries);
    }

    private final LabImageInputs base = inputs("6.1.192-2", "1:1.35.0-4", "#!/bin/sh\n", List.of("/usr/bin/git@1:2"));

    @Test
    void sameInputsSameHash() {
        assertThat(inputs("6.1.192-2", "1:1.35.0-4", "#!/bin/sh\n", List.of("/usr/bin/git@1:2")).hash())
                .isEqualTo(base.hash())
                .hasSize(16)
                .matches("[0-9a-f]+");
    }

    @Test
    void everyInputChangesTheHash() {
        assertThat(inputs("6.1.192-3", "1:1.35.0-4", "#!/bin/sh\n", List.of("/usr/bin/git@1:2")).hash())
                .as("kernel package version").isNotEqualTo(base.hash());
        assertThat(inputs("6.1.192-2", "1:1.36.0-1", "#!/bin/sh\n", List.of("/usr/bin/git@1:2")).hash())
                .as("busybox version").isNotEqualTo(base.hash());
        assertThat(inputs("6.1.192-2", "1:1.35.0-4", "#!/bin/sh\necho\n", List.of("/usr/bin/git@1:2")).hash())
                .as("init script").isNotEqualTo(base.hash());
        assertThat(inputs("6.1.192-2", "1:1.35.0-4", "#!/bin/sh\n", List.of("/usr/bin/git@1:3")).hash())
                .as("a host binary").isNotEqualTo(base.hash());
    }

    @Test
    void fieldBoundariesCount() {
        // "ab" + "c" and "a" + "bc" must not collide.
        var left = new LabImageInputs("linux-image-x", "ab", "c", "", List.of(), List.of());
        var right = new LabImageInputs("linux-image-x", "a", "bc", "", List.of(), List.of());
        assertThat(left.hash()).isNotEqualTo(right.hash());
    }

    @Test
    void findsTheCompressedPayloadInAKernelImage() {
        byte[] image = {1, 2, (byte) 0xfd, '7', 'z', 'X', 'Z', 0, 9};
        assertThat(LabImageBuild.indexOf(image, new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0})).isEqualTo(2);
        assertThat(LabImageBuild.indexOf(image, new byte[] {'Z', 0, 9, 9})).isEqualTo(-1);
        assertThat(LabImageBuild.indexOf(new byte[0], new byte[] {1})).isEqualTo(-1);
    }

    @Test
    void kernelVersionIsThePackageNameWithoutItsPrefix() {
        assertThat(base.kernelVersion()).isEqualTo("6.1.0-56-amd64");
    }

    @Test
    void theShippedScriptsAreThere() {
        assertThat(LabImageInputs.resource("init.sh")).startsWith("#!/bin/sh").contains("gangway.cmd");
        assertThat(LabImageInputs.resource("udhcpc.script")).contains("ip route replace default via");
    }
}
