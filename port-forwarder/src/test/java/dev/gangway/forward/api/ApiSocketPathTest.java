package dev.gangway.forward.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiSocketPathTest {
    @Test
    void prefersTheRuntimeDirThenTheHomeFolder() {
        assertThat(ApiSocketPath.defaultPath(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), Path.of("/home/u")))
                .isEqualTo(Path.of("/run/user/1000/gangway/api.sock"));
        assertThat(ApiSocketPath.defaultPath(Map.of(), Path.of("/home/u")))
                .isEqualTo(Path.of("/home/u/.gangway/run/api.sock"));
        assertThat(ApiSocketPath.defaultPath(Map.of("XDG_RUNTIME_DIR", ""), Path.of("/home/u")))
                .isEqualTo(Path.of("/home/u/.gangway/run/api.sock"));
    }
}
