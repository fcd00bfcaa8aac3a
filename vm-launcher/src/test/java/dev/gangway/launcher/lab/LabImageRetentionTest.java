package dev.gangway.launcher.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabImageRetentionTest {
    @Test
    void keepsTheCurrentAndRecentlyUsedImagesOnly(@TempDir Path lab) throws Exception {
        var current = Files.createDirectories(lab.resolve("1111"));
        var recent = Files.createDirectories(lab.resolve("2222"));
        var old = Files.createDirectories(lab.resolve("3333"));
        Files.writeString(old.resolve("vmlinuz"), "k");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(LabImage.UNUSED_FOR).minus(Duration.ofHours(1))));
        Files.setLastModifiedTime(current, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        var abandoned = Files.createDirectories(lab.resolve("build-42/image"));

        LabImage.removeStale(lab, current);

        assertThat(current).exists();
        assertThat(recent).exists();
        assertThat(old).doesNotExist();
        assertThat(abandoned.getParent()).doesNotExist();
    }
}
