package dev.gangway.integration.up;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code gangway} and {@code docker} as a user would, as separate processes with a private
 * {@code GANGWAY_HOME} and {@code DOCKER_CONFIG}, so a test VM never touches a developer's own.
 */
final class GangwayCli {
    /** What a finished command printed (stdout and stderr together) and its exit code. */
    record Run(int exitCode, String output) {
    }

    private final Path home;
    private final Path dockerConfig;
    private final Map<String, String> extraEnv = new HashMap<>();

    GangwayCli(Path home) {
        this.home = home;
        this.dockerConfig = home.resolve("docker-config");
    }

    Path home() {
        return home;
    }

    GangwayCli env(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    Run gangway(Duration limit, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "dev.gangway.launcher.cli.Main"));
        command.addAll(List.of(args));
        return run(command, limit, null);
    }

    Run docker(Duration limit, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("docker", "--context", "gangway"));
        command.addAll(List.of(args));
        return run(command, limit, null);
    }

    Run run(List<String> command, Duration limit, Path stdin) throws IOException, InterruptedException {
        Files.createDirectories(dockerConfig);
        var log = Files.createTempFile(home, "run-", ".log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        builder.environment().put("GANGWAY_HOME", home.toString());
        builder.environment().put("DOCKER_CONFIG", dockerConfig.toString());
        builder.environment().putAll(extraEnv);
        var process = builder.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + limit.toSeconds()
                    + " s; it printed: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        var output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(process.exitValue(), output);
    }
}
