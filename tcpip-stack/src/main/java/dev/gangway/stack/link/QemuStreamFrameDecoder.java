package dev.gangway.stack.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits QEMU's stream framing ({@code -netdev stream}/{@code socket}, passt, libkrun): each Ethernet
 * frame is preceded by its length as a 32-bit big-endian integer. A length below 14 (no Ethernet header)
 * or above the bound is a corrupt stream: the decoder throws and the link is closed, as passt does.
 * Emits each frame as a slice of the read buffer (no copy).
 */
public final class QemuStreamFrameDecoder extends LengthFieldBasedFrameDecoder {
    public static final int MIN_FRAME = 14;

    public QemuStreamFrameDecoder(int maxFrameLength) {
        super(maxFrameLength + 4, 0, 4, 0, 4, true);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (in.readableBytes() >= 4) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length < MIN_FRAME) {
                throw new CorruptedFrameException("frame length " + length + " is shorter than an Ethernet header");
            }
        }
        return super.decode(ctx, in);
    }
}
