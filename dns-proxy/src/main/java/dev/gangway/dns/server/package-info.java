/**
 * The DNS server and the pipelines that feed it.
 *
 * <p>{@link dev.gangway.dns.server.DnsServer} is the whole service behind one method, {@code handle(message,
 * sink)}: it does not know how queries arrive. Two small Netty handlers adapt it: the sharable datagram
 * handler (reads {@code DatagramPacket}, replies to the sender, flushes once per read batch) and the stream
 * initializer (idle timeout, 2-byte length framing, at most 32 queries pending per connection). The same
 * handlers serve host sockets ({@link dev.gangway.dns.server.StandaloneDns}, used by {@code gangway dns
 * serve} and the tests) and the userspace stack's virtual channels at the gateway's port 53.
 *
 * <p>Data path of a query: parse ({@code wire}) → a query whose ID is the one we just sent upstream for the
 * same question is a forwarding loop and is REFUSED → local names ({@code local}) → cache ({@code cache}):
 * a hit is a copy of wire bytes with ID, name case and TTLs patched → coalescing: a question already in
 * flight adds the client to its waiters (a client's retransmission of the same query is absorbed) → upstream ({@code upstream}) or, in host mode, the host's resolver
 * for A/AAAA ({@code host}) → the reply is cached and rendered for every waiter.
 *
 * <p>Limits, all in {@link dev.gangway.dns.server.DnsConfig}: query size (larger: REFUSED), distinct
 * questions in flight and waiters per question (beyond: SERVFAIL at once), UDP reply size (beyond: TC, and
 * the client asks again over TCP, where the cache answers), the overall timeout per question (then
 * SERVFAIL). Malformed queries get FORMERR when their header can be trusted, otherwise they are dropped;
 * other opcodes get NOTIMP, zone transfers REFUSED, EDNS versions other than 0 BADVERS; all are counted in
 * {@link dev.gangway.dns.DnsCounters} with a rate-limited log line. On host sockets a UDP query is read
 * into a 1232-byte slot (up to 16 per recvmmsg): larger queries arrive cut short and get FORMERR.
 */
package dev.gangway.dns.server;
