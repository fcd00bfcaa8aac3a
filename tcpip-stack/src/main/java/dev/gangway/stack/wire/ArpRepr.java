package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/** A parsed ARP packet (Ethernet hardware, IPv4 protocol addresses). */
public record ArpRepr(int operation, MacAddress senderMac, int senderIp, MacAddress targetMac, int targetIp) {
    public static Parsed<ArpRepr> parse(ByteBuf buf, int offset, int length) {
        if (length < ArpPacket.LENGTH) {
            return Parsed.refused(Malformed.TRUNCATED);
        }
        var view = new ArpPacket(buf, offset);
        if (view.hardwareType() != 1 || view.protocolType() != EthernetFrame.TYPE_IPV4
                || view.hardwareLength() != 6 || view.protocolLength() != 4) {
            return Parsed.refused(Malformed.UNSUPPORTED);
        }
        int op = view.operation();
        if (op != ArpPacket.OP_REQUEST && op != ArpPacket.OP_REPLY) {
            return Parsed.refused(Malformed.UNSUPPORTED);
        }
        return Parsed.ok(new ArpRepr(op, view.senderHardware(), view.senderProtocol(), view.targetHardware(),
                view.targetProtocol()));
    }

    public void emit(ByteBuf buf, int offset) {
        var view = new ArpPacket(buf, offset);
        view.setHardwareType(1);
        view.setProtocolType(EthernetFrame.TYPE_IPV4);
        view.setHardwareLength(6);
        view.setProtocolLength(4);
        view.setOperation(operation);
        view.setSenderHardware(senderMac);
        view.setSenderProtocol(senderIp);
        view.setTargetHardware(targetMac);
        view.setTargetProtocol(targetIp);
    }
}
