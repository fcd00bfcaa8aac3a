package dev.gangway.dns.server;

import dev.gangway.dns.upstream.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DnsServer} on host sockets: UDP and TCP on one address. With epoll, {@code udpSockets} UDP
 * sockets share the port (SO_REUSEPORT) so that the kernel spreads queries over several event loops.
 */
public final class StandaloneDns implements AutoCloseable {
    /** The largest UDP query read (EDNS0's recommended payload size); larger ones belong on TCP. */
    static final int RECV_SLOT = 1232;
    static final int RECV_BATCH = 16;

    private final List<Channel> channels;
    private final InetSocketAddress address;

    private StandaloneDns(List<Channel> channels, InetSocketAddress address) {
        this.channels = channels;
        this.address = address;
    }

    /**
     * Binds UDP and TCP on {@code listen} (port 0: one free port for both) and serves {@code server} there.
     * Throws {@link java.io.UncheckedIOException} when the address cannot be bound.
     */
    public static StandaloneDns bind(DnsServer server, Transport transport, InetSocketAddress listen, int udpSockets) {
        var channels = new ArrayList<Channel>();
        try {
            Channel tcp = new ServerBootstrap().group(transport.group()).channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(server.streamInitializer())
                    .bind(listen).syncUninterruptibly().channel();
            channels.add(tcp);
            var bound = (InetSocketAddress) tcp.localAddress();
            int sockets = transport.epoll() ? Math.max(1, udpSockets) : 1;
            for (int i = 0; i < sockets; i++) {
                var udp = new Bootstrap().group(transport.group()).channel(transport.datagramChannel())
                        .option(ChannelOption.SO_RCVBUF, 4 << 20)
                        .option(ChannelOption.SO_SNDBUF, 4 << 20)
                        .handler(server.datagramHandler());
                if (transport.epoll()) {
                    // recvmmsg: a read fills up to RECV_BATCH slots of RECV_SLOT bytes in one system call
                    // (replies written during the batch leave together by sendmmsg at its end). A query
                    // larger than a slot arrives cut short and gets FORMERR: such queries come over TCP.
                    udp.option(EpollChannelOption.SO_REUSEPORT, sockets > 1)
                            .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, RECV_SLOT)
                            .option(ChannelOption.RCVBUF_ALLOCATOR,
                                    new FixedRecvByteBufAllocator(RECV_SLOT * RECV_BATCH))
                            .option(ChannelOption.MAX_MESSAGES_PER_READ, 4 * RECV_BATCH);
                }
                channels.add(udp.bind(bound).syncUninterruptibly().channel());
            }
            server.addSelfAddress(bound);
            if (bound.getAddress().isAnyLocalAddress()) {
                server.addSelfAddress(new InetSocketAddress("127.0.0.1", bound.getPort()));
                server.addSelfAddress(new InetSocketAddress("::1", bound.getPort()));
            }
            return new StandaloneDns(channels, bound);
        } catch (RuntimeException e) {
            channels.forEach(Channel::close);
            if (e instanceof java.io.UncheckedIOException u) {
                throw u;
            }
            throw new java.io.UncheckedIOException(new java.io.IOException(
                    "cannot listen on " + listen + ": " + e.getMessage(), e));
        }
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
    }
}
