/**
 * ICMP (like passt's {@code icmp.c}): echo to the gateway is answered here; echo to the host alias or
 * beyond the subnet is re-originated through the host's unprivileged ICMP echo sockets
 * ({@code SOCK_DGRAM, IPPROTO_ICMP}), one per (guest, identifier, destination), and only real replies
 * are mapped back, with the guest's identifier restored. Nothing is forged: a destination that does not
 * answer the host does not answer the guest.
 *
 * <p>Data path: the gateway hands echo requests to {@code IcmpLink}; the echo socket is a native epoll
 * datagram channel made from the descriptor {@link dev.gangway.posix.IcmpSocket} opens, registered on the
 * link's loop.
 *
 * <p>Limits: echo sockets need {@code net.ipv4.ping_group_range} to include the daemon's group (it is
 * empty by default on Debian): without it, echo beyond the gateway is dropped, counted and logged once.
 * At most {@code maxIcmpFlows} flows per link, closed after the UDP idle timeout. ICMP errors the host
 * receives for echo are not relayed.
 */
package dev.gangway.stack.icmp;
