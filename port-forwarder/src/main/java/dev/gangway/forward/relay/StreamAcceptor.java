package dev.gangway.forward.relay;

import dev.gangway.forward.dial.GuestDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every accepted host client: it dials the guest, then hands both channels to
 * {@link StreamRelay}. The client's data waits in its socket meanwhile (reading is paused); what epoll
 * still delivers (it reads once when the client's FIN arrives) is held and replayed. A client beyond the
 * forward's limit, or one whose guest cannot be reached, is reset at once.
 */
final class StreamAcceptor extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamAcceptor.class);

    private final GuestDialer dialer;
    private final InetSocketAddress guest;
    private final SourceAddressPolicy sources;
    private final RelayCounters counters;
    private final RelayLimits limits;

    StreamAcceptor(GuestDialer dialer, InetSocketAddress guest, SourceAddressPolicy sources,
                   RelayCounters counters, RelayLimits limits) {
        this.dialer = dialer;
        this.guest = guest;
        this.sources = sources;
        this.counters = counters;
        this.limits = limits;
    }

    private final List<Object> early = new ArrayList<>();
    private boolean inputEnded;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded = true;
        } else if (!(evt instanceof ChannelInputShutdownReadComplete)) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel host = ctx.channel();
        counters.accepted.increment();
        if (counters.active.sum() >= limits.maxConnections()) {
            counters.refused.increment();
            LOG.debug("{}: limit of {} connections reached; resetting", host, limits.maxConnections());
            StreamRelay.reset(host);
            return;
        }
        counters.active.increment();
        host.closeFuture().addListener(closed -> counters.active.decrement());
        var source = sources.sourceFor(host.remoteAddress(), guest);
        dialer.dialStream(guest, source, host.eventLoop()).addListener((Future<Channel> dialed) -> {
            if (host.eventLoop().inEventLoop()) {
                dialed(ctx, dialed);
            } else {
                host.eventLoop().execute(() -> dialed(ctx, dialed));
            }
        });
    }

    private void dialed(ChannelHandlerContext ctx, Future<Channel> dialed) {
        Channel host = ctx.channel();
        if (!dialed.isSuccess()) {
            counters.dialFailures.increment();
            LOG.debug("{}: guest {} unreachable: {}", host, guest, dialed.cause().toString());
            StreamRelay.reset(host);
            return;
        }
        if (ctx.isRemoved()) {
            // The client's channel was torn down while dialing.
            dialed.getNow().close();
            return;
        }
        var held = new ArrayList<>(early);
        early.clear();
        ctx.pipeline().remove(this);
        StreamRelay.splice(host, dialed.getNow(), counters, held, inputEnded);
    }
}
