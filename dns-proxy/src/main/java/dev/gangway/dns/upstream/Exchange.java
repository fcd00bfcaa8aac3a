package dev.gangway.dns.upstream;

import dev.gangway.dns.wire.DnsHeader;
import dev.gangway.dns.wire.Query;
import dev.gangway.dns.wire.ReplyScan;
import dev.gangway.dns.wire.ReplyWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One question's way through the upstream servers: UDP to each in turn, TCP when a reply is truncated.
 * Every method runs on {@link #loop}; callbacks of a superseded attempt are recognised by {@link #attempt}
 * and ignored.
 */
final class Exchange {
    private static final int MAX_TCP_FRAME = 65535 + 2;

    private final Forwarder forwarder;
    private final Transport transport;
    private final EventLoop loop;
    private final Query query;
    private final List<InetSocketAddress> servers;
    private final Forwarder.Listener listener;
    private final ByteBuf question;

    private int tried;
    private int attempt;
    private int id;
    private boolean done;
    private InetSocketAddress server;
    private Channel channel;
    private UdpSocketPool.Ticket udpTicket;
    private ScheduledFuture<?> serverTimer;
    private ScheduledFuture<?> totalTimer;
    private ByteBuf lastError;
    private ReplyScan lastErrorScan;

    Exchange(Forwarder forwarder, Transport transport, EventLoop loop, Query query, List<InetSocketAddress> servers,
            Forwarder.Listener listener) {
        this.forwarder = forwarder;
        this.transport = transport;
        this.loop = loop;
        this.query = query;
        this.servers = servers;
        this.listener = listener;
        this.question = Unpooled.wrappedBuffer(query.question());
    }

    void begin() {
        if (servers.isEmpty()) {
            finish(null, null, "no upstream servers");
            return;
        }
        totalTimer = loop.schedule(() -> {
            forwarder.counters.upstreamTimeouts.increment();
            finish(null, null, "timed out");
        }, forwarder.totalTimeoutNanos, TimeUnit.NANOSECONDS);
        next();
    }

    private void next() {
        closeAttempt();
        if (done) {
            return;
        }
        if (tried >= servers.size()) {
            finish(null, null, "every upstream server failed");
            return;
        }
        server = servers.get(tried++);
        sendUdp();
    }

    private void sendUdp() {
        int current = ++attempt;
        forwarder.counters.upstreamQueries.increment();
        udpTicket = forwarder.udpSockets(loop, server).register(forwarder::randomId, new UdpSocketPool.Waiter() {
            @Override
            public void datagram(ByteBuf content) {
                if (current == attempt) {
                    onReply(content, false);
                }
            }

            @Override
            public void failed() {
                if (current == attempt) {
                    forwarder.counters.upstreamErrors.increment();
                    next();
                }
            }
        });
        id = udpTicket.id();
        listener.attempt(id);
        udpTicket.send(buildQuery(ByteBufAllocator.DEFAULT));
        serverTimer = loop.schedule(() -> {
            if (current == attempt) {
                forwarder.counters.upstreamTimeouts.increment();
                next();
            }
        }, forwarder.serverTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void sendTcp() {
        closeAttempt();
        int current = ++attempt;
        forwarder.counters.tcpRetries.increment();
        forwarder.counters.upstreamQueries.increment();
        id = forwarder.randomId();
        listener.attempt(id);
        var bootstrap = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(forwarder.serverTimeoutNanos)))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_TCP_FRAME, 0, 2, 0, 2),
                                new LengthFieldPrepender(2),
                                new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        ctx.writeAndFlush(buildQuery(ctx.alloc()));
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                        if (current == attempt) {
                                            onReply(frame, true);
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        if (current == attempt) {
                                            forwarder.counters.upstreamErrors.increment();
                                            next();
                                        }
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close();
                                    }
                                });
                    }
                });
        var connect = bootstrap.connect(server);
        channel = connect.channel();
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && current == attempt) {
                forwarder.counters.upstreamErrors.increment();
                next();
            }
        });
        serverTimer = loop.schedule(() -> {
            if (current == attempt) {
                forwarder.counters.upstreamTimeouts.increment();
                next();
            }
        }, forwarder.serverTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** A datagram or TCP frame from the server; the buffer belongs to the caller. */
    private void onReply(ByteBuf reply, boolean overTcp) {
        if (done) {
            return;
        }
        ReplyScan scan = reply.readableBytes() >= DnsHeader.LENGTH && DnsHeader.id(reply) == id
                ? ReplyScan.scan(reply, question) : null;
        if (scan == null) {
            forwarder.counters.upstreamMismatched.increment();
            return;
        }
        if (scan.truncated()) {
            if (overTcp) {
                forwarder.counters.upstreamErrors.increment();
                next();
            } else {
                sendTcp();
            }
            return;
        }
        int rcode = scan.rcode();
        if (rcode == DnsHeader.RCODE_SERVFAIL || rcode == DnsHeader.RCODE_REFUSED || rcode == DnsHeader.RCODE_NOTIMP) {
            forwarder.counters.upstreamErrors.increment();
            if (lastError != null) {
                lastError.release();
            }
            lastError = reply.retainedDuplicate();
            lastErrorScan = scan;
            next();
            return;
        }
        forwarder.answered(server);
        finish(reply.retainedDuplicate(), scan, null);
    }

    private void finish(ByteBuf reply, ReplyScan scan, String reason) {
        if (done) {
            if (reply != null) {
                reply.release();
            }
            return;
        }
        done = true;
        closeAttempt();
        if (totalTimer != null) {
            totalTimer.cancel(false);
        }
        if (reply == null && lastError != null) {
            reply = lastError;
            scan = lastErrorScan;
        } else if (lastError != null) {
            lastError.release();
        }
        lastError = null;
        if (reply != null) {
            listener.reply(reply, scan);
        } else {
            listener.failed(reason);
        }
    }

    private void closeAttempt() {
        attempt++;
        if (serverTimer != null) {
            serverTimer.cancel(false);
            serverTimer = null;
        }
        if (udpTicket != null) {
            udpTicket.cancel();
            udpTicket = null;
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private ByteBuf buildQuery(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(DnsHeader.LENGTH + query.question().length + 11);
        int flags = query.flags() & (DnsHeader.FLAG_RD | DnsHeader.FLAG_CD);
        DnsHeader.write(out, id, flags, 1, 0, 0, query.edns() ? 1 : 0);
        out.writeBytes(query.question());
        if (query.edns()) {
            ReplyWriter.writeOpt(out, query.dnssecOk());
        }
        return out;
    }
}
