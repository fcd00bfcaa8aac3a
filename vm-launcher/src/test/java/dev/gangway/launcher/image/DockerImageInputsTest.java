package dev.gangway.launcher.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerImageInputsTest {
    @Test
    void mirrorIsTheDebianArchiveOfDeb822OrOneLineSources() {
        assertThat(DockerImageInputs.mirrorIn(List.of("Types: deb", "URIs: http://deb.debian.org/debian",
                "Suites: bookworm"))).isEqualTo("http://deb.debian.org/debian");
        assertThat(DockerImageInputs.mirrorIn(List.of("URIs: http://security.debian.org/debian-security",
                "URIs: http://mirror.example/debian"))).isEqualTo("http://mirror.example/debian");
        assertThat(DockerImageInputs.mirrorIn(List.of("deb [arch=amd64] http://ftp.example/debian bookworm main")))
                .isEqualTo("http://ftp.example/debian");
        assertThat(DockerImageInputs.mirrorIn(List.of("# nothing"))).isNull();
    }

    @Test
    void hashFollowsEveryInput() {
        var base = new DockerImageInputs("6.1.0-56-amd64", Path.of("/c/lab/abc"), "bookworm", "http://m/debian",
                List.of("docker.io"), List.of("overlay"), "#!/bin/sh");
        assertThat(base.hash()).hasSize(16).isEqualTo(new DockerImageInputs("6.1.0-56-amd64", Path.of("/x/lab/abc"),
                "bookworm", "http://m/debian", List.of("docker.io"), List.of("overlay"), "#!/bin/sh").hash());
        assertThat(base.hash()).isNotEqualTo(new DockerImageInputs("6.1.0-56-amd64", Path.of("/c/lab/abd"),
                "bookworm", "http://m/debian", List.of("docker.io"), List.of("overlay"), "#!/bin/sh").hash());
        assertThat(base.hash()).isNotEqualTo(new DockerImageInputs("6.1.0-56-amd64", Path.of("/c/lab/abc"),
                "bookworm", "http://m/debian", List.of("docker.io"), List.of("overlay"), "#!/bin/sh\n").hash());
        assertThat(base.hash()).isNotEqualTo(new DockerImageInputs("6.1.0-56-amd64", Path.of("/c/lab/abc"),
                "bookworm", "http://m/debian", List.of("docker.io", "runc"), List.of("overlay"), "#!/bin/sh").hash());
    }

    @Test
    void theGuestScriptsAreInTheJar() {
        for (var script : DockerImageInputs.SCRIPTS) {
            assertThat(DockerImageInputs.resource(script)).startsWith("#!/bin/sh");
        }
    }
}
