package dev.gangway.forward.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gangway.forward.table.Endpoints;
import dev.gangway.forward.table.ForwardException;
import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Forwarder;
import dev.gangway.forward.table.Protocol;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API's routes, one request at a time per connection:
 * <ul>
 *   <li>{@code GET /forwards}: {@code {"forwards":[...]}} with counters</li>
 *   <li>{@code POST /forwards} with {@link ForwardRequest}: 201 and the new forward</li>
 *   <li>{@code DELETE /forwards?protocol=tcp&host=127.0.0.1:8080}: 200 and the forward's final counters</li>
 * </ul>
 * Errors are {@link ApiError} bodies: 400 bad input, 403 a bind the system refused, 404 no such forward or
 * route, 405 a wrong method, 409 a host endpoint in use.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Forwarder forwarder;

    ApiHandler(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, false, HttpResponseStatus.BAD_REQUEST, new ApiError("malformed HTTP request"));
            return;
        }
        var uri = new QueryStringDecoder(request.uri());
        if (!uri.path().equals("/forwards")) {
            respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, new ApiError("no such resource " + uri.path()
                    + "; the API has /forwards"));
            return;
        }
        CompletableFuture<?> result;
        HttpResponseStatus success = HttpResponseStatus.OK;
        var method = request.method();
        try {
            if (method.equals(HttpMethod.GET)) {
                result = CompletableFuture.completedFuture(
                        new ForwardList(forwarder.list().stream().map(ForwardView::of).toList()));
            } else if (method.equals(HttpMethod.POST)) {
                var body = parse(request);
                var spec = ForwardSpec.parse(body.protocol(), body.host(), body.guest());
                result = forwarder.open(spec, "api").thenApply(ForwardView::of);
                success = HttpResponseStatus.CREATED;
            } else if (method.equals(HttpMethod.DELETE)) {
                var protocol = Protocol.parse(single(uri, "protocol"));
                var hostText = single(uri, "host");
                SocketAddress host = protocol == Protocol.UNIX
                        ? UnixDomainSocketAddress.of(hostText) : Endpoints.parse(hostText);
                result = forwarder.close(protocol, host).thenApply(ForwardView::of);
            } else {
                var response = response(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        new ApiError(method + " is not allowed on /forwards; use GET, POST or DELETE"));
                response.headers().set(HttpHeaderNames.ALLOW, "GET, POST, DELETE");
                write(ctx, keepAlive, response);
                return;
            }
        } catch (IllegalArgumentException e) {
            respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, new ApiError(e.getMessage()));
            return;
        }
        var status = success;
        result.whenComplete((value, failure) -> ctx.executor().execute(() -> {
            if (failure == null) {
                respond(ctx, keepAlive, status, value);
                return;
            }
            var cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof ForwardException fe) {
                respond(ctx, keepAlive, HttpResponseStatus.valueOf(fe.reason().httpStatus()), new ApiError(fe.getMessage()));
            } else {
                LOG.warn("API request {} {} failed", method, request.uri(), cause);
                respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, new ApiError(String.valueOf(cause)));
            }
        }));
    }

    private static ForwardRequest parse(FullHttpRequest request) {
        if (request.content().readableBytes() == 0) {
            throw new IllegalArgumentException("missing JSON body {\"protocol\":..., \"host\":..., \"guest\":...}");
        }
        try (var in = new ByteBufInputStream(request.content().duplicate())) {
            var body = JSON.readValue((java.io.InputStream) in, ForwardRequest.class);
            if (body == null) {
                throw new IllegalArgumentException("missing JSON body");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable body: " + e.getMessage());
        }
    }

    private static String single(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        if (values == null || values.size() != 1 || values.getFirst().isBlank()) {
            throw new IllegalArgumentException("give exactly one query parameter '" + name + "'");
        }
        return values.getFirst();
    }

    private static DefaultFullHttpResponse response(HttpResponseStatus status, Object body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        return response;
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body) {
        write(ctx, keepAlive, response(status, body));
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, DefaultFullHttpResponse response) {
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("API connection {}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
