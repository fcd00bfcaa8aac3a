package dev.gangway.dns.wire;

import io.netty.buffer.ByteBuf;

/**
 * Domain names on the wire (RFC 1035 §3.1, §4.1.4): length-prefixed labels ending in a zero byte, or in a
 * two-byte compression pointer. Every method takes absolute indexes and bounds itself to the message
 * ({@code start..end}); none throws on hostile input, they return {@code -1} instead.
 */
public final class DnsName {
    /** The longest name in wire form, including the final zero byte. */
    public static final int MAX_LENGTH = 255;
    static final int MAX_LABEL = 63;
    /** A name of 255 bytes has at most 127 labels, so more hops than that is a loop. */
    static final int MAX_HOPS = 127;

    private DnsName() {
    }

    /**
     * Skips the name at {@code offset} (following no pointer) and returns the index just after it, or -1
     * when it is malformed or runs past {@code end}.
     */
    public static int skip(ByteBuf msg, int offset, int end) {
        int i = offset;
        int length = 0;
        while (i < end) {
            int len = msg.getUnsignedByte(i);
            if (len == 0) {
                return length + 1 <= MAX_LENGTH ? i + 1 : -1;
            }
            if ((len & 0xc0) == 0xc0) {
                return i + 2 <= end ? i + 2 : -1;
            }
            if ((len & 0xc0) != 0) {
                return -1;
            }
            length += len + 1;
            if (length >= MAX_LENGTH) {
                return -1;
            }
            i += 1 + len;
        }
        return -1;
    }

    /**
     * Skips an uncompressed name at {@code offset}: returns the index after its zero byte, or -1 when it
     * is malformed, compressed or runs past {@code end}.
     */
    public static int skipUncompressed(ByteBuf msg, int offset, int end) {
        int after = skip(msg, offset, end);
        if (after < 0 || msg.getUnsignedByte(after - 1) != 0) {
            return -1;
        }
        int i = offset;
        while (i < after - 1) {
            i += 1 + msg.getUnsignedByte(i);
        }
        return i == after - 1 ? after : -1;
    }

    /**
     * Compares the (possibly compressed) name at {@code offset} of {@code msg} with the uncompressed name
     * at {@code otherOffset} of {@code other}, ignoring ASCII case. {@code start} is the index of the
     * message's header, so that pointers can be resolved and checked to point strictly backwards.
     */
    public static boolean equalsIgnoreCase(ByteBuf msg, int start, int offset, int end, ByteBuf other,
            int otherOffset) {
        int i = offset;
        int j = otherOffset;
        int hops = 0;
        int length = 0;
        while (true) {
            if (i < start || i >= end || j >= other.writerIndex()) {
                return false;
            }
            int len = msg.getUnsignedByte(i);
            if ((len & 0xc0) == 0xc0) {
                if (i + 1 >= end || ++hops > MAX_HOPS) {
                    return false;
                }
                int target = start + (((len & 0x3f) << 8) | msg.getUnsignedByte(i + 1));
                if (target >= i) {
                    return false;
                }
                i = target;
                continue;
            }
            if ((len & 0xc0) != 0 || len != other.getUnsignedByte(j)) {
                return false;
            }
            if (len == 0) {
                return true;
            }
            length += len + 1;
            if (length >= MAX_LENGTH || i + 1 + len > end || j + 1 + len > other.writerIndex()) {
                return false;
            }
            for (int k = 1; k <= len; k++) {
                if (lower(msg.getByte(i + k)) != lower(other.getByte(j + k))) {
                    return false;
                }
            }
            i += 1 + len;
            j += 1 + len;
        }
    }

    /**
     * Returns the dotted, lower-cased text of the uncompressed name at {@code offset} (no trailing dot;
     * the root is {@code ""}), or null when it is malformed. Bytes outside printable ASCII are kept as
     * they are (ISO-8859-1), so such a name simply matches nothing.
     */
    public static String toLowerText(ByteBuf msg, int offset, int end) {
        var text = new StringBuilder(64);
        int i = offset;
        while (i < end) {
            int len = msg.getUnsignedByte(i);
            if (len == 0) {
                return text.toString();
            }
            if (len > MAX_LABEL || i + 1 + len > end) {
                return null;
            }
            if (!text.isEmpty()) {
                text.append('.');
            }
            for (int k = 1; k <= len; k++) {
                text.append((char) (lower(msg.getByte(i + k)) & 0xff));
            }
            i += 1 + len;
        }
        return null;
    }

    /** Writes {@code name} (dotted text, trailing dot optional) uncompressed; false when it is invalid. */
    public static boolean write(ByteBuf out, String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty()) {
            out.writeByte(0);
            return true;
        }
        int total = 1;
        int mark = out.writerIndex();
        for (String label : n.split("\\.", -1)) {
            int len = label.length();
            total += len + 1;
            if (len == 0 || len > MAX_LABEL || total > MAX_LENGTH) {
                out.writerIndex(mark);
                return false;
            }
            out.writeByte(len);
            for (int k = 0; k < len; k++) {
                char c = label.charAt(k);
                if (c > 0x7f) {
                    out.writerIndex(mark);
                    return false;
                }
                out.writeByte(c);
            }
        }
        out.writeByte(0);
        return true;
    }

    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
}
