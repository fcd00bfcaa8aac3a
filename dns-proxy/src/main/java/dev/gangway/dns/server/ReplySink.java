package dev.gangway.dns.server;

import dev.gangway.dns.wire.Query;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/** Where the replies to one received message go: a datagram back to its sender, or a frame on a TCP stream. */
public interface ReplySink {
    ByteBufAllocator alloc();

    /** The loop the message arrived on; upstream work for it runs there when it can. */
    EventLoop eventLoop();

    /** The largest reply this client can take for {@code query}; larger replies are truncated. */
    int maxReplySize(Query query);

    /**
     * Sends {@code reply} (ownership passes). {@code inline} is true while the received message is still
     * being handled, so the write may wait for the flush at the end of the read batch.
     */
    void send(ByteBuf reply, boolean inline);

    /** The message gets no reply (it was dropped). */
    void noReply();

    /** Who sent the message, for log lines. */
    Object peer();
}
