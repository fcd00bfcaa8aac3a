package dev.gangway.launcher.wiring;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Holds what a freshly dialed channel receives until its new owner is ready for it, then steps aside.
 *
 * <p>A channel from {@code NetworkServices.dial} is registered (and may be read) on the guest link's loop as
 * soon as the guest accepts, while the forwarder may install its handlers later, on its host channel's loop.
 * Bytes, the guest's FIN or datagrams arriving in between would otherwise reach the end of an empty pipeline
 * and be dropped. The gate keeps them in order and delivers them when the owner first asks to read (the
 * forwarder's contract: install handlers, then {@code read()}), then removes itself. What it holds is bounded
 * by the stack itself: with {@code AUTO_READ} off a channel delivers at most one batch before the next read.
 */
final class HandoverGate extends ChannelDuplexHandler {
    private static final Object READ_COMPLETE = new Object();

    private record Event(Object event) {
    }

    private final ArrayDeque<Object> held = new ArrayDeque<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        held.add(READ_COMPLETE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        held.add(new Event(evt));
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        var waiting = new ArrayDeque<>(held);
        held.clear();
        ctx.pipeline().remove(this);
        Object next;
        while ((next = waiting.poll()) != null) {
            if (next == READ_COMPLETE) {
                ctx.fireChannelReadComplete();
            } else if (next instanceof Event event) {
                ctx.fireUserEventTriggered(event.event());
            } else {
                ctx.fireChannelRead(next);
            }
        }
        ctx.read();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Removed without a read (the channel closed first): nobody will take what waits.
        Object next;
        while ((next = held.poll()) != null) {
            if (next instanceof Event event) {
                ReferenceCountUtil.release(event.event());
            } else if (next != READ_COMPLETE) {
                ReferenceCountUtil.release(next);
            }
        }
    }
}
