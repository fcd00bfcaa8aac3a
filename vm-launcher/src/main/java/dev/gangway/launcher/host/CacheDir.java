package dev.gangway.launcher.host;

import java.nio.file.Path;

/** Where Gangway keeps what it builds or learns once per machine: {@code $XDG_CACHE_HOME/gangway}. */
public final class CacheDir {
    private CacheDir() {
    }

    /** {@code $XDG_CACHE_HOME/gangway}, or {@code ~/.cache/gangway}; the system property {@code gangway.cache} wins. */
    public static Path root() {
        var override = System.getProperty("gangway.cache");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        var xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "gangway");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "gangway");
    }
}
