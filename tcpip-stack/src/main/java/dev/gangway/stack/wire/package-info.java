/**
 * Wire formats: Ethernet, ARP, IPv4, ICMPv4, UDP and DHCP, each with two faces. A {@code *Packet} (or
 * {@code EthernetFrame}) is a zero-copy view over a {@code ByteBuf} and an offset, with one getter and
 * setter per field and the field offsets in one small table at its top. A {@code *Repr} record is the
 * parsed value: its {@code parse} validates guest bytes and returns {@link dev.gangway.stack.wire.Parsed}
 * (a value, or the {@link dev.gangway.stack.wire.Malformed} reason) without ever throwing on bad input,
 * and its {@code emit} writes the header (and checksum) into a buffer.
 *
 * <p>Data path: the gateway and the transports parse headers in place in the frame the link read; payloads
 * are never copied here. {@link dev.gangway.stack.wire.Checksum} sums ranges of any buffer (also
 * composite ones) so that headers and payloads can be checksummed without joining them.
 *
 * <p>Limits: no IPv4 options are emitted (received ones are skipped); no 802.1Q tags; DHCP options are
 * bounded (at most 128 per message; domain-search names of at most 255 bytes, no compression pointers).
 */
package dev.gangway.stack.wire;
