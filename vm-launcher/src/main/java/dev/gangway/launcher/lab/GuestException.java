package dev.gangway.launcher.lab;

import java.io.IOException;
import java.util.List;

/**
 * The guest failed to boot, stopped answering, or a command overran its time. The message ends with the
 * tail of the guest's serial console, where the kernel and {@code /init} say what went wrong.
 */
public final class GuestException extends IOException {
    private final List<String> consoleTail;

    GuestException(String problem, List<String> consoleTail) {
        this(problem, consoleTail, null);
    }

    GuestException(String problem, List<String> consoleTail, Throwable cause) {
        super(problem + format(consoleTail), cause);
        this.consoleTail = List.copyOf(consoleTail);
    }

    /** The last lines of the serial console when the problem was seen. */
    public List<String> consoleTail() {
        return consoleTail;
    }

    private static String format(List<String> tail) {
        if (tail.isEmpty()) {
            return "\n--- console: (empty) ---";
        }
        return "\n--- last " + tail.size() + " console lines ---\n" + String.join("\n", tail) + "\n--- end of console ---";
    }
}
