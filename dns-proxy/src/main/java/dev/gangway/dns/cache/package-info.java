/**
 * The answer cache: upstream replies kept as wire bytes, keyed by {@link dev.gangway.dns.wire.QuestionKey}.
 *
 * <p>Data path: when an upstream reply arrives, {@link dev.gangway.dns.wire.ReplyScan} has already found
 * every TTL offset and the time it may be kept (the smallest TTL of a positive answer; for NXDOMAIN and
 * NODATA the SOA's negative TTL, RFC 2308 §5), clamped here to the configured minimum and maximum. A hit
 * copies the bytes into one new buffer and patches, in place, the client's query ID, the client's letter
 * case of the question name, and each TTL decreased by the seconds the entry has been held. No message is
 * decoded or re-encoded on a hit.
 *
 * <p>Limits: at most {@code maxEntries} entries; when full, expired entries are swept first and then
 * arbitrary ones are evicted (no LRU bookkeeping on the hot path). Errors, truncated replies and negative
 * replies without an SOA are never cached.
 */
package dev.gangway.dns.cache;
