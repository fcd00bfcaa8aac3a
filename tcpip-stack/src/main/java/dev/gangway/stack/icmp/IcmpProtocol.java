package dev.gangway.stack.icmp;

import dev.gangway.stack.iface.GuestLink;
import dev.gangway.stack.iface.LinkTransport;
import dev.gangway.stack.iface.TransportProtocol;
import dev.gangway.stack.wire.Ipv4Packet;
import io.netty.channel.socket.DatagramChannel;
import java.util.function.IntFunction;

/** ICMP for every link: echo answered by the gateway, or relayed through host ICMP echo sockets. */
public final class IcmpProtocol implements TransportProtocol {
    private final IntFunction<DatagramChannel> socketChannels;

    /**
     * @param socketChannels wraps a host ICMP echo socket descriptor in a channel that fits the links'
     *                       loops, or {@code null} when the transport cannot (echo beyond the gateway is
     *                       then dropped and counted)
     */
    public IcmpProtocol(IntFunction<DatagramChannel> socketChannels) {
        this.socketChannels = socketChannels;
    }

    @Override
    public int protocolNumber() {
        return Ipv4Packet.PROTO_ICMP;
    }

    @Override
    public LinkTransport attach(GuestLink link) {
        return new IcmpLink(link, socketChannels);
    }
}
