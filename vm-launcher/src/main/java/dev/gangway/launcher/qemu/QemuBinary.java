package dev.gangway.launcher.qemu;

import dev.gangway.launcher.host.HostCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The host's {@code qemu-system-x86_64}: where it is and which version it is. */
public record QemuBinary(Path path, String version) {
    public static final String NAME = "qemu-system-x86_64";
    /** The Debian package that provides it, for fix messages. */
    public static final String PACKAGE = "qemu-system-x86";

    /** The last binary found: asking its version costs a process per guest otherwise. */
    private static volatile QemuBinary known;

    /** The binary on {@code PATH}, or empty when QEMU is not installed. */
    public static Optional<QemuBinary> find() throws IOException {
        var path = HostCommand.which(NAME);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        var last = known;
        if (last != null && last.path.equals(path.get())) {
            return Optional.of(last);
        }
        var out = HostCommand.of(path.get().toString(), "--version").timeout(Duration.ofSeconds(20)).run();
        var first = out.lines().findFirst().orElse("").strip();
        var version = first.replaceFirst("^QEMU emulator version\\s*", "");
        var found = new QemuBinary(path.get(), version);
        known = found;
        return Optional.of(found);
    }

    /** Like {@link #find()}, but a missing QEMU is an exception that says how to install it. */
    public static QemuBinary require() throws IOException {
        return find().orElseThrow(() -> new IOException(
                NAME + " is not installed; fix: sudo apt-get install " + PACKAGE));
    }
}
