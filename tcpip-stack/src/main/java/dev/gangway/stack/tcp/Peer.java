package dev.gangway.stack.tcp;

import io.netty.buffer.ByteBuf;

/**
 * The other end of a guest connection: a host socket ({@link HostPeer}) or a service's stream channel
 * ({@link ServicePeer}). Called on the link's loop only. The peer reports back through
 * {@link TcpConnection}'s {@code peer*} methods.
 */
interface Peer {
    /** Guest bytes, in order; ownership taken. Flushed by {@link #flush()}. */
    void write(ByteBuf data);

    void flush();

    /** Guest bytes handed over but not yet taken by the peer: they count against the offered window. */
    long pendingBytes();

    /** The guest sent FIN: no more bytes will come. */
    void shutdownOutput();

    /** Pause (false) or resume (true) reading what the peer sends to the guest. */
    void setReading(boolean reading);

    /** The connection ended normally (both directions closed). */
    void close();

    /** The connection was reset (by the guest, a timeout, or a bound): abort the peer. */
    void abort();

    /** One line of state for diagnostics. */
    String describe();
}
