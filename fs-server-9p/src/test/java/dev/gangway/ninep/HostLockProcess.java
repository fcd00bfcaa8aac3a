package dev.gangway.ninep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts {@code HostLock.java} (a test resource) as a separate host process with this JVM's java. */
public final class HostLockProcess {
    private HostLockProcess() {
    }

    public static Process start(Path file, String mode) throws IOException {
        var source = Files.createTempDirectory("hostlock-").resolve("HostLock.java");
        try (InputStream in = HostLockProcess.class.getResourceAsStream("/ninep/HostLock.java")) {
            Files.copy(in, source);
        }
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, source.toString(), file.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
