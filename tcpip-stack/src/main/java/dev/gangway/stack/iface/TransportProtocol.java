package dev.gangway.stack.iface;

/**
 * A transport protocol the gateway dispatches to by IPv4 protocol number (ICMP, UDP, and TCP when its
 * engine is added): it creates the per-link state when a link attaches.
 */
public interface TransportProtocol {
    /** The IPv4 protocol number: 1, 6, 17. */
    int protocolNumber();

    LinkTransport attach(GuestLink link);
}
