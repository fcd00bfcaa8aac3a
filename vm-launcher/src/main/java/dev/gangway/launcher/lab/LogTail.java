package dev.gangway.launcher.lab;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a log file that may still be growing. */
final class LogTail {
    private static final int WINDOW = 64 << 10;

    private LogTail() {
    }

    static List<String> lastLines(Path log, int count) {
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        try (var file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(0, length - WINDOW);
            var bytes = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(bytes);
            var lines = new String(bytes, StandardCharsets.UTF_8).replace("\r", "").lines()
                    .filter(line -> !line.isBlank()).toList();
            if (start > 0 && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size());
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return List.of("(could not read " + log + ": " + e.getMessage() + ")");
        }
    }
}
