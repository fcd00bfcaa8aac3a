/**
 * The service API: how other modules put a service inside the virtual network or reach into the guest,
 * without knowing anything about frames, addresses or the TCP engine.
 *
 * <p>{@link dev.gangway.stack.service.NetworkServices#listen} binds a service on a gateway address
 * (DNS on {@code 192.168.65.1:53}, 9P on {@code :564}); {@link dev.gangway.stack.service.NetworkServices#dial}
 * opens a channel into the guest (port forwarding). Both hand out ordinary Netty channels carrying the
 * types a host socket would carry: {@link io.netty.channel.socket.DatagramPacket}s for UDP (through
 * {@link dev.gangway.stack.service.VirtualDatagramChannel}), {@code ByteBuf}s for TCP (through
 * {@link dev.gangway.stack.service.VirtualStreamChannel}, with half-close). A service therefore runs
 * unchanged on a host socket in its own tests.
 *
 * <p>Data path (UDP): a guest datagram to a bound gateway port is parsed by the stack on the guest link's
 * event loop, wrapped as a {@code DatagramPacket} whose content is a slice of the guest frame (no copy),
 * and delivered to the channel created for that link. A datagram written to the channel goes to the
 * stack's {@link dev.gangway.stack.service.DatagramTransmitter}, which prepends UDP, IPv4 and Ethernet
 * headers (fragmenting to the link MTU) and sends the frame to the guest's port of the switch.
 *
 * <p>Limits: one channel per guest link and binding (a UDP service is asked to handle each link on its
 * own loop, like one host socket per interface); at most
 * {@value dev.gangway.stack.service.VirtualDatagramChannel#MAX_QUEUED} inbound datagrams wait for a
 * channel that is not reading.
 *
 * <p>Data path (TCP): the guest's in-order bytes are slices of its frames, queued in the stream channel
 * while it is not reading; what waits there is subtracted from the TCP window offered to the guest, so
 * the guest cannot queue more than one window. Bytes written to the channel go to the connection's send
 * queue while it has room (then the channel's own outbound buffer holds them and its writability drops).
 */
package dev.gangway.stack.service;
