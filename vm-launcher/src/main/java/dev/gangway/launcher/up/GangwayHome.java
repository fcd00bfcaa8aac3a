package dev.gangway.launcher.up;

import java.nio.file.Path;

/**
 * Where one Docker VM keeps its state: {@code ~/.gangway} (or {@code $GANGWAY_HOME}, or the system property
 * {@code gangway.home}), with the data disk at its top and everything that lives only while the VM runs
 * under {@code run/}. Tests give each run its own home, so they can run beside a developer's real VM.
 *
 * @param dir the home folder, absolute
 */
public record GangwayHome(Path dir) {
    public static GangwayHome resolve() {
        var property = System.getProperty("gangway.home");
        if (property != null && !property.isBlank()) {
            return new GangwayHome(Path.of(property).toAbsolutePath());
        }
        var env = System.getenv("GANGWAY_HOME");
        if (env != null && !env.isBlank()) {
            return new GangwayHome(Path.of(env).toAbsolutePath());
        }
        return new GangwayHome(Path.of(System.getProperty("user.home"), ".gangway"));
    }

    public Path run() {
        return dir.resolve("run");
    }

    /** The sparse ext4 disk mounted at {@code /var/lib/docker} in the guest: images survive down and up. */
    public Path dataDisk() {
        return dir.resolve("data.img");
    }

    /** The Docker API of the guest, forwarded. */
    public Path dockerSocket() {
        return run().resolve("docker.sock");
    }

    /** The daemon's control socket ({@link ControlServer}). */
    public Path controlSocket() {
        return run().resolve("control.sock");
    }

    /** The port forwarder's API ({@code gangway expose --api}). */
    public Path apiSocket() {
        return run().resolve("api.sock");
    }

    /** Where QEMU's virtio-net meets the stack ({@code -netdev stream}). */
    public Path linkSocket() {
        return run().resolve("net.sock");
    }

    /** Where QEMU connects the command channel while the guest boots. */
    public Path channelSocket() {
        return run().resolve("cmd.sock");
    }

    public Path pidFile() {
        return run().resolve("daemon.pid");
    }

    public Path configFile() {
        return run().resolve("config.json");
    }

    public Path stateFile() {
        return run().resolve("state.json");
    }

    public Path daemonLog() {
        return run().resolve("daemon.log");
    }

    public Path consoleLog() {
        return run().resolve("console.log");
    }

    public Path qemuLog() {
        return run().resolve("qemu.log");
    }

    /** Why the last daemon ended, when it did not end by {@code gangway down}. */
    public Path lastExit() {
        return run().resolve("last-exit");
    }
}
