/**
 * Forwarding to upstream resolvers (RFC 1035 §7, RFC 5452, RFC 7766).
 *
 * <p>Data path: {@link dev.gangway.dns.upstream.Forwarder#forward} starts one {@link
 * dev.gangway.dns.upstream.Exchange} per question (identical questions in flight are coalesced before they
 * get here). The exchange builds its own query from the client's question: a fresh random ID, the client's
 * RD and CD bits, and an OPT record of our own when the client sent one (with the client's DO bit; the
 * client's EDNS options such as cookies are not forwarded, since the answer is shared through the cache).
 * It sends it over a UDP socket connected to the first server, taken in turn from a small pool per
 * server and event loop ({@link dev.gangway.dns.upstream.UdpSocketPool}: each socket on its own
 * kernel-chosen random port, replaced after a few dozen queries, the ID unique among the queries waiting
 * on it; connected, so only that server's datagrams are read and its ICMP errors are heard), waits the
 * per-server timeout, and moves on to the next server on timeout, ICMP unreachable, a
 * SERVFAIL/REFUSED/NOTIMP reply, or a broken TCP exchange. A reply with the TC bit is asked again of the
 * same server over TCP (a new connection, 2-byte length prefix). Datagrams with the wrong ID or question
 * are ignored as if lost. The server that answered last is tried first next time.
 *
 * <p>Limits: every server is tried once per question, within both the per-server timeout and an overall
 * timeout; then the question fails (the client gets SERVFAIL, or the last upstream error reply). Upstream
 * channels live on the event loop of the query they serve when it belongs to our group, so a reply needs no
 * thread hop.
 */
package dev.gangway.dns.upstream;
