package dev.gangway.forward.dial;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * Which source address the guest sees for a forwarded connection.
 *
 * <p>A client from another machine keeps its own address and port, so servers in the guest can log and
 * filter by it. A client on the host's loopback (or on a unix socket) has an address that means "the
 * guest itself" inside the guest, so it is shown as the host alias ({@code 192.168.65.254} by default,
 * what {@code host.docker.internal} resolves to), keeping its port. A client whose address family differs
 * from the guest's (an IPv6 client of an IPv4 guest) also gets the alias of the guest's family.
 *
 * @param hostAliasV4 the host's address inside the virtual IPv4 network
 * @param hostAliasV6 the host's address inside the virtual IPv6 network, or {@code null} when the network
 *                    has none yet: IPv6 guests then see the unspecified address and the dialer chooses
 */
public record SourceAddressPolicy(Inet4Address hostAliasV4, Inet6Address hostAliasV6) {
    /** Docker Desktop's convention: the host is {@code .254} of {@code 192.168.65.0/24}. */
    public static final SourceAddressPolicy DEFAULT = new SourceAddressPolicy(v4(192, 168, 65, 254), null);

    public SourceAddressPolicy {
        Objects.requireNonNull(hostAliasV4, "hostAliasV4");
    }

    /** The source to present to {@code guest} for a host client at {@code client}. */
    public InetSocketAddress sourceFor(SocketAddress client, InetSocketAddress guest) {
        boolean guestIsV6 = guest.getAddress() instanceof Inet6Address;
        if (!(client instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return new InetSocketAddress(alias(guestIsV6), 0);
        }
        InetAddress address = inet.getAddress();
        boolean sameFamily = (address instanceof Inet6Address) == guestIsV6;
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || !sameFamily) {
            return new InetSocketAddress(alias(guestIsV6), inet.getPort());
        }
        return inet;
    }

    private InetAddress alias(boolean v6) {
        if (!v6) {
            return hostAliasV4;
        }
        if (hostAliasV6 != null) {
            return hostAliasV6;
        }
        try {
            return InetAddress.getByAddress(new byte[16]);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Inet4Address v4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
