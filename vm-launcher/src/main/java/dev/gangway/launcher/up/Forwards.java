package dev.gangway.launcher.up;

import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** {@code up --forward [ADDR:]PORT[:GUESTPORT]}: a host TCP port carried to a guest port. */
final class Forwards {
    private Forwards() {
    }

    /** The host side: {@code 127.0.0.1} unless an address is given. */
    static InetSocketAddress host(String text) {
        var parts = text.split(":");
        try {
            return switch (parts.length) {
                case 1, 2 -> parts.length == 2 && !isPort(parts[0])
                        ? new InetSocketAddress(InetAddress.getByName(parts[0]), port(parts[1]))
                        : new InetSocketAddress(InetAddress.getLoopbackAddress(), port(parts[0]));
                case 3 -> new InetSocketAddress(InetAddress.getByName(parts[0]), port(parts[1]));
                default -> throw new IllegalArgumentException("'" + text + "' is not [ADDR:]PORT[:GUESTPORT]");
            };
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': unknown address " + parts[0]);
        }
    }

    /** The guest port: the last number when there are two ports, else the host port. */
    static int guestPort(String text) {
        var parts = text.split(":");
        if (parts.length == 3 || (parts.length == 2 && isPort(parts[0]))) {
            return port(parts[parts.length - 1]);
        }
        return host(text).getPort();
    }

    static ForwardSpec parse(String text, InetAddress guest) {
        return new ForwardSpec(Protocol.TCP, host(text), new InetSocketAddress(guest, guestPort(text)));
    }

    private static boolean isPort(String text) {
        return text.matches("\\d{1,5}");
    }

    private static int port(String text) {
        if (!isPort(text) || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("'" + text + "' is not a port number (1-65535)");
        }
        return Integer.parseInt(text);
    }
}
