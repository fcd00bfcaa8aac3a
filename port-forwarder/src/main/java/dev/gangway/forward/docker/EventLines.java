package dev.gangway.forward.docker;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Splits the engine's event stream (one JSON object per line, in HTTP chunks of any size) into lines,
 * holding at most {@code maxLine} bytes of an unfinished line.
 */
final class EventLines {
    private final int maxLine;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    EventLines(int maxLine) {
        this.maxLine = maxLine;
    }

    /** Feeds {@code chunk} (not released here); returns false when a line exceeds the bound. */
    boolean feed(ByteBuf chunk, Consumer<byte[]> line) {
        for (int i = chunk.readerIndex(); i < chunk.writerIndex(); i++) {
            byte b = chunk.getByte(i);
            if (b == '\n') {
                if (partial.size() > 0) {
                    line.accept(partial.toByteArray());
                }
                partial.reset();
            } else {
                if (partial.size() >= maxLine) {
                    partial.reset();
                    return false;
                }
                partial.write(b);
            }
        }
        return true;
    }
}
