package dev.gangway.fsevents.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import io.netty.handler.codec.DecoderException;
import java.util.List;

/**
 * Netty face of {@link StreamCodec}: frames bodies after a {@code LengthFieldBasedFrameDecoder} has cut
 * them, and writes length-prefixed frames.
 */
final class FrameCodec extends ByteToMessageCodec<StreamMessage> {
    @Override
    protected void encode(ChannelHandlerContext ctx, StreamMessage message, ByteBuf out) {
        int start = out.writerIndex();
        out.ensureWritable(4 + StreamCodec.MAX_FRAME);
        var body = out.nioBuffer(start + 4, StreamCodec.MAX_FRAME);
        StreamCodec.encode(message, body);
        out.setInt(start, body.position());
        out.writerIndex(start + 4 + body.position());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            out.add(StreamCodec.decode(in.nioBuffer()));
        } catch (StreamCodec.MalformedFrameException e) {
            throw new DecoderException(e.getMessage(), e);
        } finally {
            in.skipBytes(in.readableBytes());
        }
    }
}
