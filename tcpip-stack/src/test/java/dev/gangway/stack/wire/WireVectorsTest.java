package dev.gangway.stack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact vectors both ways. The guest frames were captured from the Linux kernel and busybox udhcpc in
 * the namespace lab (tshark -x of the stack's own capture); the gateway frames are what the stack sent
 * and the kernel accepted.
 */
class WireVectorsTest {
    static final String ARP_REQUEST = "ffffffffffffdaaa90d7fbb208060001080006040001daaa90d7fbb2c0a84102000000000000c0a84101";
    static final String ARP_REPLY = "daaa90d7fbb25a94efe40cdd080600010800060400025a94efe40cddc0a84101daaa90d7fbb2c0a84102";
    static final String ECHO_REQUEST = "5a94efe40cdddaaa90d7fbb2080045000054699f40004001cdb5c0a84102c0a841010800ee0d10b5"
            + "0000003cf90000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "00000000000000";
    static final String UDP_HELLO = "5a94efe40cdddaaa90d7fbb2080045000022c312400040117367c0a84102c0a841fee9e50009000e"
            + "cdb568656c6c6f0a";
    static final String PORT_UNREACHABLE = "daaa90d7fbb25a94efe40cdd080045000038f39a0000400182d9c0a841fec0a84102030345"
            + "4a0000000045000022c312400040117367c0a84102c0a841fee9e50009000ecdb5";
    static final String DHCP_DISCOVER = "ffffffffffffdaaa90d7fbb208004500014800000000401179a600000000ffffffff004400430134ed15010106001c3e687d0000000000000000000000000000000000000000daaa90d7fbb200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000638253633501013902024037090103060c0f1a1c2a773c0c756468637020312e33352e303d0701daaa90d7fbb2ff000000000000000000000000000000000000";
    static final String DHCP_ACK = "daaa90d7fbb25a94efe40cdd08004500013ef39800004011846dc0a84101ffffffff00430044012a4d98020106001c3e687d0000000000000000c0a841020000000000000000daaa90d7fbb200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000638253633501053604c0a84101330400001c203a0400000e103b040000189c0104ffffff000304c0a841010604c0a841011a0205dcff";

    static final MacAddress GUEST = MacAddress.parse("da:aa:90:d7:fb:b2");
    static final MacAddress GATEWAY = MacAddress.parse("5a:94:ef:e4:0c:dd");
    static final int GUEST_IP = Ipv4Address.parse("192.168.65.2");
    static final int GATEWAY_IP = Ipv4Address.parse("192.168.65.1");
    static final int ALIAS_IP = Ipv4Address.parse("192.168.65.254");

    static ByteBuf bytes(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    }

    static String hex(ByteBuf buf) {
        var out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return HexFormat.of().formatHex(out);
    }

    static <T> T ok(Parsed<T> parsed) {
        assertThat(parsed).isInstanceOf(Parsed.Ok.class);
        return ((Parsed.Ok<T>) parsed).value();
    }

    @Test
    void arpRequestParsesAndEmits() {
        var frame = bytes(ARP_REQUEST);
        var eth = ok(EthernetRepr.parse(frame));
        assertThat(eth).isEqualTo(new EthernetRepr(MacAddress.BROADCAST, GUEST, EthernetFrame.TYPE_ARP));
        var arp = ok(ArpRepr.parse(frame, 14, frame.readableBytes() - 14));
        assertThat(arp).isEqualTo(new ArpRepr(ArpPacket.OP_REQUEST, GUEST, GUEST_IP, MacAddress.ZERO, GATEWAY_IP));
        var out = Unpooled.buffer(42).writerIndex(42);
        eth.emit(out, 0);
        arp.emit(out, 14);
        assertThat(hex(out)).isEqualTo(ARP_REQUEST);
    }

    @Test
    void arpReplyEmitsExactly() {
        var out = Unpooled.buffer(42).writerIndex(42);
        new EthernetRepr(GUEST, GATEWAY, EthernetFrame.TYPE_ARP).emit(out, 0);
        new ArpRepr(ArpPacket.OP_REPLY, GATEWAY, GATEWAY_IP, GUEST, GUEST_IP).emit(out, 14);
        assertThat(hex(out)).isEqualTo(ARP_REPLY);
        assertThat(ok(ArpRepr.parse(bytes(ARP_REPLY), 14, 28)).operation()).isEqualTo(ArpPacket.OP_REPLY);
    }

    @Test
    void echoRequestParsesAndEmits() {
        var frame = bytes(ECHO_REQUEST);
        var ip = ok(Ipv4Repr.parse(frame, 14, frame.readableBytes() - 14));
        assertThat(ip).isEqualTo(new Ipv4Repr(GUEST_IP, GATEWAY_IP, Ipv4Packet.PROTO_ICMP, 64, 0x699f, true, false, 0,
                20, 64));
        var icmp = ok(IcmpRepr.parse(frame, 34, 64));
        assertThat(icmp).isEqualTo(IcmpRepr.echo(IcmpPacket.TYPE_ECHO_REQUEST, 0x10b5, 0, 56));
        var out = Unpooled.buffer(frame.readableBytes()).writeBytes(frame, 0, frame.readableBytes());
        out.setZero(14, 28);
        ip.emit(out, 14);
        icmp.emit(out, 34);
        assertThat(hex(out)).isEqualTo(ECHO_REQUEST);
    }

    @Test
    void udpParsesAndEmitsWithChecksum() {
        var frame = bytes(UDP_HELLO);
        var ip = ok(Ipv4Repr.parse(frame, 14, frame.readableBytes() - 14));
        var udp = ok(UdpRepr.parse(frame, 34, ip.payloadLength(), ip.src(), ip.dst()));
        assertThat(udp).isEqualTo(new UdpRepr(0xe9e5, 9, 6));
        var out = Unpooled.buffer(frame.readableBytes()).writeBytes(frame, 0, frame.readableBytes());
        out.setZero(34, 8);
        udp.emit(out, 34, ip.src(), ip.dst());
        assertThat(hex(out)).isEqualTo(UDP_HELLO);
    }

    @Test
    void portUnreachableQuotesTheDatagram() {
        var frame = bytes(PORT_UNREACHABLE);
        var ip = ok(Ipv4Repr.parse(frame, 14, frame.readableBytes() - 14));
        assertThat(ip.src()).isEqualTo(ALIAS_IP);
        var icmp = ok(IcmpRepr.parse(frame, 34, ip.payloadLength()));
        assertThat(icmp.type()).isEqualTo(IcmpPacket.TYPE_DEST_UNREACHABLE);
        assertThat(icmp.code()).isEqualTo(IcmpPacket.CODE_PORT_UNREACHABLE);
        assertThat(hex(frame.slice(42, 28))).isEqualTo(UDP_HELLO.substring(28, 28 + 56));
    }

    @Test
    void dhcpDiscoverFromUdhcpcParses() {
        var frame = bytes(DHCP_DISCOVER);
        var ip = ok(Ipv4Repr.parse(frame, 14, frame.readableBytes() - 14));
        var udp = ok(UdpRepr.parse(frame, 34, ip.payloadLength(), ip.src(), ip.dst()));
        assertThat(udp.dstPort()).isEqualTo(DhcpPacket.SERVER_PORT);
        var dhcp = ok(DhcpRepr.parse(frame, 42, udp.payloadLength()));
        assertThat(dhcp.xid()).isEqualTo(0x1c3e687d);
        assertThat(dhcp.chaddr()).isEqualTo(GUEST);
        assertThat(dhcp.options().messageType()).isEqualTo(DhcpOptions.DISCOVER);
        assertThat(dhcp.options().parameterList()).contains(1, 3, 6, 26, 119);
    }

    @Test
    void dhcpAckEmitsExactlyAndParsesBack() {
        var options = new DhcpOptions(DhcpOptions.ACK, 0, GATEWAY_IP, 7200, 0xFFFFFF00, GATEWAY_IP, List.of(GATEWAY_IP),
                null, null, List.of(), 1500, new byte[0]);
        var ack = new DhcpRepr(DhcpPacket.OP_REPLY, 0x1c3e687d, 0, 0, GUEST_IP, 0, 0, GUEST, options);
        var out = Unpooled.buffer(ack.emittedLength()).writerIndex(ack.emittedLength());
        ack.emit(out, 0);
        assertThat(hex(out)).isEqualTo(DHCP_ACK.substring(2 * 42));
        var parsed = ok(DhcpRepr.parse(out, 0, out.readableBytes()));
        assertThat(parsed).isEqualTo(ack);
    }

    @Test
    void dhcpDomainSearchRoundTrips() {
        var options = new DhcpOptions(DhcpOptions.OFFER, 0, GATEWAY_IP, 60, 0xFFFFFF00, GATEWAY_IP, List.of(GATEWAY_IP),
                "guest", "docker.internal", List.of("docker.internal", "example.org"), 65520, new byte[0]);
        var offer = new DhcpRepr(DhcpPacket.OP_REPLY, 7, DhcpPacket.FLAG_BROADCAST, 0, GUEST_IP, 0, 0, GUEST, options);
        var out = Unpooled.buffer(offer.emittedLength()).writerIndex(offer.emittedLength());
        offer.emit(out, 0);
        assertThat(ok(DhcpRepr.parse(out, 0, out.readableBytes()))).isEqualTo(offer);
        int search = hex(out).indexOf("77" + "1e" + "06646f636b657208696e7465726e616c00");
        assertThat(search).as("option 119 in RFC 1035 label form").isPositive();
    }
}
