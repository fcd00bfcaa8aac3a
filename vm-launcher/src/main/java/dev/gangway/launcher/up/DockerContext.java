package dev.gangway.launcher.up;

import dev.gangway.launcher.host.HostCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The Docker CLI context {@code gangway}, pointing at the forwarded socket: created, or updated when it
 * exists (the CLI's own {@code docker context} commands, so its config stays the CLI's business).
 */
final class DockerContext {
    static final String NAME = "gangway";

    private DockerContext() {
    }

    static void createOrUpdate(Path socket, Consumer<String> progress) throws IOException {
        if (HostCommand.which("docker").isEmpty()) {
            progress.accept("no docker CLI on this machine, so no context; use the socket directly:"
                    + " DOCKER_HOST=unix://" + socket);
            return;
        }
        var host = "host=unix://" + socket;
        var exists = HostCommand.of("docker", "context", "inspect", NAME).execute().ok();
        var verb = exists ? "update" : "create";
        HostCommand.of("docker", "context", verb, NAME, "--description", "Gangway Docker VM", "--docker", host).run();
        progress.accept("Docker CLI context '" + NAME + "' " + (exists ? "updated" : "created") + " ("
                + host + ")");
    }
}
