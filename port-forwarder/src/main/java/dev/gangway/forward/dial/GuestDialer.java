package dev.gangway.forward.dial;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;

/**
 * How the forwarder reaches the guest: the one seam between the forwarder and whatever carries bytes into
 * the VM (the userspace stack's {@code dial}, or {@link HostNetworkDialer} for an ordinary host address).
 *
 * <p>The contract a dialer keeps, so that the forwarder needs to know nothing else:
 * <ul>
 *   <li>{@link #eventLoops()} is where the forwarder registers its host-side channels. A dialer for one guest
 *       link returns that link's single event loop, so a forwarded flow never hops threads.</li>
 *   <li>A dialed channel is handed over <em>active</em>, with {@code AUTO_READ} off and an empty pipeline:
 *       the forwarder installs its handlers, then calls {@code read()}. Nothing is lost in between.</li>
 *   <li>A stream channel carries {@link io.netty.buffer.ByteBuf}s, is a
 *       {@link io.netty.channel.socket.DuplexChannel} (half-close with {@code shutdownOutput()}), fires
 *       {@link io.netty.channel.socket.ChannelInputShutdownEvent} when the guest half-closes, honours
 *       {@code read()} and writability for backpressure, and closes when the guest resets.</li>
 *   <li>A datagram channel is connected to the guest: it accepts {@link io.netty.buffer.ByteBuf} writes (one
 *       datagram each) and delivers {@link io.netty.channel.socket.DatagramPacket}s from the guest.</li>
 *   <li>While the guest is unreachable the returned future fails promptly (no queueing of connection attempts),
 *       so the forwarder can reset the host client at once.</li>
 * </ul>
 */
public interface GuestDialer {
    /** The event loops the guest's flows run on; the forwarder's host-side channels are registered here. */
    EventLoopGroup eventLoops();

    /**
     * Opens a stream (TCP) connection to {@code guest}.
     *
     * @param source the address the guest should see as the connection's source (already mapped by
     *               {@link SourceAddressPolicy}); a dialer that cannot present it ignores it
     * @param loop   the event loop of the host-side channel; a dialer that can register there does so
     */
    Future<Channel> dialStream(InetSocketAddress guest, InetSocketAddress source, EventLoop loop);

    /** Opens a datagram (UDP) flow to {@code guest}; same parameters as {@link #dialStream}. */
    Future<Channel> dialDatagram(InetSocketAddress guest, InetSocketAddress source, EventLoop loop);
}
