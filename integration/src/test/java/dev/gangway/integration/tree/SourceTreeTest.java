package dev.gangway.integration.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tree keeps its own rules: every main package opens with a {@code package-info.java} that says what
 * it does, and no main source carries markers of unfinished work.
 */
class SourceTreeTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private static List<Path> mainPackages() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .map(Path::getParent).distinct().sorted().toList();
        }
    }

    @Test
    void everyMainPackageHasADocumentedPackageInfo() throws IOException {
        var packages = mainPackages();
        assertThat(packages).as("main packages found under %s", ROOT).hasSizeGreaterThan(10);
        for (var dir : packages) {
            var info = dir.resolve("package-info.java");
            assertThat(info).as("package-info.java in %s", ROOT.relativize(dir)).exists();
            var text = Files.readString(info);
            assertThat(text.substring(0, text.indexOf("package ")))
                    .as("documentation of %s", ROOT.relativize(dir)).contains("/**").hasSizeGreaterThan(120);
        }
    }

    @Test
    void noMainSourceCarriesUnfinishedWorkMarkers() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            var offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/") && !p.toString().contains("/target/"))
                    .filter(p -> {
                        try {
                            var text = Files.readString(p);
                            return text.contains("TODO") || text.contains("FIXME")
                                    || text.contains("not implemented");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).map(ROOT::relativize).toList();
            assertThat(offenders).isEmpty();
        }
    }
}
