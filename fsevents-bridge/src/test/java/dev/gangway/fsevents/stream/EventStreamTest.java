package dev.gangway.fsevents.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gangway.fsevents.agent.AgentState;
import dev.gangway.fsevents.agent.EventStreamClient;
import dev.gangway.fsevents.watch.Change;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host session (Netty) and the agent client (blocking) over a loopback TCP connection. */
class EventStreamTest {
    @TempDir
    Path dir;

    private EventLoopGroup group;
    private ChangeJournal journal;
    private EventStreamServer server;
    private Channel listener;

    private void startServer(int capacity) throws InterruptedException {
        journal = new ChangeJournal(capacity, 0x5eed);
        server = new EventStreamServer(journal, List.of("src", "data"), 64);
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(server)
                .bind("127.0.0.1", 0).sync().channel();
    }

    @BeforeEach
    void group() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (listener != null) {
            listener.close().sync();
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    private static List<Change> created(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> Change.of(Change.Kind.CREATED, "f" + i, false)).toList();
    }

    /** Runs an agent session in a virtual thread, collecting events; closing the returned client ends it. */
    private EventStreamClient agent(AgentState state, List<StreamMessage.Event> into) throws IOException {
        var client = EventStreamClient.connect((InetSocketAddress) listener.localAddress(), 2000);
        Thread.ofVirtual().start(() -> {
            try {
                client.run(state, into::add);
            } catch (IOException ignored) {
                // the test closed the connection
            }
        });
        return client;
    }

    @Test
    void deliversInOrderAndResumesAfterAnAgentRestart() throws Exception {
        startServer(10_000);
        var stateFile = dir.resolve("state");
        var first = new CopyOnWriteArrayList<StreamMessage.Event>();
        var state = AgentState.load(stateFile);
        try (var client = agent(state, first)) {
            await().until(() -> journal.epoch() == AgentState.load(stateFile).epoch());
            journal.append("src", created(0, 500));
            await().atMost(Duration.ofSeconds(10)).until(() -> AgentState.load(stateFile).lastApplied() == 500);
        }
        assertThat(first).extracting(StreamMessage.Event::seq).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 500).mapToObj(Long::valueOf).toList());

        journal.append("data", created(500, 800));  // while no agent is connected
        var second = new CopyOnWriteArrayList<StreamMessage.Event>();
        try (var client = agent(AgentState.load(stateFile), second)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> AgentState.load(stateFile).lastApplied() == 800);
        }
        assertThat(second).extracting(e -> e.change().path()).containsExactlyElementsOf(
                created(500, 800).stream().map(Change::path).toList());
        assertThat(second).allSatisfy(e -> assertThat(e.share()).isEqualTo("data"));
        assertThat(server.stats().overflows()).isZero();
    }

    @Test
    void anAgentBehindTheJournalIsToldWhatWasLost() throws Exception {
        startServer(16);
        var stateFile = dir.resolve("state");
        var events = new CopyOnWriteArrayList<StreamMessage.Event>();
        try (var client = agent(AgentState.load(stateFile), events)) {
            await().until(() -> AgentState.load(stateFile).epoch() == journal.epoch());
            journal.append("src", created(0, 2));
            await().until(() -> AgentState.load(stateFile).lastApplied() == 2);
        }
        journal.append("src", created(2, 40));
        events.clear();
        try (var client = agent(AgentState.load(stateFile), events)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> AgentState.load(stateFile).lastApplied() == 40);
        }
        var kinds = new ArrayList<>(events.stream().map(e -> e.share() + ":" + e.change().kind()).toList());
        assertThat(kinds.subList(0, 2)).containsExactly("src:OVERFLOW", "data:OVERFLOW");
        assertThat(events.subList(2, events.size())).extracting(StreamMessage.Event::seq)
                .containsExactlyElementsOf(IntStream.rangeClosed(25, 40).mapToObj(Long::valueOf).toList());
        assertThat(server.stats().overflows()).isEqualTo(1);
    }

    @Test
    void aSlowAgentHoldsTheWindowNotMemory() throws Exception {
        startServer(100_000);
        var gate = new java.util.concurrent.Semaphore(0);
        var events = new CopyOnWriteArrayList<StreamMessage.Event>();
        var stateFile = dir.resolve("state");
        var client = EventStreamClient.connect((InetSocketAddress) listener.localAddress(), 2000);
        Thread.ofVirtual().start(() -> {
            try {
                client.run(AgentState.load(stateFile), e -> {
                    gate.acquireUninterruptibly();
                    events.add(e);
                });
            } catch (IOException ignored) {
                // closed by the test
            }
        });
        await().until(() -> AgentState.load(stateFile).epoch() == journal.epoch());
        journal.append("src", created(0, 1000));
        await().until(() -> server.stats().events() >= 64);
        Thread.sleep(200);
        assertThat(server.stats().events()).as("no more than the window before any ack").isEqualTo(64);
        gate.release(1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1000);
        client.close();
    }

    @Test
    void garbageClosesTheSessionAndIsCounted() throws Exception {
        startServer(16);
        var address = (InetSocketAddress) listener.localAddress();
        try (var socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0, 0, 0, 3, 9, 9, 9});
            out.flush();
            assertThat(socket.getInputStream().read()).as("closed by the host").isEqualTo(-1);
        }
        await().until(() -> server.stats().refused() == 1);
        try (var socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(new byte[] {0x7f, 0, 0, 0});
            assertThat(socket.getInputStream().read()).as("an oversized frame closes too").isEqualTo(-1);
        }
    }
}
