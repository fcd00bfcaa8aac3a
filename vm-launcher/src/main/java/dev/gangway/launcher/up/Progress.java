package dev.gangway.launcher.up;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The daemon's progress lines in its log, which {@code gangway up} follows and prints:
 * {@code step SECONDS TEXT}, then {@code ready SECONDS TEXT} or {@code failed TEXT}. Other log lines are
 * the daemon's own and are not shown by {@code up}.
 */
final class Progress {
    static final String STEP = "step ";
    static final String READY = "ready ";
    static final String FAILED = "failed ";

    private Progress() {
    }

    static void step(PrintStream out, Instant since, String text) {
        line(out, STEP + seconds(since) + " " + text);
    }

    static void ready(PrintStream out, Instant since, Path dockerSocket) {
        line(out, READY + seconds(since) + " " + dockerSocket);
    }

    static void failed(PrintStream out, String text) {
        line(out, FAILED + text);
    }

    private static void line(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static String seconds(Instant since) {
        return String.format(Locale.ROOT, "%.1f", Duration.between(since, Instant.now()).toMillis() / 1000.0);
    }
}
