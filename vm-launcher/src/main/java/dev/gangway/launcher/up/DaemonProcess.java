package dev.gangway.launcher.up;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * The daemon of a {@link GangwayHome} as other processes see it: its pid file, whether that pid is still a
 * Gangway daemon (a reused pid is not), and the leftovers of one that died.
 */
final class DaemonProcess {
    private DaemonProcess() {
    }

    /** The live daemon, or empty when there is none (a stale pid file does not count). */
    static Optional<ProcessHandle> live(GangwayHome home) {
        try {
            if (!Files.isRegularFile(home.pidFile())) {
                return Optional.empty();
            }
            var pid = Long.parseLong(Files.readString(home.pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(DaemonProcess::isDaemon);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isDaemon(ProcessHandle process) {
        var arguments = process.info().arguments();
        return arguments.isEmpty() || List.of(arguments.get()).contains(Daemon.class.getName());
    }

    /**
     * Removes what a dead daemon left (sockets, pid and state files), so that its ports and paths are free;
     * returns whether there was anything.
     */
    static boolean cleanStale(GangwayHome home) throws IOException {
        boolean any = false;
        for (var file : List.of(home.pidFile(), home.stateFile(), home.controlSocket(), home.dockerSocket(),
                home.apiSocket(), home.linkSocket(), home.channelSocket())) {
            any |= Files.deleteIfExists(file);
        }
        return any;
    }
}
