package dev.gangway.forward.table;

import dev.gangway.forward.table.ForwardException.Reason;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Makes a unix socket path ready to bind: creates its folder, removes a stale socket left by a process
 * that died, and refuses to touch a live socket or anything that is not a socket.
 */
public final class UnixSocketFiles {
    private UnixSocketFiles() {
    }

    public static void prepare(Path path) throws ForwardException {
        try {
            var parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new ForwardException(Reason.FORBIDDEN, "cannot create folder " + path.getParent() + ": " + e.getMessage()
                    + "; fix: choose a path in a folder you can write", e);
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new ForwardException(Reason.CONFLICT, path + " exists and is not a socket; fix: remove it or choose another path");
        }
        if (isLive(path)) {
            throw new ForwardException(Reason.CONFLICT, "a server is already listening on " + path
                    + "; fix: stop it or choose another path");
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new ForwardException(Reason.FORBIDDEN, "cannot remove stale socket " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean isSocket(Path path) {
        try {
            var mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == 0140000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isLive(Path path) {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
