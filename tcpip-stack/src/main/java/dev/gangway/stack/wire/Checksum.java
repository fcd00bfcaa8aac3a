package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** The Internet checksum (RFC 1071), summed over buffer ranges and pseudo headers. */
public final class Checksum {
    private Checksum() {
    }

    /** Adds the 16-bit words of {@code length} bytes at {@code index} to {@code sum} (no folding). */
    public static long add(long sum, ByteBuf buf, int index, int length) {
        int end = index + length;
        int i = index;
        while (i + 4 <= end) {
            sum += buf.getUnsignedInt(i);
            i += 4;
        }
        if (i + 2 <= end) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += (buf.getUnsignedByte(i) << 8);
        }
        return sum;
    }

    /** The pseudo-header sum for UDP/TCP over IPv4. */
    public static long pseudoHeader(int source, int destination, int protocol, int length) {
        return (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF)
                + protocol + length;
    }

    /** Folds a sum to 16 bits and complements it: the value to store in a header. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The checksum of a range, as stored; 0 when the range already holds a valid checksum. */
    public static int of(ByteBuf buf, int index, int length) {
        return finish(add(0, buf, index, length));
    }
}
