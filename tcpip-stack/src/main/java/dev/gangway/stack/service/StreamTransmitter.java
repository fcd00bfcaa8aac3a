package dev.gangway.stack.service;

import io.netty.buffer.ByteBuf;

/**
 * How a {@link VirtualStreamChannel} hands its bytes to the stack's TCP connection, and tells it about
 * half-close, close and reading. Implemented by the stack; called on the channel's event loop.
 */
public interface StreamTransmitter {
    /** True while the connection takes more bytes; when false, writes wait until {@link VirtualStreamChannel#transmitterWritable()}. */
    boolean canTransmit();

    /** Bytes for the guest, in order; ownership taken. */
    void transmit(ByteBuf data);

    /** A batch of {@link #transmit} calls ended: send what the windows allow. */
    void transmitted();

    /** The channel shut its output down: FIN after the bytes already transmitted. */
    void outputShutdown();

    /** The channel read bytes: the window offered to the guest may open. */
    void consumed();

    /** The channel closed: FIN after the transmitted bytes (if not already sent); later guest bytes are discarded. */
    void closed();
}
