/**
 * What the proxy takes from the host machine: its {@code /etc/hosts}, the upstream servers in its {@code
 * /etc/resolv.conf}, and its own resolver (the operating system's, through {@link java.net.InetAddress}).
 *
 * <p>Data path: {@link dev.gangway.dns.host.WatchedFile} holds the parsed contents of a file and re-reads
 * it when its modification time, size or inode change, checking at most once a second, on the thread that
 * asks; so a VPN that rewrites resolv.conf, or an edit of the hosts file, takes effect without a restart.
 * {@link dev.gangway.dns.host.HostResolver} answers A and AAAA questions by calling {@code
 * InetAddress.getAllByName} on virtual threads: on macOS that is the only resolver that knows the
 * per-domain servers of split-DNS VPNs, and on Linux it follows nsswitch.
 *
 * <p>Limits: a missing or unreadable file counts as empty (and is read again once it appears). Host
 * lookups run at most {@code maxConcurrent} at a time; beyond that a lookup fails at once rather than
 * queueing. The OS resolver reports no TTL, so host answers carry a configured one.
 */
package dev.gangway.dns.host;
