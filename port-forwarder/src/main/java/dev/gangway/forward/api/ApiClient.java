package dev.gangway.forward.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A small blocking client of the control API for the CLI: one request per connection, over the unix socket.
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int MAX_RESPONSE = 16 * 1024 * 1024;

    private final Path socket;

    public ApiClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    public ForwardView expose(ForwardRequest request) throws IOException, ApiException {
        return JSON.readValue(call("POST", "/forwards", JSON.writeValueAsBytes(request)), ForwardView.class);
    }

    public List<ForwardView> list() throws IOException, ApiException {
        return JSON.readValue(call("GET", "/forwards", null), ForwardList.class).forwards();
    }

    public ForwardView unexpose(String protocol, String host) throws IOException, ApiException {
        var query = "protocol=" + URLEncoder.encode(protocol, StandardCharsets.UTF_8)
                + "&host=" + URLEncoder.encode(host, StandardCharsets.UTF_8);
        return JSON.readValue(call("DELETE", "/forwards?" + query, null), ForwardView.class);
    }

    /** Sends one request and returns the body of a 2xx response; other statuses become {@link ApiException}. */
    byte[] call(String method, String target, byte[] body) throws IOException, ApiException {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            var head = new StringBuilder()
                    .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: gangway\r\nConnection: close\r\nAccept: application/json\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            ch.write(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.US_ASCII)));
            if (body != null) {
                var buffer = ByteBuffer.wrap(body);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
            }
            var raw = readAll(ch);
            return parse(raw);
        }
    }

    private static byte[] readAll(SocketChannel ch) throws IOException {
        var out = new ByteArrayOutputStream();
        var in = Channels.newInputStream(ch);
        var chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
            out.write(chunk, 0, n);
            if (out.size() > MAX_RESPONSE) {
                throw new IOException("response larger than " + MAX_RESPONSE + " bytes");
            }
        }
        return out.toByteArray();
    }

    private static byte[] parse(byte[] raw) throws IOException, ApiException {
        int end = -1;
        for (int i = 0; i + 3 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new IOException("truncated HTTP response from the gangway daemon");
        }
        var head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        var statusLine = head.lines().findFirst().orElse("");
        var parts = statusLine.split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new IOException("bad HTTP status line '" + statusLine + "'");
        }
        int length = raw.length - end - 4;
        for (var line : head.lines().skip(1).toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Math.min(length, Integer.parseInt(line.substring(colon + 1).trim()));
            }
        }
        var body = java.util.Arrays.copyOfRange(raw, end + 4, end + 4 + length);
        if (status / 100 != 2) {
            String message;
            try {
                message = JSON.readValue(body, ApiError.class).error();
            } catch (IOException e) {
                message = statusLine;
            }
            throw new ApiException(status, message);
        }
        return body;
    }
}
