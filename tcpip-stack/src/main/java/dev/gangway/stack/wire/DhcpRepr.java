package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A parsed DHCP message: the fixed fields the server uses and its {@link DhcpOptions}. */
public record DhcpRepr(int op, int xid, int flags, int ciaddr, int yiaddr, int siaddr, int giaddr,
        MacAddress chaddr, DhcpOptions options) {

    /** More options than this in one message is abuse, not DHCP. */
    static final int MAX_OPTIONS = 128;
    /** Domain-search names longer than DNS allows are refused. */
    static final int MAX_NAME = 255;

    /** Parses the {@code length}-byte message at {@code offset} (the UDP payload). */
    public static Parsed<DhcpRepr> parse(ByteBuf buf, int offset, int length) {
        if (length < DhcpPacket.FIXED_LENGTH) {
            return Parsed.refused(Malformed.TRUNCATED);
        }
        var view = new DhcpPacket(buf, offset);
        if (view.magic() != DhcpPacket.MAGIC_COOKIE) {
            return Parsed.refused(Malformed.UNSUPPORTED);
        }
        if (view.hardwareType() != 1 || view.hardwareLength() != 6) {
            return Parsed.refused(Malformed.UNSUPPORTED);
        }
        int messageType = 0, requestedIp = 0, serverId = 0, lease = 0, mask = 0, router = 0, mtu = 0;
        var dns = new ArrayList<Integer>();
        String hostName = null, domainName = null;
        List<String> search = List.of();
        byte[] parameters = new byte[0];
        int i = view.optionsOffset();
        int end = offset + length;
        int count = 0;
        boolean ended = false;
        while (i < end) {
            int code = buf.getUnsignedByte(i);
            if (code == DhcpOptions.PAD) {
                i++;
                continue;
            }
            if (code == DhcpOptions.END) {
                ended = true;
                break;
            }
            if (i + 2 > end) {
                return Parsed.refused(Malformed.BAD_OPTIONS);
            }
            int len = buf.getUnsignedByte(i + 1);
            int data = i + 2;
            if (data + len > end || ++count > MAX_OPTIONS) {
                return Parsed.refused(Malformed.BAD_OPTIONS);
            }
            switch (code) {
                case DhcpOptions.MESSAGE_TYPE -> {
                    if (len != 1) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    messageType = buf.getUnsignedByte(data);
                }
                case DhcpOptions.REQUESTED_IP, DhcpOptions.SERVER_ID, DhcpOptions.LEASE_TIME, DhcpOptions.SUBNET_MASK -> {
                    if (len != 4) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    int value = buf.getInt(data);
                    switch (code) {
                        case DhcpOptions.REQUESTED_IP -> requestedIp = value;
                        case DhcpOptions.SERVER_ID -> serverId = value;
                        case DhcpOptions.LEASE_TIME -> lease = value;
                        default -> mask = value;
                    }
                }
                case DhcpOptions.ROUTER -> {
                    if (len < 4 || len % 4 != 0) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    router = buf.getInt(data);
                }
                case DhcpOptions.DNS -> {
                    if (len % 4 != 0) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    for (int k = 0; k < len; k += 4) {
                        dns.add(buf.getInt(data + k));
                    }
                }
                case DhcpOptions.MTU -> {
                    if (len != 2) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    mtu = buf.getUnsignedShort(data);
                }
                case DhcpOptions.HOST_NAME -> hostName = buf.toString(data, len, StandardCharsets.US_ASCII);
                case DhcpOptions.DOMAIN_NAME -> domainName = buf.toString(data, len, StandardCharsets.US_ASCII);
                case DhcpOptions.DOMAIN_SEARCH -> {
                    var names = decodeSearch(buf, data, len);
                    if (names == null) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    search = names;
                }
                case DhcpOptions.PARAMETER_LIST -> {
                    parameters = new byte[len];
                    buf.getBytes(data, parameters);
                }
                default -> {
                    // Options the server has no use for are skipped.
                }
            }
            i = data + len;
        }
        if (!ended || messageType < DhcpOptions.DISCOVER || messageType > DhcpOptions.INFORM) {
            return Parsed.refused(Malformed.BAD_OPTIONS);
        }
        var options = new DhcpOptions(messageType, requestedIp, serverId, lease, mask, router, dns, hostName,
                domainName, search, mtu, parameters);
        return Parsed.ok(new DhcpRepr(view.op(), view.xid(), view.flags(), view.ciaddr(), view.yiaddr(),
                view.siaddr(), view.giaddr(), view.chaddr(), options));
    }

    /** Decodes uncompressed RFC 1035 names; compression pointers are refused (we never send them). */
    private static List<String> decodeSearch(ByteBuf buf, int index, int length) {
        var names = new ArrayList<String>();
        int end = index + length;
        var name = new StringBuilder();
        while (index < end) {
            int label = buf.getUnsignedByte(index++);
            if (label == 0) {
                names.add(name.toString());
                name.setLength(0);
                continue;
            }
            if (label > 63 || index + label > end || name.length() + label + 1 > MAX_NAME) {
                return null;
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(buf.toString(index, label, StandardCharsets.US_ASCII));
            index += label;
        }
        return name.isEmpty() ? names : null;
    }

    /** The number of bytes {@link #emit} writes. */
    public int emittedLength() {
        return DhcpPacket.FIXED_LENGTH + optionsLength() + 1;
    }

    private int optionsLength() {
        var o = options;
        int n = 3;
        n += o.serverId() != 0 ? 6 : 0;
        n += o.requestedIp() != 0 ? 6 : 0;
        n += o.leaseSeconds() != 0 ? 18 : 0;
        n += o.subnetMask() != 0 ? 6 : 0;
        n += o.router() != 0 ? 6 : 0;
        n += o.dnsServers().isEmpty() ? 0 : 2 + 4 * o.dnsServers().size();
        n += o.hostName() != null ? 2 + o.hostName().length() : 0;
        n += o.domainName() != null ? 2 + o.domainName().length() : 0;
        n += o.mtu() != 0 ? 4 : 0;
        n += o.parameterList().length != 0 ? 2 + o.parameterList().length : 0;
        int search = searchLength();
        n += search == 0 ? 0 : search + 2 * ((search + 254) / 255);
        return n;
    }

    private int searchLength() {
        int n = 0;
        for (var name : options.domainSearch()) {
            n += name.isEmpty() ? 1 : name.length() + 2;
        }
        return n;
    }

    /**
     * Writes the message at {@code offset}; the buffer must have {@link #emittedLength()} bytes there.
     * Lease time also emits renewal (T1 = 1/2) and rebinding (T2 = 7/8) times.
     */
    public void emit(ByteBuf buf, int offset) {
        var view = new DhcpPacket(buf, offset);
        view.setOp(op);
        view.setHardware(1, 6);
        view.setHops(0);
        view.setXid(xid);
        view.setSecs(0);
        view.setFlags(flags);
        view.setCiaddr(ciaddr);
        view.setYiaddr(yiaddr);
        view.setSiaddr(siaddr);
        view.setGiaddr(giaddr);
        view.setChaddr(chaddr);
        view.setMagic(DhcpPacket.MAGIC_COOKIE);
        int i = view.optionsOffset();
        var o = options;
        buf.setByte(i++, DhcpOptions.MESSAGE_TYPE);
        buf.setByte(i++, 1);
        buf.setByte(i++, o.messageType());
        if (o.serverId() != 0) {
            i = putInt(buf, i, DhcpOptions.SERVER_ID, o.serverId());
        }
        if (o.requestedIp() != 0) {
            i = putInt(buf, i, DhcpOptions.REQUESTED_IP, o.requestedIp());
        }
        if (o.leaseSeconds() != 0) {
            i = putInt(buf, i, DhcpOptions.LEASE_TIME, o.leaseSeconds());
            i = putInt(buf, i, DhcpOptions.RENEWAL_TIME, o.leaseSeconds() / 2);
            i = putInt(buf, i, DhcpOptions.REBINDING_TIME, (int) (o.leaseSeconds() * 7L / 8));
        }
        if (o.subnetMask() != 0) {
            i = putInt(buf, i, DhcpOptions.SUBNET_MASK, o.subnetMask());
        }
        if (o.router() != 0) {
            i = putInt(buf, i, DhcpOptions.ROUTER, o.router());
        }
        if (!o.dnsServers().isEmpty()) {
            buf.setByte(i++, DhcpOptions.DNS);
            buf.setByte(i++, 4 * o.dnsServers().size());
            for (int server : o.dnsServers()) {
                buf.setInt(i, server);
                i += 4;
            }
        }
        if (o.hostName() != null) {
            i = putString(buf, i, DhcpOptions.HOST_NAME, o.hostName());
        }
        if (o.domainName() != null) {
            i = putString(buf, i, DhcpOptions.DOMAIN_NAME, o.domainName());
        }
        if (o.mtu() != 0) {
            buf.setByte(i++, DhcpOptions.MTU);
            buf.setByte(i++, 2);
            buf.setShort(i, o.mtu());
            i += 2;
        }
        if (o.parameterList().length != 0) {
            buf.setByte(i++, DhcpOptions.PARAMETER_LIST);
            buf.setByte(i++, o.parameterList().length);
            buf.setBytes(i, o.parameterList());
            i += o.parameterList().length;
        }
        if (!o.domainSearch().isEmpty()) {
            i = putSearch(buf, i);
        }
        buf.setByte(i, DhcpOptions.END);
    }

    private static int putInt(ByteBuf buf, int i, int code, int value) {
        buf.setByte(i, code);
        buf.setByte(i + 1, 4);
        buf.setInt(i + 2, value);
        return i + 6;
    }

    private static int putString(ByteBuf buf, int i, int code, String value) {
        buf.setByte(i, code);
        buf.setByte(i + 1, value.length());
        buf.setCharSequence(i + 2, value, StandardCharsets.US_ASCII);
        return i + 2 + value.length();
    }

    /** Option 119, split into several instances of at most 255 bytes (RFC 3396) when long. */
    private int putSearch(ByteBuf buf, int i) {
        var encoded = new byte[searchLength()];
        int k = 0;
        for (var name : options.domainSearch()) {
            if (!name.isEmpty()) {
                for (var label : name.split("\\.")) {
                    encoded[k++] = (byte) label.length();
                    for (int c = 0; c < label.length(); c++) {
                        encoded[k++] = (byte) label.charAt(c);
                    }
                }
            }
            encoded[k++] = 0;
        }
        for (int start = 0; start < encoded.length; start += 255) {
            int chunk = Math.min(255, encoded.length - start);
            buf.setByte(i++, DhcpOptions.DOMAIN_SEARCH);
            buf.setByte(i++, chunk);
            buf.setBytes(i, encoded, start, chunk);
            i += chunk;
        }
        return i;
    }
}
