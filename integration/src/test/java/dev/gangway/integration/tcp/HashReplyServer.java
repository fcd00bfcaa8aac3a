package dev.gangway.integration.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain host TCP server on 127.0.0.1 with a thread per connection. In {@code HASH} mode it reads to
 * EOF (the guest's half-close) and answers the sha256 and length of what it read, then closes. In
 * {@code GREET} mode it first sends a greeting and shuts its output down (its own half-close), then
 * reads to EOF and records what the guest sent after that.
 */
final class HashReplyServer implements AutoCloseable {
    enum Mode { HASH, GREET }

    static final String GREETING = "hello from the host\n";

    private final ServerSocket socket;
    private final Mode mode;
    private final Thread acceptor;
    final AtomicLong served = new AtomicLong();
    final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

    private HashReplyServer(ServerSocket socket, Mode mode) {
        this.socket = socket;
        this.mode = mode;
        this.acceptor = Thread.ofPlatform().daemon().name("hash-reply").start(this::accept);
    }

    static HashReplyServer start(Mode mode) throws IOException {
        return new HashReplyServer(new ServerSocket(0, 4096, InetAddress.getLoopbackAddress()), mode);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                var client = socket.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            if (mode == Mode.GREET) {
                client.getOutputStream().write(GREETING.getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                received.add(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            } else {
                var digest = HashingHttpServer.sha256();
                var in = client.getInputStream();
                var buffer = new byte[64 << 10];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                    total += n;
                }
                client.getOutputStream().write((HexFormat.of().formatHex(digest.digest()) + " " + total + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            served.incrementAndGet();
        } catch (IOException e) {
            received.add("error: " + e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
