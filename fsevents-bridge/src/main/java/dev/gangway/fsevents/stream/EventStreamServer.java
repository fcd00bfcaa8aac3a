package dev.gangway.fsevents.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Set<EventStreamSession> live = ConcurrentHashMap.newKeySet();

    public EventStreamServer(ChangeJournal journal, List<String> shares, int window) {
        this.journal = journal;
        this.shares = List.copyOf(shares);
        this.window = window;
    }

    public StreamStats stats() {
        return stats;
    }

    /** One line per live session: its position in the journal and its channel's state (for diagnostics). */
    public List<String> describeSessions() {
        var lines = new ArrayList<String>();
        for (var session : live) {
            lines.add(session.describe());
        }
        return lines;
    }

    @Override
    protected void initChannel(Channel channel) {
        var session = new EventStreamSession(journal, shares, window, stats);
        live.add(session);
        channel.closeFuture().addListener(f -> live.remove(session));
        channel.pipeline().addLast(
                new LengthFieldBasedFrameDecoder(StreamCodec.MAX_FRAME, 0, 4, 0, 4),
                new FrameCodec(),
                session);
    }
}
