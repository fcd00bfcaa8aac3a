/**
 * Gangway's DNS proxy: names that always resolve for the guest.
 *
 * <p>Packages, in the order a query meets them: {@code server} (the transport-independent {@link
 * dev.gangway.dns.server.DnsServer}, its datagram and stream pipelines, and a standalone binding to host
 * sockets), {@code wire} (reading and writing DNS messages in place), {@code local} (names answered here),
 * {@code cache} (answers kept as wire bytes), {@code upstream} (forwarding to resolvers over UDP and TCP) and
 * {@code host} (the host's hosts file, resolv.conf and resolver). This package holds what they share: the
 * {@link dev.gangway.dns.DnsCounters}.
 *
 * <p>The proxy does not know how queries arrive: the same handlers serve a host UDP/TCP socket and the
 * userspace stack's virtual channels at the gateway's port 53.
 */
package dev.gangway.dns;
