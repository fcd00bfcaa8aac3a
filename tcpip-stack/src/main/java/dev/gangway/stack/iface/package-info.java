/**
 * The gateway interface: the station at {@code .1} (and the host alias {@code .254}) on the virtual
 * Ethernet. {@link dev.gangway.stack.iface.Gateway} answers ARP for its two addresses, validates IPv4
 * (checksum, lengths, source inside the subnet, TTL with ICMP time exceeded), reassembles fragments within a
 * byte bound ({@link dev.gangway.stack.iface.Ipv4Reassembler}), and dispatches each datagram by protocol
 * number to a {@link dev.gangway.stack.iface.TransportProtocol}'s per-link state
 * ({@link dev.gangway.stack.iface.LinkTransport}); an unknown protocol gets ICMP protocol unreachable.
 * It also builds every frame sent to guests: Ethernet and IPv4 headers in a small buffer joined to the
 * payload in a composite buffer (no payload copy), split into fragments when longer than the link MTU.
 *
 * <p>{@link dev.gangway.stack.iface.GuestLink} is one attached guest: its link channel, its event loop and
 * its transports' state. The TCP engine plugs in as another {@code TransportProtocol} (number 6), with no
 * change here.
 *
 * <p>Limits: per link, at most {@code reassemblyBytes} of fragments (default 1 MiB) and 256 incomplete
 * datagrams, for at most {@code reassemblyTimeout}; overlapping fragments discard their datagram; an
 * address that is neither learned nor leased is resolved by an ARP request and the packet is dropped.
 */
package dev.gangway.stack.iface;
