package dev.gangway.stack.iface;

/**
 * A transport protocol's state for one guest link (its flows, its sockets). Called only on the link's
 * event loop.
 */
public interface LinkTransport {
    /** One datagram addressed to the gateway, the host alias or beyond the subnet. */
    void receive(Ipv4Datagram datagram);

    /** Called about once a second on the link's loop: expire idle flows. */
    default void tick(long nanoTime) {
    }

    /** The link went away: close every flow and release what is held. */
    void close();
}
