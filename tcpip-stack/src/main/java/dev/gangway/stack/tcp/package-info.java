/**
 * TCP (like gVisor's {@code transport/tcp}, one concern per file): every guest connection is carried to
 * a host socket, to a service bound on the gateway, or comes from a dial into the guest.
 *
 * <p>Files: {@link dev.gangway.stack.tcp.TcpLink} (the connection table of one link, demultiplexing,
 * RST for strays, ACK batching, link writability), {@link dev.gangway.stack.tcp.TcpConnection} (the
 * endpoint: state, closing, timer), {@link dev.gangway.stack.tcp.Handshake} (SYN handling both ways),
 * {@link dev.gangway.stack.tcp.Sender} (send queue, retransmission, fast recovery, SACK, persist),
 * {@link dev.gangway.stack.tcp.Receiver} (in-order delivery, out-of-order queue, window, SACK blocks),
 * {@link dev.gangway.stack.tcp.NewReno} (congestion window), {@link dev.gangway.stack.tcp.RttEstimator}
 * (RFC 6298), {@link dev.gangway.stack.tcp.SackScoreboard}, and the two peers:
 * {@link dev.gangway.stack.tcp.HostPeer} (a host socket) and {@link dev.gangway.stack.tcp.ServicePeer}
 * (a {@link dev.gangway.stack.service.VirtualStreamChannel}).
 *
 * <p>Data path, guest to host: the gateway hands a validated IPv4 datagram to
 * {@link dev.gangway.stack.tcp.TcpLink#receive}, which parses the header in place (checksum summed eight
 * bytes at a time) and finds the connection; in-order payload is written to the host socket as a
 * retained slice of the guest's frame (no copy); the host socket is flushed and the guest ACKed once per
 * burst of frames. The window offered to the guest is the connection buffer minus what the host socket
 * has not taken yet, so a slow host reader closes the guest's window instead of growing a queue.
 *
 * <p>Host to guest: what the host socket reads is appended (no copy) to the sender's queue; segments are
 * slices of it behind a freshly written header, sent while the guest's window, the congestion window and
 * the link's writability allow. Host reads pause while the queue holds a full buffer (the guest is not
 * acknowledging) and resume when half of it was acknowledged.
 *
 * <p>Every host channel of a link is registered on the link's event loop: no locks, no thread hops.
 *
 * <p>Limits: {@link dev.gangway.stack.tcp.TcpConfig#maxFlows} connections per link (RST beyond, counted
 * and logged); {@link dev.gangway.stack.tcp.TcpConfig#bufferBytes} per connection and direction; 1024
 * out-of-order segments and 64 SACK ranges per connection; no idle cut unless configured (keepalive
 * probes find guests that vanished); TIME_WAIT lasts {@link dev.gangway.stack.tcp.TcpConfig#timeWait}
 * and holds no buffers; no urgent data (the URG pointer is ignored), no ECN, IPv4 only.
 */
package dev.gangway.stack.tcp;
