/**
 * Names the proxy answers itself, authoritatively and without any upstream: the built-in Docker names
 * ({@code host.docker.internal} → the host alias, {@code gateway.docker.internal} → the gateway), the VM's
 * own name, static records from configuration (A, AAAA, CNAME, TXT, SRV) and the host's {@code /etc/hosts};
 * plus the reverse (PTR) names of all their addresses.
 *
 * <p>Data path: {@link dev.gangway.dns.local.LocalZone#lookup} is asked first for every query, with the
 * question's lower-cased wire name as a hash key; when the name is local it returns the records of the
 * asked type (following local CNAMEs), or an empty NODATA answer, and the query never reaches the cache or
 * an upstream. Configured and built-in names win over the hosts file, which is re-read when it changes.
 *
 * <p>Limits: class IN (and ANY) only; CNAME chains are followed at most 8 steps and only through local
 * names (a CNAME to a non-local name is answered with the CNAME alone, as an authoritative server would).
 */
package dev.gangway.dns.local;
