package dev.gangway.forward.relay;

import dev.gangway.forward.dial.GuestDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP forward: the handler of the host datagram socket, with its flow table.
 *
 * <p>Each host client address is one flow with its own datagram channel into the guest, so replies find
 * their way back and the guest sees one peer per client. The table lives on the host socket's event loop
 * (no locks) and is bounded: when it is full, datagrams from new clients are dropped and counted. A flow
 * closes after {@link RelayLimits#flowIdleTimeout()} without a datagram either way. While a flow's guest
 * side is being dialed its datagrams wait in a small bounded queue; beyond it they are dropped. A socket
 * that is not writable drops rather than queues: UDP may lose datagrams, memory may not grow.
 */
final class DatagramRelay extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramRelay.class);

    private final GuestDialer dialer;
    private final InetSocketAddress guest;
    private final SourceAddressPolicy sources;
    private final RelayCounters counters;
    private final RelayLimits limits;
    private final Map<InetSocketAddress, Flow> flows = new HashMap<>();
    private Channel host;

    DatagramRelay(GuestDialer dialer, InetSocketAddress guest, SourceAddressPolicy sources,
                  RelayCounters counters, RelayLimits limits) {
        this.dialer = dialer;
        this.guest = guest;
        this.sources = sources;
        this.counters = counters;
        this.limits = limits;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        host = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            counters.dropped.increment();
            return;
        }
        var client = packet.sender();
        Flow flow = flows.get(client);
        if (flow == null) {
            if (flows.size() >= limits.maxFlows()) {
                counters.dropped.increment();
                packet.release();
                return;
            }
            flow = new Flow(client);
            flows.put(client, flow);
            counters.accepted.increment();
            counters.active.increment();
            flow.dial();
        }
        counters.bytesToGuest.add(packet.content().readableBytes());
        flow.send(packet.content().retain());
        packet.release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (var flow : new ArrayList<>(flows.values())) {
            flow.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An ICMP error for one client must not end the forward.
        counters.dropped.increment();
        LOG.debug("{}: {}", ctx.channel(), cause.toString());
    }

    /** Runs {@code task} on the host socket's event loop, where the table lives. */
    private void onHostLoop(Runnable task) {
        if (host.eventLoop().inEventLoop()) {
            task.run();
        } else {
            host.eventLoop().execute(task);
        }
    }

    /** One client's flow; touched only on the host socket's event loop, except its channel's own handler. */
    private final class Flow {
        final InetSocketAddress client;
        final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
        Channel channel;
        boolean closed;

        Flow(InetSocketAddress client) {
            this.client = client;
        }

        void dial() {
            var source = sources.sourceFor(client, guest);
            dialer.dialDatagram(guest, source, host.eventLoop()).addListener(
                    (Future<Channel> dialed) -> onHostLoop(() -> dialed(dialed)));
        }

        private void dialed(Future<Channel> dialed) {
            if (!dialed.isSuccess()) {
                counters.dialFailures.increment();
                LOG.debug("{}: guest {} unreachable for {}: {}", host, guest, client, dialed.cause().toString());
                close();
                return;
            }
            Channel ch = dialed.getNow();
            if (closed) {
                ch.close();
                return;
            }
            channel = ch;
            ch.closeFuture().addListener(f -> onHostLoop(this::close));
            long idle = limits.flowIdleTimeout().toMillis();
            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
            ch.pipeline().addLast("return", new ReturnPath(this));
            ch.config().setAutoRead(true);
            ByteBuf payload;
            while ((payload = pending.poll()) != null) {
                send(payload);
            }
        }

        void send(ByteBuf payload) {
            if (closed) {
                payload.release();
                counters.dropped.increment();
            } else if (channel == null) {
                if (pending.size() < limits.maxPendingDatagrams()) {
                    pending.add(payload);
                } else {
                    payload.release();
                    counters.dropped.increment();
                }
            } else if (channel.isWritable()) {
                channel.writeAndFlush(payload, channel.voidPromise());
            } else {
                payload.release();
                counters.dropped.increment();
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            flows.remove(client, this);
            counters.active.decrement();
            pending.forEach(ByteBuf::release);
            counters.dropped.add(pending.size());
            pending.clear();
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** Guest → host for one flow: each datagram from the guest goes back to the flow's client. */
    private final class ReturnPath extends ChannelInboundHandlerAdapter {
        private final Flow flow;

        ReturnPath(Flow flow) {
            this.flow = flow;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf payload = msg instanceof DatagramPacket packet ? packet.content()
                    : msg instanceof ByteBuf buf ? buf : null;
            if (payload == null) {
                ReferenceCountUtil.release(msg);
                counters.dropped.increment();
                return;
            }
            if (host.isWritable()) {
                counters.bytesFromGuest.add(payload.readableBytes());
                host.writeAndFlush(new DatagramPacket(payload.retain(), flow.client), host.voidPromise());
            } else {
                counters.dropped.increment();
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Typically ICMP port unreachable from the guest: end the flow; the next datagram dials again.
            LOG.debug("{}: flow for {} ended: {}", ctx.channel(), flow.client, cause.toString());
            ctx.close();
        }
    }
}
