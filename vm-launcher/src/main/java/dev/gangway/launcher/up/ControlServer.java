package dev.gangway.launcher.up;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The daemon's control socket ({@code run/control.sock}, mode 0600 by its folder): one request line per
 * connection, answered and closed.
 * <pre>
 * status                 → one line of JSON ({@link DaemonStatus})
 * down                   → "ok", then the daemon stops the VM and exits
 * exec LIMIT BASE64      → "O LENGTH\n" + bytes, repeated as the command prints, then "R STATUS\n"
 * </pre>
 * Request lines longer than {@link #MAX_LINE} are refused. Each connection has its own virtual thread.
 */
final class ControlServer implements AutoCloseable {
    static final int MAX_LINE = 1 << 20;

    /** What the daemon does for each request. */
    interface Handler {
        String status();

        void down();

        /** Runs a shell command in the guest, writing framed output to {@code out}; returns its status. */
        int exec(String command, long limitSeconds, OutputStream out) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Path path;
    private final Handler handler;

    private ControlServer(ServerSocketChannel server, Path path, Handler handler) {
        this.server = server;
        this.path = path;
        this.handler = handler;
    }

    static ControlServer start(Path path, Handler handler) throws IOException {
        Files.deleteIfExists(path);
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        var control = new ControlServer(server, path, handler);
        Thread.ofPlatform().daemon(true).name("gangway-control").start(control::acceptLoop);
        return control;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                var client = server.accept();
                Thread.ofVirtual().name("gangway-control-client").start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client; var in = Channels.newInputStream(client); var out = Channels.newOutputStream(client)) {
            var line = readLine(in);
            if (line == null) {
                return;
            }
            var words = line.split(" ", 3);
            switch (words[0]) {
                case "status" -> out.write((handler.status() + "\n").getBytes(StandardCharsets.UTF_8));
                case "down" -> {
                    out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    handler.down();
                }
                case "exec" -> {
                    if (words.length != 3) {
                        out.write("R 2\n".getBytes(StandardCharsets.US_ASCII));
                        return;
                    }
                    var command = new String(java.util.Base64.getDecoder().decode(words[2]), StandardCharsets.UTF_8);
                    int status = handler.exec(command, Long.parseLong(words[1]), out);
                    out.write(("R " + status + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                default -> out.write(("unknown request\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException | RuntimeException e) {
            // A client that went away, or a malformed request: the connection ends, the daemon goes on.
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() >= MAX_LINE) {
                return null;
            }
            line.write(b);
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Shutting down: the socket file is removed by the next start if it lingers.
        }
    }
}
