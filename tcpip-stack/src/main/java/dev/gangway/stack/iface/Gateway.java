package dev.gangway.stack.iface;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.l2.Endpoint;
import dev.gangway.stack.l2.SwitchPort;
import dev.gangway.stack.l2.VirtualSwitch;
import dev.gangway.stack.stats.Counters;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.ArpPacket;
import dev.gangway.stack.wire.ArpRepr;
import dev.gangway.stack.wire.Checksum;
import dev.gangway.stack.wire.EthernetFrame;
import dev.gangway.stack.wire.EthernetRepr;
import dev.gangway.stack.wire.IcmpPacket;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.Ipv4Packet;
import dev.gangway.stack.wire.Ipv4Repr;
import dev.gangway.stack.wire.MacAddress;
import dev.gangway.stack.wire.Parsed;
import dev.gangway.stack.wire.UdpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The gateway station of the virtual network: answers ARP for the gateway and the host alias, validates
 * IPv4 (checksum, lengths, TTL), reassembles fragments, dispatches datagrams to the transport registered
 * for their protocol, and builds every frame the stack sends to guests (fragmenting to the link MTU).
 *
 * <p>Input runs on the loop of the link a frame came from; output may be called from any link's loop
 * (frames are routed by the switch).
 */
public final class Gateway implements Endpoint {
    static final int TTL = 64;
    private static final int HEADERS = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;

    private final NetworkConfig config;
    private final Counters counters;
    private final VirtualSwitch sw;
    private final ByteBufAllocator alloc;
    private final IntFunction<MacAddress> leases;
    private final ArpCache arp = new ArpCache();
    private final TransportProtocol[] protocols = new TransportProtocol[256];
    private final List<GuestLink> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger ident = new AtomicInteger((int) System.nanoTime());

    /**
     * @param leases the MAC address a guest address is leased to (DHCP), or {@code null}; used when the
     *               address was not learned yet
     */
    public Gateway(NetworkConfig config, Counters counters, VirtualSwitch sw, ByteBufAllocator alloc,
            IntFunction<MacAddress> leases) {
        this.config = config;
        this.counters = counters;
        this.sw = sw;
        this.alloc = alloc;
        this.leases = leases;
        sw.connectGateway(this);
    }

    public NetworkConfig config() {
        return config;
    }

    public Counters counters() {
        return counters;
    }

    public ByteBufAllocator alloc() {
        return alloc;
    }

    public VirtualSwitch virtualSwitch() {
        return sw;
    }

    @Override
    public MacAddress mac() {
        return config.gatewayMac();
    }

    /** Adds a transport; must be called before links attach. */
    public void register(TransportProtocol protocol) {
        protocols[protocol.protocolNumber()] = protocol;
    }

    /** Attaches a link channel; its transports are created on its loop. Call on the channel's loop. */
    public GuestLink attach(String name, Channel channel) {
        var link = new GuestLink(name, channel, this, counters, new Ipv4Reassembler(alloc, counters,
                config.reassemblyBytes(), config.reassemblyTimeout().toNanos()));
        for (var protocol : protocols) {
            if (protocol != null) {
                link.setTransport(protocol.protocolNumber(), protocol.attach(link));
            }
        }
        link.startTicker();
        links.add(link);
        sw.add(link);
        return link;
    }

    /** Detaches a link: its flows close, its addresses are forgotten. Call on the link's loop. */
    public void detach(GuestLink link) {
        links.remove(link);
        sw.remove(link);
        link.close();
    }

    public List<GuestLink> links() {
        return List.copyOf(links);
    }

    /** The link on which the guest with {@code address} was last seen, or {@code null}. */
    public GuestLink linkOf(int address) {
        var mac = resolve(address);
        return mac == null ? null : (GuestLink) sw.portOf(mac);
    }

    public MacAddress resolve(int address) {
        var mac = arp.lookup(address);
        if (mac == null && leases != null) {
            mac = leases.apply(address);
        }
        return mac;
    }

    /** True for the addresses the gateway answers for itself: the gateway and the host alias. */
    public boolean owns(int address) {
        return address == config.gateway() || address == config.hostAlias();
    }

    // ---- input

