package dev.gangway.stack.tcp;

import dev.gangway.stack.iface.GuestLink;
import dev.gangway.stack.iface.LinkTransport;
import dev.gangway.stack.iface.TransportProtocol;
import dev.gangway.stack.wire.Ipv4Packet;
import io.netty.channel.ChannelFactory;
import io.netty.channel.socket.SocketChannel;

/**
 * TCP for every link: services bound on the gateway, dials into the guest, and NAT of every other guest
 * connection to a host socket (see {@link TcpLink}).
 */
public final class TcpProtocol implements TransportProtocol {
    private final TcpConfig config;
    private final ChannelFactory<? extends SocketChannel> hostChannels;
    private final TcpServices services;

    /**
     * @param hostChannels makes the host socket channels of NAT connections (epoll, or NIO where epoll is
     *                     missing); they are registered on the link's loop, which must fit them
     */
    public TcpProtocol(TcpConfig config, ChannelFactory<? extends SocketChannel> hostChannels, TcpServices services) {
        this.config = config;
        this.hostChannels = hostChannels;
        this.services = services;
    }

    public TcpConfig config() {
        return config;
    }

    @Override
    public int protocolNumber() {
        return Ipv4Packet.PROTO_TCP;
    }

    @Override
    public LinkTransport attach(GuestLink link) {
        var tcp = new TcpLink(link, config, hostChannels);
        if (services != null) {
            services.attached(tcp);
        }
        return tcp;
    }
}
