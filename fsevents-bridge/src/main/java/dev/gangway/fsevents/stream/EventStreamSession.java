package dev.gangway.fsevents.stream;

import dev.gangway.fsevents.watch.Change;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's session: answers its Hello, then pumps journal events to it within the ack window. All
 * state is touched on the channel's event loop only; the journal listener just schedules a pump.
 */
final class EventStreamSession extends SimpleChannelInboundHandler<StreamMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamSession.class);
    private static final int BATCH = 256;

    private final ChangeJournal journal;
    private final List<String> shares;
    private final int window;
    private final StreamStats stats;
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final Runnable onAppend = this::schedulePump;
    private ChannelHandlerContext ctx;
    private boolean welcomed;
    private long next;
    private long acked;

    EventStreamSession(ChangeJournal journal, List<String> shares, int window, StreamStats stats) {
        this.journal = journal;
        this.shares = List.copyOf(shares);
        this.window = window;
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        stats.sessions.incrementAndGet();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        journal.removeListener(onAppend);
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, StreamMessage message) {
        switch (message) {
            case StreamMessage.Hello hello when !welcomed -> welcome(hello);
            case StreamMessage.Ack(long seq) when welcomed && seq < next -> {
                acked = Math.max(acked, seq);
                pump();
            }
            default -> refuse("unexpected " + message);
        }
    }

    private void welcome(StreamMessage.Hello hello) {
        welcomed = true;
        long start;
        boolean overflow;
        if (hello.epoch() == journal.epoch()) {
            start = hello.lastApplied() + 1;
            overflow = start < journal.oldest();
            if (start > journal.next()) {
                refuse("agent claims seq " + hello.lastApplied() + " beyond the journal's " + (journal.next() - 1));
                return;
            }
        } else {
            start = journal.next();
            overflow = hello.epoch() != 0;
        }
        next = start;
        acked = start - 1;
        ctx.write(new StreamMessage.Welcome(journal.epoch(), start));
        if (overflow) {
            sendOverflow();
        }
        journal.addListener(onAppend);
        ctx.flush();
        pump();
    }

    private void sendOverflow() {
        next = Math.max(next, journal.oldest());
        for (var share : shares) {
            ctx.write(new StreamMessage.Event(next - 1, share, Change.of(Change.Kind.OVERFLOW, "", true)));
        }
        stats.overflows.incrementAndGet();
    }

    private void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            ctx.channel().eventLoop().execute(() -> {
                pumpScheduled.set(false);
                pump();
            });
        }
    }

    private void pump() {
        if (!welcomed || !ctx.channel().isActive()) {
            return;
        }
        boolean wrote = false;
        while (ctx.channel().isWritable() && next - acked <= window) {
            if (next < journal.oldest()) {
                sendOverflow();
                wrote = true;
            }
            var events = journal.read(next, (int) Math.min(BATCH, window - (next - acked) + 1));
            if (events.isEmpty()) {
                break;
            }
            for (var event : events) {
                ctx.write(event);
            }
            next = events.getLast().seq() + 1;
            stats.events.addAndGet(events.size());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /** The session's position and its channel's state, read on the channel's loop. */
    String describe() {
        if (ctx == null) {
            return "(not yet in a pipeline)";
        }
        var channel = ctx.channel();
        try {
            return channel.eventLoop().submit(() -> channel.remoteAddress() + (welcomed ? " welcomed" : " waiting for Hello")
                    + " next=" + next + " acked=" + acked + " journal-next=" + journal.next()
                    + (channel.isWritable() ? " writable" : " unwritable") + (pumpScheduled.get() ? " pump-scheduled" : ""))
                    .get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            return channel.remoteAddress() + " (state unreadable: " + e + ")";
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        pump();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        refuse(cause.getMessage());
    }

    private void refuse(String why) {
        stats.refused.incrementAndGet();
        LOG.warn("event stream from {}: {}; closing the session", ctx.channel().remoteAddress(), why);
        ctx.close();
    }
}
