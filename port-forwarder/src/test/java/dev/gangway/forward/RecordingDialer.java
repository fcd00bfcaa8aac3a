package dev.gangway.forward;

import dev.gangway.forward.dial.GuestDialer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A dialer that remembers which source address each dial asked the guest to see, then dials on. */
public final class RecordingDialer implements GuestDialer {
    private final GuestDialer next;
    private final ConcurrentLinkedQueue<InetSocketAddress> sources = new ConcurrentLinkedQueue<>();

    public RecordingDialer(GuestDialer next) {
        this.next = next;
    }

    public ConcurrentLinkedQueue<InetSocketAddress> sources() {
        return sources;
    }

    @Override
    public EventLoopGroup eventLoops() {
        return next.eventLoops();
    }

    @Override
    public Future<Channel> dialStream(InetSocketAddress guest, InetSocketAddress source, EventLoop loop) {
        sources.add(source);
        return next.dialStream(guest, source, loop);
    }

    @Override
    public Future<Channel> dialDatagram(InetSocketAddress guest, InetSocketAddress source, EventLoop loop) {
        sources.add(source);
        return next.dialDatagram(guest, source, loop);
    }
}
