/**
 * UDP (like passt's {@code udp.c}): DHCP, services, dials and NAT, per guest link.
 *
 * <p>Data path: {@link dev.gangway.stack.udp.UdpLink#receive} checks the datagram (length, checksum) and
 * sends it to the DHCP server (port 67), to the service bound on that gateway port, to the dialled
 * channel it answers, or to its NAT flow: a host datagram channel connected to the destination (the host
 * alias becomes {@code 127.0.0.1}), registered on the link's loop. The payload goes to the host socket
 * as a slice of the guest frame (or of the reassembled datagram). Replies come back from the
 * destination's guest-visible address; a refusal reported by the host (ECONNREFUSED) becomes ICMP port
 * unreachable quoting the guest's datagram, as a kernel would send.
 *
 * <p>Limits: {@code maxUdpFlows} flows per link (least recently used closed first), each closed after
 * {@code udpIdleTimeout} without traffic; 16 datagrams held per flow while its host channel connects;
 * datagrams up to 65507 bytes both ways; no UDP to other guests through NAT (they are reached on the
 * switch directly).
 */
package dev.gangway.stack.udp;
