/**
 * The 9P2000.L wire format: one record per message in two sealed families ({@link
 * dev.gangway.ninep.protocol.Tmessage} requests, {@link dev.gangway.ninep.protocol.Rmessage} replies), and
 * {@link dev.gangway.ninep.protocol.NinePCodec}, which turns whole frames into records and back.
 *
 * <p>Data path: the transport hands a frame ({@code size[4] type[1] tag[2] body}, little-endian) to
 * {@code decodeRequest}, which checks every count and string length against the bytes present and returns
 * either a message or a {@link dev.gangway.ninep.protocol.Decoded.Malformed} value (never an exception).
 * Twrite data stays a slice of the received buffer; Rread data is a buffer the file was read into, joined to
 * the reply header without a copy.
 *
 * <p>Limits: strings are UTF-8 (names that are not UTF-8 on the host cannot be addressed); the legacy 9P2000
 * and 9P2000.u messages (Topen, Tcreate, Tstat, Twstat) are not part of this dialect and decode as unknown.
 */
package dev.gangway.ninep.protocol;
