package dev.gangway.forward.api;

import java.nio.file.Path;
import java.util.Map;

/** Where the control API listens by default. */
public final class ApiSocketPath {
    private ApiSocketPath() {
    }

    /** {@code $XDG_RUNTIME_DIR/gangway/api.sock}, or {@code ~/.gangway/run/api.sock} without a runtime dir. */
    public static Path defaultPath() {
        return defaultPath(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Path defaultPath(Map<String, String> env, Path home) {
        var runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()) {
            return Path.of(runtime, "gangway", "api.sock");
        }
        return home.resolve(".gangway").resolve("run").resolve("api.sock");
    }
}
