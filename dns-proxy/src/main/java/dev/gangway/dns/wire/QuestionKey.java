package dev.gangway.dns.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What makes two queries the same question for the cache and for coalescing: the lower-cased name in wire
 * form, type, class, and the query bits that change the answer (RD, CD, EDNS0 present, DO).
 */
public final class QuestionKey {
    static final int BIT_RD = 1;
    static final int BIT_CD = 2;
    static final int BIT_EDNS = 4;
    static final int BIT_DO = 8;

    private final byte[] bytes;
    private final int nameLength;
    private final int hash;

    QuestionKey(byte[] bytes, int nameLength) {
        this.bytes = bytes;
        this.nameLength = nameLength;
        this.hash = Arrays.hashCode(bytes);
    }

    public int type() {
        return ((bytes[nameLength] & 0xff) << 8) | (bytes[nameLength + 1] & 0xff);
    }

    public int qclass() {
        return ((bytes[nameLength + 2] & 0xff) << 8) | (bytes[nameLength + 3] & 0xff);
    }

    /** The lower-cased name in wire form as an ISO-8859-1 string: a cheap exact-match map key. */
    public String wireName() {
        return new String(bytes, 0, nameLength, StandardCharsets.ISO_8859_1);
    }

    /** The name as dotted lower-case text without the trailing dot; the root is "". */
    public String name() {
        var text = new StringBuilder(nameLength);
        int i = 0;
        while (bytes[i] != 0) {
            if (!text.isEmpty()) {
                text.append('.');
            }
            int len = bytes[i];
            text.append(new String(bytes, i + 1, len, StandardCharsets.ISO_8859_1));
            i += 1 + len;
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuestionKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return name() + "/" + type() + "/" + qclass() + "/" + bytes[bytes.length - 1];
    }
}
