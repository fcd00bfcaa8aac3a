package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;
import java.util.HexFormat;

/** A 48-bit Ethernet address held in the low bits of a long. */
public record MacAddress(long bits) {
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("more than 48 bits: " + Long.toHexString(bits));
        }
    }

    /** Parses {@code 5a:94:ef:e4:0c:dd}. */
    public static MacAddress parse(String text) {
        var parts = text.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long bits = 0;
        for (var part : parts) {
            bits = (bits << 8) | Integer.parseInt(part, 16);
        }
        return new MacAddress(bits);
    }

    public static MacAddress of(byte[] bytes) {
        long bits = 0;
        for (int i = 0; i < 6; i++) {
            bits = (bits << 8) | (bytes[i] & 0xFF);
        }
        return new MacAddress(bits);
    }

    public static MacAddress read(ByteBuf buf, int index) {
        return new MacAddress(bits(buf, index));
    }

    /** The raw 48 bits at {@code index}, without allocating. */
    public static long bits(ByteBuf buf, int index) {
        return ((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2);
    }

    public void write(ByteBuf buf, int index) {
        buf.setShort(index, (int) (bits >>> 32));
        buf.setInt(index + 2, (int) bits);
    }

    public byte[] toBytes() {
        var out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return out;
    }

    public boolean isMulticast() {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(toBytes());
    }
}
