package dev.gangway.stack.iface;

import dev.gangway.stack.wire.Ipv4Repr;
import dev.gangway.stack.wire.MacAddress;
import io.netty.buffer.ByteBuf;

/**
 * One IPv4 datagram from a guest, validated, as handed to a transport: its header, the buffer holding
 * its payload at {@code payloadOffset}, and where its original header sits ({@code headerOffset}, or -1
 * when the datagram was reassembled from fragments). The buffer belongs to the gateway, which releases
 * it after the transport returns: retain a slice to keep any of it.
 */
public record Ipv4Datagram(Ipv4Repr ip, ByteBuf buf, int headerOffset, int payloadOffset, MacAddress srcMac) {
    public int payloadLength() {
        return ip.payloadLength();
    }
}
