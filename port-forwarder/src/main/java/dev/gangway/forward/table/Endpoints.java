package dev.gangway.forward.table;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * {@code ADDR:PORT} text for IP endpoints: {@code 127.0.0.1:8080}, {@code [::1]:8080}. Addresses are IP
 * literals only; a name is refused rather than resolved, so the API never blocks on DNS.
 */
public final class Endpoints {
    private Endpoints() {
    }

    /** Parses {@code ADDR:PORT} with an IPv4 literal or a bracketed IPv6 literal. */
    public static InetSocketAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing address (expected ADDR:PORT)");
        }
        var s = text.strip();
        int colon;
        String host;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("bad address '" + s + "' (expected [IPV6]:PORT)");
            }
            host = s.substring(1, close);
            colon = close + 1;
        } else {
            colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("bad address '" + s + "' (expected ADDR:PORT)");
            }
            host = s.substring(0, colon);
            if (host.contains(":")) {
                throw new IllegalArgumentException("bad address '" + s + "' (write IPv6 as [ADDR]:PORT)");
            }
        }
        return new InetSocketAddress(address(host), port(s.substring(colon + 1)));
    }

    /** An IP literal. */
    public static InetAddress address(String literal) {
        try {
            return InetAddress.ofLiteral(literal.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address", e);
        }
    }

    /** A port number 0..65535. */
    public static int port(String text) {
        int port;
        try {
            port = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port number", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (0-65535)");
        }
        return port;
    }

    /** {@code 127.0.0.1:8080} or {@code [::1]:8080}. */
    public static String format(InetSocketAddress address) {
        var ip = address.getAddress();
        if (ip == null) {
            return address.getHostString() + ":" + address.getPort();
        }
        // RFC 5952 text (compressed zeros), without a scope id.
        String host = NetUtil.toAddressString(ip);
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
