/**
 * DNS messages on the wire (RFC 1035, RFC 6891): flyweight reads over a {@link io.netty.buffer.ByteBuf},
 * never an object per record on the hot path.
 *
 * <p>Data path: a datagram or TCP frame arrives as a buffer; {@link dev.gangway.dns.wire.Query#parse}
 * reads the 12-byte header ({@link dev.gangway.dns.wire.DnsHeader}), the single question and the EDNS0
 * OPT record, and returns either a {@link dev.gangway.dns.wire.Query} (offsets into the buffer plus the
 * lower-cased question as the cache key) or a {@link dev.gangway.dns.wire.Query.Rejected} that says which
 * error reply, if any, the sender gets. Upstream replies are walked once by {@link
 * dev.gangway.dns.wire.ReplyScan}, which checks that the reply answers our question and records where every
 * TTL sits, so that a cached reply can later be served by copying its bytes and patching the ID, the
 * question's letter case and the TTLs in place. {@link dev.gangway.dns.wire.ReplyWriter} builds the replies
 * we author ourselves (errors, truncation, local records); records are encoded with Netty's {@code
 * netty-codec-dns} {@link io.netty.handler.codec.dns.DnsRecordEncoder}.
 *
 * <p>Limits: nothing here throws on hostile input. Names are read with at most 127 compression hops,
 * every pointer must point strictly backwards, a name is at most 255 bytes and every label at most 63;
 * counts in the header are never trusted beyond the bytes that are present. Queries must carry exactly one
 * question (as every resolver sends) and may not compress it.
 */
package dev.gangway.dns.wire;
