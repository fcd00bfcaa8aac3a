package dev.gangway.forward.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gangway.forward.dial.GuestDialer;
import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.docker.PublishedPorts.Publication;
import dev.gangway.forward.table.Forward;
import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Forwarder;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the guest Docker engine's published ports on the host, as Docker Desktop does.
 *
 * <p>It keeps one streamed {@code GET /events} connection to the engine (dialed into the guest like any
 * forward). When the stream is established, and after every container start, stop or removal it reports,
 * it reads {@code GET /containers/json} and reconciles: forwards of origin {@code docker:NAME} that the
 * containers no longer publish are closed, newly published ones opened. Re-reading the whole list instead of
 * applying events one by one means a missed or reordered event cannot leave a stale port open; list reads are
 * coalesced, one at a time. When the stream ends (the engine restarts, the guest goes away) it reconnects
 * with exponential backoff, and the first list after reconnecting removes what stopped meanwhile. Forwards
 * stay open while the engine is away, so a guest that comes back keeps its ports.
 *
 * <p>All state lives on one event loop of the dialer. Limits: responses are bounded (8 MiB list, 1 MiB
 * event line); a port the host cannot bind (in use, privileged) is logged once and retried at the next list.
 */
public final class DockerPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "docker:";
    private static final int MAX_LIST = 8 * 1024 * 1024;
    private static final int MAX_EVENT_LINE = 1024 * 1024;
    private static final Set<String> RELIST_ACTIONS = Set.of("start", "restart", "die", "stop", "kill", "destroy",
            "pause", "unpause");
    private static final String EVENTS_PATH = "/events?filters="
            + URLEncoder.encode("{\"type\":[\"container\"]}", StandardCharsets.UTF_8);

    private final Forwarder forwarder;
    private final GuestDialer dialer;
    private final DockerOptions options;
    private final SourceAddressPolicy sources;
    private final EventLoop loop;
    private final Set<String> warned = new HashSet<>();

    private boolean running;
    private Channel events;
    private Duration backoff;
    private boolean listing;
    private boolean listAgain;
    private boolean narrowingLogged;
    private long lists;

    public DockerPublisher(Forwarder forwarder, GuestDialer dialer, DockerOptions options) {
        this(forwarder, dialer, options, SourceAddressPolicy.DEFAULT);
    }

    public DockerPublisher(Forwarder forwarder, GuestDialer dialer, DockerOptions options, SourceAddressPolicy sources) {
        this.forwarder = forwarder;
        this.dialer = dialer;
        this.options = options;
        this.sources = sources;
        this.loop = dialer.eventLoops().next();
        this.backoff = options.minBackoff();
    }

    /** Starts following the engine; returns at once. */
    public void start() {
        loop.execute(() -> {
            running = true;
            connect();
        });
    }

    /** How many container lists have been applied (for tests and diagnostics). */
    public long listsApplied() {
        return lists;
    }

    @Override
    public void close() {
        loop.submit(() -> {
            running = false;
            if (events != null) {
                events.close();
            }
        }).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void connect() {
        if (!running) {
            return;
        }
        var source = sources.sourceFor(null, options.engine());
        dialer.dialStream(options.engine(), source, loop).addListener((Future<Channel> dialed) -> loop.execute(() -> {
            if (!dialed.isSuccess()) {
                LOG.debug("Docker engine at {} unreachable: {}", options.engine(), dialed.cause().toString());
                reconnectLater();
                return;
            }
            var ch = dialed.getNow();
            if (!running) {
                ch.close();
                return;
            }
            events = ch;
            ch.pipeline().addLast(new HttpClientCodec(), new EventStream());
            ch.closeFuture().addListener(closed -> loop.execute(() -> {
                if (events == ch) {
                    events = null;
                    LOG.info("Docker engine event stream at {} ended; reconnecting", options.engine());
                    reconnectLater();
                }
            }));
            ch.config().setAutoRead(true);
            ch.writeAndFlush(request(EVENTS_PATH, true));
        }));
    }

    private void reconnectLater() {
        if (!running) {
            return;
        }
        var delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : backoff.multipliedBy(2);
        loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private DefaultFullHttpRequest request(String path, boolean keepAlive) {
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers()
                .set(HttpHeaderNames.HOST, "docker")
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return request;
    }

    /** Reads the container list (coalesced: at most one read in flight, one more queued). */
    private void list() {
        if (!running) {
            return;
        }
        if (listing) {
            listAgain = true;
            return;
        }
        listing = true;
        var source = sources.sourceFor(null, options.engine());
        dialer.dialStream(options.engine(), source, loop).addListener((Future<Channel> dialed) -> loop.execute(() -> {
            if (!dialed.isSuccess()) {
                LOG.debug("Docker engine at {} unreachable for the container list: {}", options.engine(),
                        dialed.cause().toString());
                listDone();
                return;
            }
            var ch = dialed.getNow();
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_LIST), new ListResponse());
            ch.closeFuture().addListener(closed -> loop.execute(() -> {
                if (ch.attr(ListResponse.DONE).get() == null) {
                    listDone();
                }
            }));
            ch.config().setAutoRead(true);
            ch.writeAndFlush(request("/containers/json", false));
        }));
    }

    private void listDone() {
        listing = false;
        if (listAgain) {
            listAgain = false;
            list();
        }
    }

    private void apply(JsonNode containers) {
        Consumer<String> narrowed = what -> {
            if (!narrowingLogged) {
                narrowingLogged = true;
                LOG.info("Docker publishes {} on all interfaces; binding it (and such ports from now on) on "
                        + "loopback only, as configured (allow wildcard binding to publish on all host interfaces)", what);
            }
        };
        var desired = new HashMap<ForwardSpec, Publication>();
        for (var p : PublishedPorts.from(containers, options.publishTo(), options.bindWildcard(), narrowed)) {
            desired.put(p.spec(), p);
        }
        Map<ForwardSpec, Forward> current = new HashMap<>();
        for (var f : forwarder.list()) {
            if (f.origin().startsWith(ORIGIN)) {
                current.put(f.spec(), f);
            }
        }
        for (var entry : current.entrySet()) {
            if (!desired.containsKey(entry.getKey())) {
                forwarder.close(entry.getKey().protocol(), entry.getKey().host());
            }
        }
        for (var p : desired.values()) {
            if (current.containsKey(p.spec())) {
                continue;
            }
            var key = p.spec().toString();
            forwarder.open(p.spec(), ORIGIN + p.container()).whenComplete((ok, failure) -> loop.execute(() -> {
                if (failure == null) {
                    warned.remove(key);
                } else if (warned.add(key)) {
                    var cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    LOG.warn("cannot publish {} of container {}: {}", p.spec(), p.container(), cause.getMessage());
                }
            }));
        }
        lists++;
    }

    /** The streamed {@code /events} response: each container lifecycle event triggers a list. */
    private final class EventStream extends SimpleChannelInboundHandler<HttpObject> {
        private final EventLines lines = new EventLines(MAX_EVENT_LINE);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse response) {
                if (response.status().code() != 200) {
                    LOG.warn("Docker engine at {} refused the event stream: {}", options.engine(), response.status());
                    ctx.close();
                    return;
                }
                backoff = options.minBackoff();
                LOG.info("following the Docker engine at {}", options.engine());
                list();
            }
            if (msg instanceof HttpContent content) {
                if (!lines.feed(content.content(), this::event)) {
                    LOG.warn("Docker engine event longer than {} bytes; reconnecting", MAX_EVENT_LINE);
                    ctx.close();
                } else if (msg instanceof LastHttpContent) {
                    // The engine ended the stream (shutting down): reconnect as for a lost connection.
                    ctx.close();
                }
            }
        }

        private void event(byte[] line) {
            try {
                var event = JSON.readTree(line);
                var type = event.path("Type").asText("");
                var action = event.path("Action").asText(event.path("status").asText(""));
                if (type.equals("container") && RELIST_ACTIONS.contains(action)) {
                    list();
                }
            } catch (IOException e) {
                LOG.debug("ignoring an unreadable Docker event: {}", e.getMessage());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Docker event stream: {}", cause.toString());
            ctx.close();
        }
    }

    /** The {@code /containers/json} response. */
    private final class ListResponse extends SimpleChannelInboundHandler<FullHttpResponse> {
        static final io.netty.util.AttributeKey<Boolean> DONE = io.netty.util.AttributeKey.valueOf("gangway.docker.listed");

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            ctx.channel().attr(DONE).set(Boolean.TRUE);
            try {
                if (response.status().code() != 200) {
                    LOG.warn("Docker engine at {} answered the container list with {}", options.engine(), response.status());
                } else {
                    try (var in = new ByteBufInputStream(response.content().duplicate())) {
                        apply(JSON.readTree((java.io.InputStream) in));
                    } catch (IOException e) {
                        LOG.warn("unreadable container list from the Docker engine: {}", e.getMessage());
                    }
                }
            } finally {
                ctx.close();
                listDone();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Docker container list: {}", cause.toString());
            ctx.close();
        }
    }
}
