package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A parsed Ethernet II header. */
public record EthernetRepr(MacAddress dst, MacAddress src, int etherType) {
    /** Parses the header at the reader index of {@code frame}. */
    public static Parsed<EthernetRepr> parse(ByteBuf frame) {
        if (frame.readableBytes() < EthernetFrame.HEADER_LENGTH) {
            return Parsed.refused(Malformed.TRUNCATED);
        }
        var view = new EthernetFrame(frame, frame.readerIndex());
        return Parsed.ok(new EthernetRepr(view.dst(), view.src(), view.etherType()));
    }

    /** Writes the header at {@code offset}; the buffer must have room. */
    public void emit(ByteBuf buf, int offset) {
        var view = new EthernetFrame(buf, offset);
        view.setDst(dst);
        view.setSrc(src);
        view.setEtherType(etherType);
    }
}
