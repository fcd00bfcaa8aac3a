package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/**
 * A parsed ICMPv4 message header: type, code and the four type-specific bytes ({@code rest}: ident and
 * sequence for echo). The body follows the 8-byte header.
 */
public record IcmpRepr(int type, int code, int rest, int bodyLength) {

    public static IcmpRepr echo(int type, int ident, int sequence, int bodyLength) {
        return new IcmpRepr(type, 0, (ident << 16) | (sequence & 0xFFFF), bodyLength);
    }

    public int ident() {
        return rest >>> 16;
    }

    public int sequence() {
        return rest & 0xFFFF;
    }

    /** Validates length and checksum of the {@code length}-byte message at {@code offset}. */
    public static Parsed<IcmpRepr> parse(ByteBuf buf, int offset, int length) {
        if (length < IcmpPacket.HEADER_LENGTH) {
            return Parsed.refused(Malformed.TRUNCATED);
        }
        if (Checksum.of(buf, offset, length) != 0) {
            return Parsed.refused(Malformed.BAD_CHECKSUM);
        }
        var view = new IcmpPacket(buf, offset);
        return Parsed.ok(new IcmpRepr(view.type(), view.code(), view.rest(), length - IcmpPacket.HEADER_LENGTH));
    }

    /** Writes the header and the checksum over it and the body that must already follow it. */
    public void emit(ByteBuf buf, int offset) {
        var view = new IcmpPacket(buf, offset);
        view.setType(type);
        view.setCode(code);
        view.setRest(rest);
        view.fillChecksum(IcmpPacket.HEADER_LENGTH + bodyLength);
    }
}
