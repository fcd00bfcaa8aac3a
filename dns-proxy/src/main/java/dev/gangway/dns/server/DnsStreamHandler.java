package dev.gangway.dns.server;

import dev.gangway.dns.wire.Query;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Serves DNS on one stream connection: each frame is a query; replies may go out in any order (RFC 7766
 * §6.2.1.1). At most {@link #MAX_PENDING} queries are worked on at once per connection: beyond that the
 * handler stops reading until replies have gone out. A message that is not a query closes the connection.
 */
final class DnsStreamHandler extends ChannelInboundHandlerAdapter {
    static final int MAX_PENDING = 32;

    private final DnsServer server;
    private int pending;

    DnsStreamHandler(DnsServer server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            pending++;
            if (pending >= MAX_PENDING) {
                ctx.channel().config().setAutoRead(false);
            }
            server.handle(frame, new Sink(ctx));
        } catch (RuntimeException e) {
            server.counters().internalErrors.increment();
            server.counters().badInput("internal error " + e, ctx.channel().remoteAddress());
            ctx.close();
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
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
        if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
            server.counters().oversized.increment();
            server.counters().badInput("oversized TCP message", ctx.channel().remoteAddress());
        }
        ctx.close();
    }

    private void replied(ChannelHandlerContext ctx) {
        pending--;
        if (pending < MAX_PENDING && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Replies on this connection; completions from other threads hop onto the channel's loop. */
    private final class Sink implements ReplySink {
        private final ChannelHandlerContext ctx;

        Sink(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public ByteBufAllocator alloc() {
            return ctx.alloc();
        }

        @Override
        public EventLoop eventLoop() {
            return ctx.channel().eventLoop();
        }

        @Override
        public int maxReplySize(Query query) {
            return 65535;
        }

        @Override
        public void send(ByteBuf reply, boolean inline) {
            if (ctx.executor().inEventLoop()) {
                write(reply, inline);
            } else {
                ctx.executor().execute(() -> write(reply, false));
            }
        }

        private void write(ByteBuf reply, boolean inline) {
            replied(ctx);
            if (inline) {
                ctx.write(reply, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(reply, ctx.voidPromise());
            }
        }

        @Override
        public void noReply() {
            if (ctx.executor().inEventLoop()) {
                replied(ctx);
                ctx.close();
            } else {
                ctx.executor().execute(() -> {
                    replied(ctx);
                    ctx.close();
                });
            }
        }

        @Override
        public Object peer() {
            return ctx.channel().remoteAddress();
        }
    }
}
