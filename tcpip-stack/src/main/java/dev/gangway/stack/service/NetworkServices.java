package dev.gangway.stack.service;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The seam between the stack and the services that live inside the virtual network (DNS, 9P, the
 * agent channel) or reach into the guest (the port forwarder). A service sees the Netty types it would
 * see from a host socket, so the same handlers run on a host port in tests and standalone.
 *
 * <p>Threading: every channel handed out is registered on the event loop of the guest link it talks
 * to; handlers run there and must not block.
 */
public interface NetworkServices {
    /**
     * Binds a service on one of the gateway's own addresses.
     *
     * <p>UDP: for each guest link one channel is created (now for links already attached, later for
     * links that attach) and {@code initializer} runs on it. Its pipeline receives
     * {@link io.netty.channel.socket.DatagramPacket}s whose sender is the guest's address and port and
     * whose recipient is {@code gatewayAddress:port}; the handler replies by writing
     * {@code DatagramPacket}s addressed to the guest. Payloads of up to 65507 bytes travel both ways
     * (fragmented to the link MTU by the stack). Inbound datagrams wait in a bounded queue while the
     * channel is not reading; past the bound they are dropped and counted.
     *
     * <p>TCP: each accepted guest connection becomes a {@link VirtualStreamChannel} of {@code ByteBuf}s,
     * initialized by {@code initializer} and registered on the guest link's loop once the handshake
     * completed. Half-close works as on a host socket channel: with
     * {@link io.netty.channel.ChannelOption#ALLOW_HALF_CLOSURE} the guest's FIN arrives as
     * {@link io.netty.channel.socket.ChannelInputShutdownEvent}, and
     * {@link io.netty.channel.socket.DuplexChannel#shutdownOutput()} sends FIN after the written bytes.
     *
     * @throws IllegalArgumentException if {@code gatewayAddress} is not an address the gateway owns
     * @throws IllegalStateException if the port is already bound for that protocol
     */
    ServiceBinding listen(InetAddress gatewayAddress, int port, Protocol protocol,
            ChannelInitializer<Channel> initializer);

    /**
     * Opens a channel to {@code guestAddress:port}, appearing to the guest as coming from the gateway.
     * Same as {@link #dial(InetAddress, int, Protocol, InetSocketAddress)} with no source.
     */
    default Future<Channel> dial(InetAddress guestAddress, int port, Protocol protocol) {
        return dial(guestAddress, port, protocol, null);
    }

    /**
     * Opens a channel into the guest. The future completes on the guest link's event loop.
     *
     * <p>UDP: a connected datagram channel; writing a {@code ByteBuf} or a {@code DatagramPacket} sends
     * a datagram to {@code guestAddress:port}; replies arrive as {@code DatagramPacket}s. TCP: a
     * {@link VirtualStreamChannel} once the guest accepted the connection (SYN-ACK); the future fails with
     * a {@link java.net.ConnectException} when the guest answers RST ("connection refused") or not at all
     * (after five SYN retransmissions, about 31 s).
     *
     * @param source the address the guest should see as the peer, or {@code null} for the gateway's
     *               address and an ephemeral port. Its address must not lie inside the guest subnet
     *               except for the gateway's own addresses.
     */
    default Future<Channel> dial(InetAddress guestAddress, int port, Protocol protocol, InetSocketAddress source) {
        return dial(guestAddress, port, protocol, source, null);
    }

    /**
     * Like {@link #dial(InetAddress, int, Protocol, InetSocketAddress)}, with {@code initializer} run on the
     * channel before it is registered (as {@link #listen} does for accepted connections). The returned future
     * may complete, on the link's loop, before a listener added from another thread runs, and the guest may
     * send at once: an owner that must not miss the guest's first bytes or its FIN configures the channel here
     * (for example {@code AUTO_READ} off and {@code ALLOW_HALF_CLOSURE} on) rather than in a listener.
     *
     * @param initializer run on the new channel before registration, or {@code null}
     */
    Future<Channel> dial(InetAddress guestAddress, int port, Protocol protocol, InetSocketAddress source,
            ChannelInitializer<Channel> initializer);
}
