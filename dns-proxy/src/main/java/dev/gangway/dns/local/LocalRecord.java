package dev.gangway.dns.local;

import dev.gangway.dns.wire.DnsName;
import dev.gangway.dns.wire.Query;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One local resource record.
 *
 * @param name the owner, dotted lower-case text without the trailing dot
 * @param type the record type
 * @param rdata the record data in wire form (names uncompressed)
 * @param target for a CNAME, the target name (lower-case text), otherwise null
 */
public record LocalRecord(String name, int type, byte[] rdata, String target) {

    public static LocalRecord address(String name, InetAddress address) {
        return new LocalRecord(normalize(name), address instanceof Inet4Address ? Query.TYPE_A : Query.TYPE_AAAA,
                address.getAddress(), null);
    }

    /**
     * Parses {@code NAME TYPE DATA}: {@code A IPv4}, {@code AAAA IPv6}, {@code CNAME TARGET}, {@code TXT
     * TEXT} (the rest of the line; surrounding quotes removed; split into 255-byte strings) or {@code SRV
     * PRIORITY WEIGHT PORT TARGET}. Throws {@link IllegalArgumentException} naming what is wrong.
     */
    public static LocalRecord parse(String spec) {
        String[] f = spec.trim().split("\\s+", 3);
        if (f.length < 3) {
            throw new IllegalArgumentException("record '" + spec + "' is not 'NAME TYPE DATA'");
        }
        String name = normalize(f[0]);
        requireName(name, spec);
        String data = f[2].trim();
        switch (f[1].toUpperCase(Locale.ROOT)) {
            case "A", "AAAA" -> {
                InetAddress address = dev.gangway.dns.host.Addresses.parseLiteral(data);
                boolean v4 = f[1].equalsIgnoreCase("A");
                if (address == null || (address instanceof Inet4Address) != v4) {
                    throw new IllegalArgumentException("record '" + spec + "': '" + data + "' is not an "
                            + (v4 ? "IPv4" : "IPv6") + " address");
                }
                return address(name, address);
            }
            case "CNAME" -> {
                String target = normalize(data);
                return new LocalRecord(name, Query.TYPE_CNAME, nameBytes(target, spec), target);
            }
            case "TXT" -> {
                String text = data.length() >= 2 && data.startsWith("\"") && data.endsWith("\"")
                        ? data.substring(1, data.length() - 1) : data;
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                var out = new java.io.ByteArrayOutputStream();
                int i = 0;
                do {
                    int n = Math.min(255, bytes.length - i);
                    out.write(n);
                    out.write(bytes, i, n);
                    i += n;
                } while (i < bytes.length);
                if (out.size() > 65000) {
                    throw new IllegalArgumentException("record '" + spec + "': text too long");
                }
                return new LocalRecord(name, Query.TYPE_TXT, out.toByteArray(), null);
            }
            case "SRV" -> {
                String[] s = data.split("\\s+");
                if (s.length != 4) {
                    throw new IllegalArgumentException("record '" + spec
                            + "': SRV data is 'PRIORITY WEIGHT PORT TARGET'");
                }
                ByteBuf buf = Unpooled.buffer();
                for (int k = 0; k < 3; k++) {
                    int v;
                    try {
                        v = Integer.parseInt(s[k]);
                    } catch (NumberFormatException e) {
                        v = -1;
                    }
                    if (v < 0 || v > 65535) {
                        throw new IllegalArgumentException("record '" + spec + "': '" + s[k] + "' is not 0-65535");
                    }
                    buf.writeShort(v);
                }
                buf.writeBytes(nameBytes(normalize(s[3]), spec));
                byte[] rdata = new byte[buf.readableBytes()];
                buf.readBytes(rdata);
                return new LocalRecord(name, Query.TYPE_SRV, rdata, null);
            }
            default -> throw new IllegalArgumentException("record '" + spec + "': type '" + f[1]
                    + "' is not one of A, AAAA, CNAME, TXT, SRV");
        }
    }

    /** This record as a Netty DNS record with the given TTL (the caller releases it). */
    public DnsRecord toDnsRecord(long ttl) {
        return new DefaultDnsRawRecord(name + ".", DnsRecordType.valueOf(type), ttl, Unpooled.wrappedBuffer(rdata));
    }

    static LocalRecord pointer(String reverseName, String target) {
        return new LocalRecord(reverseName, Query.TYPE_PTR, nameBytes(target, target), null);
    }

    static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** The PTR owner name of an address (RFC 1035 §3.5, RFC 3596 §2.5). */
    static String reverseName(byte[] b) {
        var out = new StringBuilder();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b.length == 4) {
                out.append(b[i] & 0xff).append('.');
            } else {
                out.append(Character.forDigit(b[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
            }
        }
        return out.append(b.length == 4 ? "in-addr.arpa" : "ip6.arpa").toString();
    }

    private static void requireName(String name, String spec) {
        nameBytes(name, spec);
    }

    private static byte[] nameBytes(String name, String spec) {
        ByteBuf buf = Unpooled.buffer(64);
        if (name.isEmpty() || !DnsName.write(buf, name)) {
            throw new IllegalArgumentException("record '" + spec + "': '" + name + "' is not a valid DNS name");
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    static List<LocalRecord> ofType(List<LocalRecord> records, int type) {
        var out = new ArrayList<LocalRecord>();
        for (LocalRecord r : records) {
            if (type == Query.TYPE_ANY || r.type == type) {
                out.add(r);
            }
        }
        return out;
    }
}
