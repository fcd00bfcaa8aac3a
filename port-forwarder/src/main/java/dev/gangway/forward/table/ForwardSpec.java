package dev.gangway.forward.table;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * What to forward: a host endpoint (an IP address and port, or a unix socket path) to a guest TCP or UDP
 * endpoint. A host port of 0 asks the system for a free port; the live forward reports the one it got.
 *
 * @param protocol {@code TCP} and {@code UDP} listen on {@code host} as an {@link InetSocketAddress};
 *                 {@code UNIX} listens on a {@link UnixDomainSocketAddress} and dials the guest over TCP
 * @param host     where host clients connect
 * @param guest    where the connection goes inside the guest
 */
public record ForwardSpec(Protocol protocol, SocketAddress host, InetSocketAddress guest) {
    public ForwardSpec {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(guest, "guest");
        if (protocol == Protocol.UNIX) {
            if (!(host instanceof UnixDomainSocketAddress unix) || !unix.getPath().isAbsolute()) {
                throw new IllegalArgumentException("a unix forward needs an absolute socket path, got " + host);
            }
        } else if (!(host instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("a " + protocol.wireName() + " forward needs ADDR:PORT, got " + host);
        }
        if (guest.getAddress() == null) {
            throw new IllegalArgumentException("the guest address must be an IP address, got " + guest);
        }
        if (guest.getPort() == 0) {
            throw new IllegalArgumentException("the guest port must not be 0");
        }
    }

    /** Parses the API's text form: {@code host} is {@code ADDR:PORT} or, for unix, an absolute path. */
    public static ForwardSpec parse(String protocol, String host, String guest) {
        var p = Protocol.parse(protocol);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("missing host endpoint");
        }
        SocketAddress h = p == Protocol.UNIX ? unix(host) : Endpoints.parse(host);
        return new ForwardSpec(p, h, Endpoints.parse(guest));
    }

    private static UnixDomainSocketAddress unix(String path) {
        try {
            return UnixDomainSocketAddress.of(path.strip());
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("bad socket path '" + path + "'", e);
        }
    }

    /** The host endpoint as text: {@code 127.0.0.1:8080}, {@code [::1]:8080} or a path. */
    public String hostText() {
        return text(host);
    }

    public String guestText() {
        return Endpoints.format(guest);
    }

    static String text(SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? Endpoints.format(inet)
                : ((UnixDomainSocketAddress) address).getPath().toString();
    }

    @Override
    public String toString() {
        return hostText() + "/" + protocol.wireName() + " -> " + guestText();
    }
}
