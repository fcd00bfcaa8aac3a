package dev.gangway.launcher.up;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code GET /_ping} on a Docker API unix socket: whether the engine answers, and its API version. */
final class DockerPing {
    private static final int MAX_ANSWER = 16 << 10;

    record Answer(boolean ok, String detail) {
    }

    private DockerPing() {
    }

    static Answer ping(Path socket) {
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            var request = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n";
            var buffer = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            var answer = ByteBuffer.allocate(MAX_ANSWER);
            while (answer.hasRemaining() && channel.read(answer) >= 0) {
                // HTTP/1.0: the engine closes after its answer.
            }
            var text = new String(answer.array(), 0, answer.position(), StandardCharsets.ISO_8859_1);
            if (text.isEmpty()) {
                return new Answer(false, "the connection closed without an answer");
            }
            var status = text.lines().findFirst().orElse("");
            var api = text.lines().filter(l -> l.regionMatches(true, 0, "Api-Version:", 0, 12))
                    .map(l -> l.substring(12).strip()).findFirst().orElse("?");
            boolean ok = status.contains(" 200 ") && text.endsWith("OK");
            return new Answer(ok, ok ? "Engine API " + api : status);
        } catch (IOException e) {
            return new Answer(false, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
