package dev.gangway.fsevents.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.util.List;

/**
 * The host end of the event stream: a {@link ChannelInitializer} for any stream channel, a host socket
 * or a connection the agent opened to the gateway through the userspace stack.
 */
public final class EventStreamServer extends ChannelInitializer<Channel> {
    /** Unacknowledged events per session. */
    public static final int DEFAULT_WINDOW = 4096;

    private final ChangeJournal journal;
    private final List<String> shares;
    private final int window;
    private final StreamStats stats = new StreamStats();

    public EventStreamServer(ChangeJournal journal, List<String> shares, int window) {
        this.journal = journal;
        this.shares = List.copyOf(shares);
        this.window = window;
    }

    public StreamStats stats() {
        return stats;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline().addLast(
                new LengthFieldBasedFrameDecoder(StreamCodec.MAX_FRAME, 0, 4, 0, 4),
                new FrameCodec(),
                new EventStreamSession(journal, shares, window, stats));
    }
}
