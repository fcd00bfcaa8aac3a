package dev.gangway.stack.link;

import dev.gangway.stack.wire.ArpPacket;
import dev.gangway.stack.wire.ArpRepr;
import dev.gangway.stack.wire.DhcpOptions;
import dev.gangway.stack.wire.DhcpPacket;
import dev.gangway.stack.wire.DhcpRepr;
import dev.gangway.stack.wire.EthernetFrame;
import dev.gangway.stack.wire.EthernetRepr;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.Ipv4Packet;
import dev.gangway.stack.wire.Ipv4Repr;
import dev.gangway.stack.wire.MacAddress;
import dev.gangway.stack.wire.Parsed;
import dev.gangway.stack.wire.UdpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/** Builds and reads guest frames for tests, with the stack's own codecs (checked against vectors elsewhere). */
public final class TestFrames {
    public static final MacAddress GATEWAY_MAC = MacAddress.parse("5a:94:ef:e4:0c:dd");
    public static final int GATEWAY = Ipv4Address.parse("192.168.65.1");
    public static final int ALIAS = Ipv4Address.parse("192.168.65.254");

    private TestFrames() {
    }

    public static byte[] toBytes(ByteBuf buf) {
        var out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    public static byte[] dhcp(MacAddress client, int type, int xid, int requested) {
        var options = new DhcpOptions(type, requested, type == DhcpOptions.REQUEST ? GATEWAY : 0, 0, 0, 0, List.of(),
                null, null, List.of(), 0, new byte[] {1, 3, 6, 26});
        var dhcp = new DhcpRepr(DhcpPacket.OP_REQUEST, xid, DhcpPacket.FLAG_BROADCAST, 0, 0, 0, 0, client, options);
        var payload = Unpooled.buffer(dhcp.emittedLength()).writerIndex(dhcp.emittedLength());
        dhcp.emit(payload, 0);
        return udp(client, MacAddress.BROADCAST, 0, Ipv4Address.BROADCAST, 68, 67, toBytes(payload));
    }

    public static byte[] udp(MacAddress srcMac, MacAddress dstMac, int src, int dst, int srcPort, int dstPort,
            byte[] payload) {
        int total = 14 + 20 + 8 + payload.length;
        var frame = Unpooled.buffer(total).writerIndex(total);
        new EthernetRepr(dstMac, srcMac, EthernetFrame.TYPE_IPV4).emit(frame, 0);
        Ipv4Repr.of(src, dst, Ipv4Packet.PROTO_UDP, 64, 1, 8 + payload.length).emit(frame, 14);
        frame.setBytes(42, payload);
        new UdpRepr(srcPort, dstPort, payload.length).emit(frame, 34, src, dst);
        return toBytes(frame);
    }

    public static byte[] arpRequest(MacAddress srcMac, int srcIp, int target) {
        var frame = Unpooled.buffer(42).writerIndex(42);
        new EthernetRepr(MacAddress.BROADCAST, srcMac, EthernetFrame.TYPE_ARP).emit(frame, 0);
        new ArpRepr(ArpPacket.OP_REQUEST, srcMac, srcIp, MacAddress.ZERO, target).emit(frame, 14);
        return toBytes(frame);
    }

    /** The DHCP message in a frame from the gateway, or {@code null} if it is not one. */
    public static DhcpRepr dhcpReply(byte[] bytes) {
        var frame = Unpooled.wrappedBuffer(bytes);
        if (bytes.length < 42 + 240 || frame.getUnsignedShort(12) != EthernetFrame.TYPE_IPV4
                || frame.getUnsignedByte(23) != Ipv4Packet.PROTO_UDP || frame.getUnsignedShort(36) != 68) {
            return null;
        }
        return switch (DhcpRepr.parse(frame, 42, bytes.length - 42)) {
            case Parsed.Ok<DhcpRepr>(var value) -> value;
            case Parsed.Refused<DhcpRepr> refused -> null;
        };
    }
}
