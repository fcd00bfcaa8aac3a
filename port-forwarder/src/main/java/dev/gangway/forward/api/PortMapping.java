package dev.gangway.forward.api;

import dev.gangway.forward.table.Endpoints;
import dev.gangway.forward.table.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * The command line's forward notation, Docker's {@code -p} shape:
 * <ul>
 *   <li>{@code HOSTPORT:GUESTPORT} on {@code 127.0.0.1}; {@code ADDR:HOSTPORT:GUESTPORT};
 *       {@code [V6ADDR]:HOSTPORT:GUESTPORT}; each with an optional {@code /tcp} or {@code /udp}</li>
 *   <li>{@code /ABS/PATH.sock:GUESTPORT}: a unix socket carried to a guest TCP port</li>
 * </ul>
 * For removal the guest port may be left out: {@code [ADDR:]HOSTPORT[/udp]} or {@code /ABS/PATH.sock}.
 */
public final class PortMapping {
    private static final Pattern UNIX_WITH_PORT = Pattern.compile("(/.*):(\\d+)");
    private static final String DEFAULT_HOST = "127.0.0.1";

    private PortMapping() {
    }

    /**
     * Which forward to remove.
     *
     * @param protocol {@code tcp}, {@code udp} or {@code unix}
     * @param host     the host endpoint as the API writes it
     */
    public record HostSide(String protocol, String host) {
    }

    /** The API request for {@code text}, with the guest at {@code guest}. */
    public static ForwardRequest forExpose(String text, InetAddress guest) {
        var parsed = parse(text, true);
        return new ForwardRequest(parsed.protocol.wireName(), parsed.host,
                Endpoints.format(new InetSocketAddress(guest, parsed.guestPort)));
    }

    /** The host side named by {@code text} (a full mapping or just its host side). */
    public static HostSide forUnexpose(String text) {
        var parsed = parse(text, false);
        return new HostSide(parsed.protocol.wireName(), parsed.host);
    }

    private record Parsed(Protocol protocol, String host, int guestPort) {
    }

    private static Parsed parse(String text, boolean needGuestPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing port mapping (expected [HOSTADDR:]HOSTPORT:GUESTPORT[/udp])");
        }
        var s = text.strip();
        if (s.startsWith("/")) {
            var m = UNIX_WITH_PORT.matcher(s);
            if (m.matches()) {
                return new Parsed(Protocol.UNIX, m.group(1), Endpoints.port(m.group(2)));
            }
            if (needGuestPort) {
                throw new IllegalArgumentException("'" + s + "' names no guest port (expected /PATH.sock:GUESTPORT)");
            }
            return new Parsed(Protocol.UNIX, s, 0);
        }
        var protocol = Protocol.TCP;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            var suffix = s.substring(slash + 1);
            if (!suffix.equalsIgnoreCase("tcp") && !suffix.equalsIgnoreCase("udp")) {
                throw new IllegalArgumentException("unknown protocol '/" + suffix + "' in '" + s + "' (use /tcp or /udp)");
            }
            protocol = Protocol.parse(suffix);
            s = s.substring(0, slash);
        }
        String address;
        String rest;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("bad mapping '" + text + "' (expected [V6ADDR]:HOSTPORT:GUESTPORT)");
            }
            address = s.substring(0, close + 1);
            rest = s.substring(close + 2);
        } else {
            var parts = s.split(":", -1);
            if (parts.length == 3 || (parts.length == 2 && parts[0].contains("."))) {
                address = parts[0];
                rest = s.substring(address.length() + 1);
            } else if (parts.length <= 2) {
                address = DEFAULT_HOST;
                rest = s;
            } else {
                throw new IllegalArgumentException("bad mapping '" + text + "' (write IPv6 host addresses in brackets)");
            }
        }
        var ports = rest.split(":", -1);
        if (ports.length > 2 || (needGuestPort && ports.length != 2)) {
            throw new IllegalArgumentException("bad mapping '" + text + "' (expected [HOSTADDR:]HOSTPORT:GUESTPORT[/udp])");
        }
        int hostPort = Endpoints.port(ports[0]);
        int guestPort = ports.length == 2 ? Endpoints.port(ports[1]) : 0;
        if (needGuestPort && guestPort == 0) {
            throw new IllegalArgumentException("the guest port must not be 0 in '" + text + "'");
        }
        var host = Endpoints.format(new InetSocketAddress(Endpoints.address(address.replace("[", "").replace("]", "")), hostPort));
        return new Parsed(protocol, host, guestPort);
    }
}