    @Override
    public void receive(SwitchPort from, ByteBuf frame) {
        try {
            if (!(from instanceof GuestLink link) || link.isClosed()) {
                return;
            }
            if (!(EthernetRepr.parse(frame) instanceof Parsed.Ok<EthernetRepr>(var eth))) {
                counters.drop(Layer.ETHERNET, "truncated");
                return;
            }
            int offset = frame.readerIndex() + EthernetFrame.HEADER_LENGTH;
            int length = frame.readableBytes() - EthernetFrame.HEADER_LENGTH;
            switch (eth.etherType()) {
                case EthernetFrame.TYPE_ARP -> arp(link, frame, offset, length);
                case EthernetFrame.TYPE_IPV4 -> ipv4(link, frame, offset, length, eth.src());
                case EthernetFrame.TYPE_IPV6 -> counters.drop(Layer.ETHERNET, "ipv6");
                default -> counters.drop(Layer.ETHERNET, "unsupported-type");
            }
        } finally {
            frame.release();
        }
    }

    private void arp(GuestLink link, ByteBuf frame, int offset, int length) {
        switch (ArpRepr.parse(frame, offset, length)) {
            case Parsed.Refused<ArpRepr>(var reason) -> counters.drop(Layer.ARP, reason.label());
            case Parsed.Ok<ArpRepr>(var arpIn) -> {
                counters.in(Layer.ARP, length);
                if (arpIn.senderIp() != 0 && config.inSubnet(arpIn.senderIp()) && !owns(arpIn.senderIp())) {
                    arp.learn(arpIn.senderIp(), arpIn.senderMac());
                }
                if (arpIn.operation() != ArpPacket.OP_REQUEST || !owns(arpIn.targetIp())
                        || arpIn.senderIp() == arpIn.targetIp()) {
                    return;
                }
                var reply = new ArpRepr(ArpPacket.OP_REPLY, mac(), arpIn.targetIp(), arpIn.senderMac(),
                        arpIn.senderIp());
                var out = alloc.directBuffer(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
                new EthernetRepr(arpIn.senderMac(), mac(), EthernetFrame.TYPE_ARP).emit(out, 0);
                reply.emit(out, EthernetFrame.HEADER_LENGTH);
                out.writerIndex(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
                counters.out(Layer.ARP, ArpPacket.LENGTH);
                sw.fromGateway(out);
            }
        }
    }

    private void ipv4(GuestLink link, ByteBuf frame, int offset, int length, MacAddress srcMac) {
        Ipv4Repr ip;
        switch (Ipv4Repr.parse(frame, offset, length)) {
            case Parsed.Refused<Ipv4Repr>(var reason) -> {
                counters.drop(Layer.IPV4, reason.label());
                return;
            }
            case Parsed.Ok<Ipv4Repr>(var value) -> ip = value;
        }
        counters.in(Layer.IPV4, ip.headerLength() + ip.payloadLength());
        int src = ip.src();
        int dst = ip.dst();
        if (src != 0 && config.inSubnet(src) && !owns(src)) {
            arp.learn(src, srcMac);
        } else if (src != 0 && !(config.inSubnet(src) && !owns(src))) {
            counters.drop(Layer.IPV4, "bad-source");
            return;
        }
        boolean broadcast = dst == Ipv4Address.BROADCAST || dst == config.broadcast();
        if (src == 0 && !(ip.protocol() == Ipv4Packet.PROTO_UDP && (broadcast || dst == config.gateway()))) {
            counters.drop(Layer.IPV4, "bad-source");
            return;
        }
        boolean beyond = !config.inSubnet(dst) && (dst >>> 28) != 0xE && dst != Ipv4Address.BROADCAST && dst != 0;
        if (!owns(dst) && !broadcast && !beyond) {
            counters.drop(Layer.IPV4, "not-routed");
            return;
        }
        if ((beyond || dst == config.hostAlias()) && ip.ttl() <= 1) {
            if (!ip.isFragment() || ip.fragmentOffset() == 0) {
                sendIcmpError(new Ipv4Datagram(ip, frame, offset, offset + ip.headerLength(), srcMac),
                        IcmpPacket.TYPE_TIME_EXCEEDED, 0, 0, config.gateway());
            }
            counters.drop(Layer.IPV4, "ttl-exceeded");
            return;
        }
        if (beyond && config.hostOnly()) {
            if (!ip.isFragment() || ip.fragmentOffset() == 0) {
                sendIcmpError(new Ipv4Datagram(ip, frame, offset, offset + ip.headerLength(), srcMac),
                        IcmpPacket.TYPE_DEST_UNREACHABLE, IcmpPacket.CODE_ADMIN_PROHIBITED, 0, config.gateway());
            }
            counters.drop(Layer.IPV4, "restricted");
            return;
        }
        var transport = link.transport(ip.protocol());
        if (transport == null) {
            if (!broadcast) {
                sendIcmpError(new Ipv4Datagram(ip, frame, offset, offset + ip.headerLength(), srcMac),
                        IcmpPacket.TYPE_DEST_UNREACHABLE, IcmpPacket.CODE_PROTOCOL_UNREACHABLE, 0, dst);
            }
            counters.drop(Layer.IPV4, "unknown-protocol");
            return;
        }
        if (ip.isFragment()) {
            var whole = link.reassembler().add(ip, frame, offset + ip.headerLength(), System.nanoTime());
            if (whole == null) {
                return;
            }
            try {
                transport.receive(new Ipv4Datagram(whole.header(), whole.payload(), -1, 0, srcMac));
            } finally {
                whole.payload().release();
            }
            return;
        }
        transport.receive(new Ipv4Datagram(ip, frame, offset, offset + ip.headerLength(), srcMac));
    }

    // ---- output

    /**
     * Sends {@code segment} (a transport header and its payload; ownership taken) in IPv4 from
     * {@code src} to {@code dst}, fragmented to the MTU when needed. {@code dstMac} overrides address
     * resolution (DHCP replies to a guest that has no address yet); {@code null} resolves {@code dst}.
     */
    public void sendIpv4(int src, int dst, int protocol, ByteBuf segment, MacAddress dstMac) {
        MacAddress mac = dstMac;
        if (mac == null) {
            mac = dst == Ipv4Address.BROADCAST || dst == config.broadcast() ? MacAddress.BROADCAST : resolve(dst);
        }
        if (mac == null) {
            counters.drop(Layer.IPV4, "unresolved-destination");
            segment.release();
            requestArp(dst);
            return;
        }
        int total = segment.readableBytes();
        int maxPayload = config.mtu() - Ipv4Packet.MIN_HEADER_LENGTH;
        int id = ident.getAndIncrement() & 0xFFFF;
        try {
            if (total <= maxPayload) {
                emit(mac, Ipv4Repr.of(src, dst, protocol, TTL, id, total), segment.retain());
                return;
            }
            int chunk = maxPayload & ~7;
            for (int off = 0; off < total; off += chunk) {
                int len = Math.min(chunk, total - off);
                boolean more = off + len < total;
                var header = new Ipv4Repr(src, dst, protocol, TTL, id, false, more, off,
                        Ipv4Packet.MIN_HEADER_LENGTH, len);
                emit(mac, header, segment.retainedSlice(segment.readerIndex() + off, len));
            }
        } finally {
            segment.release();
        }
    }

    private void emit(MacAddress dstMac, Ipv4Repr header, ByteBuf payload) {
        var headers = alloc.directBuffer(HEADERS, HEADERS);
        new EthernetRepr(dstMac, mac(), EthernetFrame.TYPE_IPV4).emit(headers, 0);
        header.emit(headers, EthernetFrame.HEADER_LENGTH);
        headers.writerIndex(HEADERS);
        counters.out(Layer.IPV4, Ipv4Packet.MIN_HEADER_LENGTH + header.payloadLength());
        var frame = alloc.compositeDirectBuffer(2).addComponents(true, headers, payload);
        sw.fromGateway(frame);
    }

    private void requestArp(int target) {
        if (!config.inSubnet(target)) {
            return;
        }
        var out = alloc.directBuffer(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
        new EthernetRepr(MacAddress.BROADCAST, mac(), EthernetFrame.TYPE_ARP).emit(out, 0);
        new ArpRepr(ArpPacket.OP_REQUEST, mac(), config.gateway(), MacAddress.ZERO, target)
                .emit(out, EthernetFrame.HEADER_LENGTH);
        out.writerIndex(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
        counters.out(Layer.ARP, ArpPacket.LENGTH);
        sw.fromGateway(out);
    }

    /** Sends a UDP datagram; takes ownership of {@code payload} (at most 65507 bytes). */
    public void sendUdp(int src, int srcPort, int dst, int dstPort, ByteBuf payload, MacAddress dstMac) {
        int length = UdpPacket.HEADER_LENGTH + payload.readableBytes();
        if (length > 65535 - Ipv4Packet.MIN_HEADER_LENGTH) {
            counters.drop(Layer.UDP, "too-large");
            payload.release();
            return;
        }
        var header = alloc.directBuffer(UdpPacket.HEADER_LENGTH, UdpPacket.HEADER_LENGTH);
        var udp = new UdpPacket(header, 0);
        udp.setSrcPort(srcPort);
        udp.setDstPort(dstPort);
        udp.setLength(length);
        udp.setChecksum(0);
        header.writerIndex(UdpPacket.HEADER_LENGTH);
        long sum = Checksum.pseudoHeader(src, dst, Ipv4Packet.PROTO_UDP, length);
        sum = Checksum.add(sum, header, 0, UdpPacket.HEADER_LENGTH);
        sum = Checksum.add(sum, payload, payload.readerIndex(), payload.readableBytes());
        int checksum = Checksum.finish(sum);
        udp.setChecksum(checksum == 0 ? 0xFFFF : checksum);
        counters.out(Layer.UDP, length);
        sendIpv4(src, dst, Ipv4Packet.PROTO_UDP,
                alloc.compositeDirectBuffer(2).addComponents(true, header, payload), dstMac);
    }

    /** Sends an ICMP message whose body is {@code body} (ownership taken). */
    public void sendIcmp(int src, int dst, int type, int code, int rest, ByteBuf body) {
        var header = alloc.directBuffer(IcmpPacket.HEADER_LENGTH, IcmpPacket.HEADER_LENGTH);
        var icmp = new IcmpPacket(header, 0);
        icmp.setType(type);
        icmp.setCode(code);
        icmp.setChecksum(0);
        icmp.setRest(rest);
        header.writerIndex(IcmpPacket.HEADER_LENGTH);
        long sum = Checksum.add(0, header, 0, IcmpPacket.HEADER_LENGTH);
        sum = Checksum.add(sum, body, body.readerIndex(), body.readableBytes());
        icmp.setChecksum(Checksum.finish(sum));
        counters.out(Layer.ICMP, IcmpPacket.HEADER_LENGTH + body.readableBytes());
        sendIpv4(src, dst, Ipv4Packet.PROTO_ICMP, alloc.compositeDirectBuffer(2).addComponents(true, header, body),
                null);
    }

    /**
     * Sends an ICMP error about {@code cause} back to its sender, from {@code src}, quoting its IPv4
     * header and the first 8 bytes of its payload. Never about ICMP errors, broadcasts or non-first
     * fragments (RFC 1122 3.2.2).
     */
    public void sendIcmpError(Ipv4Datagram cause, int type, int code, int rest, int src) {
        var ip = cause.ip();
        if (ip.fragmentOffset() != 0 || ip.src() == 0 || !config.inSubnet(ip.src())) {
            return;
        }
        if (ip.protocol() == Ipv4Packet.PROTO_ICMP && cause.payloadLength() > 0) {
            int icmpType = cause.buf().getUnsignedByte(cause.payloadOffset());
            if (icmpType != IcmpPacket.TYPE_ECHO_REQUEST && icmpType != IcmpPacket.TYPE_ECHO_REPLY) {
                return;
            }
        }
        sendIcmp(src, ip.src(), type, code, rest, quote(cause));
    }

    /** The original header (as received, or rebuilt for a reassembled datagram) and 8 payload bytes. */
    public ByteBuf quote(Ipv4Datagram datagram) {
        var ip = datagram.ip();
        int payload = Math.min(8, datagram.payloadLength());
        if (datagram.headerOffset() >= 0) {
            int length = ip.headerLength() + payload;
            var out = alloc.directBuffer(length, length);
            out.writeBytes(datagram.buf(), datagram.headerOffset(), length);
            return out;
        }
        int length = Ipv4Packet.MIN_HEADER_LENGTH + payload;
        var out = alloc.directBuffer(length, length);
        new Ipv4Repr(ip.src(), ip.dst(), ip.protocol(), ip.ttl(), ip.ident(), ip.dontFragment(), false, 0,
                Ipv4Packet.MIN_HEADER_LENGTH, ip.payloadLength()).emit(out, 0);
        out.writerIndex(Ipv4Packet.MIN_HEADER_LENGTH);
        out.writeBytes(datagram.buf(), datagram.payloadOffset(), payload);
        return out;
    }
}
