package dev.gangway.ninep.transport;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;

/**
 * Splits a byte stream into 9P frames: a little-endian {@code size[4]} that counts itself, then the rest.
 * Frames are passed on whole, size field included. A frame larger than {@code maxFrame} (the server's
 * largest msize) or smaller than a size field fails the decoder, which closes the connection.
 */
public final class NinePFrameDecoder extends LengthFieldBasedFrameDecoder {
    public NinePFrameDecoder(int maxFrame) {
        super(ByteOrder.LITTLE_ENDIAN, maxFrame, 0, 4, -4, 0, true);
    }
}
