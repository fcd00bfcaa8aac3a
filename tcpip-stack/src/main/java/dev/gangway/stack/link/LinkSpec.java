package dev.gangway.stack.link;

import java.nio.file.Path;

/**
 * Where a link listens, as given on the command line: {@code qemu:unix:PATH} or {@code qemu:tcp:HOST:PORT}
 * (QEMU stream framing), {@code vfkit:PATH} (unix datagrams: vfkit and QEMU {@code -netdev dgram}),
 * {@code vpnkit:PATH} (the vmnet protocol on a unix socket).
 */
public record LinkSpec(Kind kind, Path path, String host, int port) {
    public enum Kind { QEMU_UNIX, QEMU_TCP, VFKIT, VPNKIT }

    /** Parses a spec; the message of the exception names the accepted forms. */
    public static LinkSpec parse(String text) {
        String forms = "expected qemu:unix:PATH, qemu:tcp:HOST:PORT, vfkit:PATH or vpnkit:PATH";
        if (text.startsWith("qemu:unix:") && text.length() > 10) {
            return new LinkSpec(Kind.QEMU_UNIX, Path.of(text.substring(10)), null, 0);
        }
        if (text.startsWith("qemu:tcp:")) {
            var rest = text.substring(9);
            int colon = rest.lastIndexOf(':');
            if (colon > 0) {
                try {
                    int port = Integer.parseInt(rest.substring(colon + 1));
                    if (port >= 1 && port <= 65535) {
                        return new LinkSpec(Kind.QEMU_TCP, null, rest.substring(0, colon), port);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad port in link '" + text + "'; " + forms);
                }
            }
            throw new IllegalArgumentException("bad link '" + text + "'; " + forms);
        }
        if (text.startsWith("vfkit:") && text.length() > 6) {
            return new LinkSpec(Kind.VFKIT, Path.of(text.substring(6)), null, 0);
        }
        if (text.startsWith("vpnkit:") && text.length() > 7) {
            return new LinkSpec(Kind.VPNKIT, Path.of(text.substring(7)), null, 0);
        }
        throw new IllegalArgumentException("bad link '" + text + "'; " + forms);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case QEMU_UNIX -> "qemu:unix:" + path;
            case QEMU_TCP -> "qemu:tcp:" + host + ":" + port;
            case VFKIT -> "vfkit:" + path;
            case VPNKIT -> "vpnkit:" + path;
        };
    }
}
