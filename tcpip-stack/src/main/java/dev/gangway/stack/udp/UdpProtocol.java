package dev.gangway.stack.udp;

import dev.gangway.stack.dhcp.DhcpServer;
import dev.gangway.stack.iface.GuestLink;
import dev.gangway.stack.iface.LinkTransport;
import dev.gangway.stack.iface.TransportProtocol;
import dev.gangway.stack.wire.Ipv4Packet;
import io.netty.channel.ChannelFactory;
import io.netty.channel.socket.DatagramChannel;

/**
 * UDP for every link: DHCP on port 67, services bound on the gateway, dials into the guest, and NAT of
 * everything else to host datagram channels (see {@link UdpLink}).
 */
public final class UdpProtocol implements TransportProtocol {
    private final DhcpServer dhcp;
    private final ChannelFactory<? extends DatagramChannel> hostChannels;
    private final UdpServices services;

    /**
     * @param hostChannels makes the host datagram channels of NAT flows (epoll, or NIO where epoll is
     *                     missing); they are registered on the link's loop, which must fit them
     */
    public UdpProtocol(DhcpServer dhcp, ChannelFactory<? extends DatagramChannel> hostChannels, UdpServices services) {
        this.dhcp = dhcp;
        this.hostChannels = hostChannels;
        this.services = services;
    }

    @Override
    public int protocolNumber() {
        return Ipv4Packet.PROTO_UDP;
    }

    @Override
    public LinkTransport attach(GuestLink link) {
        var udp = new UdpLink(link, dhcp, hostChannels);
        services.attached(udp);
        return udp;
    }
}
