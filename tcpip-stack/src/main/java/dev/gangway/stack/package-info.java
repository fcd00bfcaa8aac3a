/**
 * The userspace TCP/IP stack that gives a VM its network without privileges on the host:
 * {@link dev.gangway.stack.NetworkStack} assembles one virtual network from the pieces below and
 * {@link dev.gangway.stack.NetworkConfig} describes it (Docker Desktop's addressing by default).
 *
 * <p>Data path, guest to host: a link ({@code link}) cuts the byte stream or datagrams of a VM into
 * Ethernet frames; the switch ({@code l2}) learns and forwards them; the gateway ({@code iface}) answers
 * ARP, validates and reassembles IPv4 and hands each datagram to its transport ({@code icmp},
 * {@code udp}, {@code tcp}, each a transport protocol registered with the gateway);
 * transports re-originate the guest's flows with
 * ordinary host sockets (NAT) or deliver them to services bound through {@code service}. Replies travel
 * back the same way, fragmented to the link MTU.
 *
 * <p>Threading: one event loop per guest link; every flow of that guest and its host channels live on it.
 * Shared between loops: the MAC table, the ARP cache, DHCP leases and counters.
 *
 * <p>Limits: IPv4 only (IPv6 frames are counted and dropped). The TCP engine's tunables ({@code
 * tcp.TcpConfig}) are part of {@code NetworkConfig}; {@code gangway net serve} exposes them as
 * {@code --tcp-*} options.
 */
package dev.gangway.stack;
