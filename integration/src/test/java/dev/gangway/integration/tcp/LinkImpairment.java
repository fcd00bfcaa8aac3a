package dev.gangway.integration.tcp;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code netem loss L% reorder R% delay D} applied to both directions of a link channel, for kernels
 * without {@code sch_netem}: each frame is dropped with probability L; of the others, R go at once and the
 * rest after D (so the immediate ones overtake them, as netem reorders). Sits between the frame codec and
 * the stack's port handler, so it sees whole Ethernet frames.
 */
final class LinkImpairment extends ChannelDuplexHandler {
    private final double loss;
    private final double reorder;
    private final long delayNanos;
    private final SplittableRandom random = new SplittableRandom(7);
    final LongAdder dropped = new LongAdder();

    LinkImpairment(double loss, double reorder, long delayNanos) {
        this.loss = loss;
        this.reorder = reorder;
        this.delayNanos = delayNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (random.nextDouble() < loss) {
            dropped.increment();
            ReferenceCountUtil.release(msg);
        } else if (random.nextDouble() < reorder) {
            ctx.fireChannelRead(msg);
        } else {
            ctx.executor().schedule(() -> {
                ctx.fireChannelRead(msg);
                ctx.fireChannelReadComplete();
            }, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (random.nextDouble() < loss) {
            dropped.increment();
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        } else if (random.nextDouble() < reorder) {
            ctx.write(msg, promise);
        } else {
            ctx.executor().schedule(() -> {
                ctx.writeAndFlush(msg, promise);
            }, delayNanos, TimeUnit.NANOSECONDS);
        }
    }
}
