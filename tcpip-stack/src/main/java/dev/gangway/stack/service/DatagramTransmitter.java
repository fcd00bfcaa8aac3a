package dev.gangway.stack.service;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * How a {@link VirtualDatagramChannel} hands its datagrams to the stack, and tells it that it closed.
 * Implemented by the stack; called on the channel's event loop.
 */
public interface DatagramTransmitter {
    /**
     * Sends {@code payload} from {@code source} to {@code destination} into the virtual network.
     * Takes ownership of {@code payload} (releases it, whatever happens).
     *
     * @return false when the datagram could not be sent (no route to the guest, too large); the
     *         transmitter has counted the drop
     */
    boolean transmit(InetSocketAddress source, InetSocketAddress destination, ByteBuf payload);

    /** The channel closed: unbind what it held. */
    void closed(VirtualDatagramChannel channel);
}
