package dev.gangway.forward;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * Real peers on loopback for the forwarder's tests: plain JDK sockets, one virtual thread per connection,
 * so the relay is judged against the kernel's TCP and UDP, not against another Netty pipeline.
 */
public final class TestPeers {
    private TestPeers() {
    }

    /**
     * {@code TestPeers tcp-echo ADDR PORT}: runs an echo server until killed, for tests that start it inside
     * a network namespace (socat's PIPE echo stalls under bulk traffic both ways).
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !args[0].equals("tcp-echo")) {
            System.err.println("usage: TestPeers tcp-echo ADDR PORT");
            System.exit(2);
        }
        try (var echo = new TcpEcho(InetAddress.ofLiteral(args[1]), Integer.parseInt(args[2]))) {
            System.out.println("listening on " + echo.address());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** A TCP echo server: echoes until the client's FIN, then sends its own FIN. */
    public static final class TcpEcho implements AutoCloseable {
        private final ServerSocket server;
        private final ConcurrentLinkedQueue<Socket> accepted = new ConcurrentLinkedQueue<>();

        public TcpEcho(InetAddress address, int port) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, port), 2048);
            Thread.ofVirtual().start(this::acceptLoop);
        }

        public InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    var socket = server.accept();
                    accepted.add(socket);
                    Thread.ofVirtual().start(() -> echo(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void echo(Socket socket) {
            try (socket) {
                var in = socket.getInputStream();
                var out = socket.getOutputStream();
                var buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
                socket.shutdownOutput();
                // Hold the socket until the peer closes, so the close is the client's to make.
                while (in.read() >= 0) {
                    continue;
                }
            } catch (IOException e) {
                // The client reset or went away: nothing to echo.
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (var s : accepted) {
                s.close();
            }
        }
    }

    /** A UDP echo server that prefixes each reply with {@code prefix}. */
    public static final class UdpEcho implements AutoCloseable {
        private final DatagramSocket socket;

        public UdpEcho(InetAddress address, String prefix) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(address, 0));
            Thread.ofVirtual().start(() -> {
                var buffer = new byte[65536];
                while (!socket.isClosed()) {
                    try {
                        var packet = new DatagramPacket(buffer, buffer.length);
                        socket.receive(packet);
                        var reply = (prefix + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8);
                        socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        public InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** An HTTP server answering every GET with {@code body} and the client address it saw. */
    public static HttpServer http(InetAddress address, String body) throws IOException {
        var server = HttpServer.create(new InetSocketAddress(address, 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange; InputStream ignored = exchange.getRequestBody()) {
                var bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("X-Client", exchange.getRemoteAddress().toString());
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        return server;
    }
}
