package dev.gangway.launcher.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads kernel settings under {@code /proc/sys}. */
public final class Sysctl {
    private Sysctl() {
    }

    /** The file behind a dotted name, e.g. {@code net.ipv4.ping_group_range}. */
    public static Path file(String name) {
        return Path.of("/proc/sys", name.replace('.', '/'));
    }

    /**
     * The setting's text, read with one {@code read(2)}: some sysctl handlers answer a read at a non-zero
     * offset with end-of-file, so reading in small steps (as {@code Files.readString} does for the size-0
     * files of procfs) gets only the first byte.
     */
    public static String read(String name) throws IOException {
        try (var in = Files.newInputStream(file(name))) {
            var buffer = new byte[4096];
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII).strip();
        }
    }
}
