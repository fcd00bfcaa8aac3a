package dev.gangway.dns.host;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** IP address literals, parsed without ever asking a resolver. */
public final class Addresses {
    private Addresses() {
    }

    /** The address written as an IPv4 or IPv6 literal (an IPv6 zone is dropped), or null. */
    public static InetAddress parseLiteral(String text) {
        String s = text.trim();
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String part : s.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Parses {@code IP}, {@code IP:PORT}, {@code [IPv6]} or {@code [IPv6]:PORT}; a bare IPv6 address takes
     * {@code defaultPort}. Throws {@link IllegalArgumentException} with a readable message.
     */
    public static InetSocketAddress parseSocketAddress(String text, int defaultPort) {
        String s = text.trim();
        String host = s;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has no closing ']'");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + text + "' is not [IPv6]:PORT");
                }
                port = parsePort(s.substring(close + 2), text);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = parsePort(s.substring(s.indexOf(':') + 1), text);
        }
        InetAddress address = parseLiteral(host);
        if (address == null) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address");
        }
        return new InetSocketAddress(address, port);
    }

    private static int parsePort(String port, String text) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' has no valid port (1-65535)");
    }
}
