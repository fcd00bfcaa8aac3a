package dev.gangway.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheCallingThreadActsAsTheFsUserAndKeepsItsFileCapabilities() throws Exception {
        assumeThat(System.getProperty("user.name")).as("setfsuid needs root").isEqualTo("root");
        var closed = Files.createDirectory(dir.resolve("root-only"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        var failure = new AtomicReference<Throwable>();
        var thread = Thread.ofPlatform().start(() -> {
            try {
                Credentials.actAsFsUser(4242, 4343);
                Files.writeString(closed.resolve("by-agent"), "x");
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.join();
        assertThat(failure.get()).isNull();
        assertThat(Files.getAttribute(closed.resolve("by-agent"), "unix:uid")).isEqualTo(4242);
        assertThat(Files.getAttribute(closed.resolve("by-agent"), "unix:gid")).isEqualTo(4343);
        Files.writeString(closed.resolve("by-test"), "y");
        assertThat(Files.getAttribute(closed.resolve("by-test"), "unix:uid")).as("other threads unchanged").isEqualTo(0);
    }
}
