package dev.gangway.stack.iface;

import dev.gangway.stack.l2.SwitchPort;
import dev.gangway.stack.stats.Counters;
import dev.gangway.stack.stats.Layer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One guest attached to the virtual network through a link channel (a QEMU stream, a vfkit datagram
 * socket, a vmnet connection, a TAP bridge). Everything about this guest — its transports' flows, their
 * host channels, its fragments in reassembly — lives on the link channel's event loop.
 */
public final class GuestLink implements SwitchPort {
    private final String name;
    private final Channel channel;
    private final Gateway gateway;
    private final Counters counters;
    private final LinkTransport[] transports = new LinkTransport[256];
    private final Ipv4Reassembler reassembler;
    private ScheduledFuture<?> ticker;
    private boolean closed;

    GuestLink(String name, Channel channel, Gateway gateway, Counters counters, Ipv4Reassembler reassembler) {
        this.name = name;
        this.channel = channel;
        this.gateway = gateway;
        this.counters = counters;
        this.reassembler = reassembler;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EventLoop loop() {
        return channel.eventLoop();
    }

    public Channel channel() {
        return channel;
    }

    public Gateway gateway() {
        return gateway;
    }

    Ipv4Reassembler reassembler() {
        return reassembler;
    }

    void setTransport(int protocol, LinkTransport transport) {
        transports[protocol] = transport;
    }

    LinkTransport transport(int protocol) {
        return transports[protocol];
    }

    /** This link's state of the transport registered for {@code protocol}. */
    public <T extends LinkTransport> T transport(int protocol, Class<T> type) {
        return type.cast(transports[protocol]);
    }

    void startTicker() {
        ticker = loop().scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            reassembler.expire(now);
            for (var transport : transports) {
                if (transport != null) {
                    transport.tick(now);
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void transmit(ByteBuf frame) {
        if (closed || !channel.isActive()) {
            counters.drop(Layer.LINK, "link-down");
            frame.release();
            return;
        }
        if (!channel.isWritable()) {
            counters.drop(Layer.LINK, "link-congested");
            frame.release();
            return;
        }
        counters.out(Layer.LINK, frame.readableBytes());
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    /** Closes every transport's flows and releases held fragments; on the link's loop. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        for (int i = 0; i < transports.length; i++) {
            if (transports[i] != null) {
                transports[i].close();
                transports[i] = null;
            }
        }
        reassembler.clear();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return name;
    }
}
