package dev.gangway.stack.service;

import java.net.InetSocketAddress;

/**
 * A service bound inside the virtual network by {@link NetworkServices#listen}. Closing it unbinds the
 * port and closes every channel the binding created; it is idempotent.
 */
public interface ServiceBinding extends AutoCloseable {
    /** The gateway address and port the service answers on. */
    InetSocketAddress localAddress();

    Protocol protocol();

    @Override
    void close();
}
