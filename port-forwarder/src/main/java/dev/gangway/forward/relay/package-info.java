/**
 * The host side of forwards and the relays that carry their bytes: TCP and unix listeners spliced to guest
 * streams, and UDP sockets with a per-client flow table.
 *
 * <p>Data path (stream): the listener accepts a client with reading paused; {@code StreamAcceptor} maps its
 * source address and dials the guest on the client channel's event loop; {@code StreamRelay} then joins the
 * two channels. Each {@code ByteBuf} read on one side is written to the other unchanged (no copy; the write
 * releases it). Reading resumes only while the other side is writable, so backpressure reaches the slower
 * peer's socket buffer instead of the heap. FIN becomes {@code shutdownOutput()} on the other side after the
 * data before it; RST becomes an RST ({@code SO_LINGER 0}); when the guest cannot be reached the client is
 * reset at once, and the listener stays open for the next client.
 *
 * <p>Data path (datagram): the host socket's handler keeps a table from client address to a flow (a datagram
 * channel connected to the guest); replies go back to that client. See {@code DatagramRelay}.
 *
 * <p>Data path (unix): {@code UnixListener} accepts JDK unix-socket clients on a virtual thread and
 * {@code UnixBridge} joins each to its dialed guest stream with two virtual threads doing blocking I/O on the
 * client side, because Netty 4.2.18's domain-socket channels cannot keep a half-closed connection working
 * (the Docker CLI half-closes). Same bounds and half-close semantics as the TCP path.
 *
 * <p>Limits: connections and flows per forward, the flow idle timeout and the per-flow dial queue are bounded
 * by {@link dev.gangway.forward.relay.RelayLimits}; what exceeds them is reset or dropped and counted in
 * {@link dev.gangway.forward.relay.RelayCounters}. Datagrams are not fragmented or reassembled here.
 */
package dev.gangway.forward.relay;
