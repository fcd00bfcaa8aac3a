package dev.gangway.integration.forward;

import dev.gangway.posix.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Servers that live INSIDE a guest namespace: their sockets are created by a thread that joined the
 * namespace ({@link Netns}), so the guest's Linux kernel is their TCP/IP stack, and they are reached only
 * through the guest's interface. Each connection is served on a virtual thread with kernel sockets.
 *
 * <ul>
 *   <li>{@link #echo}: copies what it reads back until the client's FIN, then sends FIN.</li>
 *   <li>{@link #streamAfterEof}: reads to the client's FIN, then sends {@code length} bytes of
 *       {@link #pattern} and closes: a reply that is streamed entirely after the client half-closed.</li>
 *   <li>{@link #greet}: sends {@code "ok\n"} and closes, the moment the connection is accepted.</li>
 *   <li>{@link #http}: answers any request with {@code 200} and a body naming the client's address as the
 *       guest sees it ({@code "peer IP:PORT\n"}), and records it.</li>
 *   <li>{@link #udpEcho}: answers each datagram with {@code "echo "} + the datagram, and records the sender.</li>
 * </ul>
 */
final class GuestServers implements AutoCloseable {
    private final String netnsPath;
    private final List<AutoCloseable> sockets = new ArrayList<>();
    /** Client addresses as the guest saw them, in arrival order (http and UDP servers). */
    final ConcurrentLinkedQueue<InetSocketAddress> peers = new ConcurrentLinkedQueue<>();

    GuestServers(String netns) {
        this.netnsPath = "/run/netns/" + netns;
    }

    /** Deterministic bytes: block {@code i} of 64 KiB is a random block from {@code seed} stamped with {@code i}. */
    static byte[] patternBlock(long seed, long index) {
        var block = new byte[64 << 10];
        new SplittableRandom(seed).nextBytes(block);
        ByteBuffer.wrap(block).putLong(0, index);
        return block;
    }

    /** The sha256 of the first {@code length} bytes of the pattern (a multiple of 64 KiB). */
    static byte[] patternSha256(long seed, long length) throws NoSuchAlgorithmException {
        var digest = MessageDigest.getInstance("SHA-256");
        for (long i = 0; i < length / (64 << 10); i++) {
            digest.update(patternBlock(seed, i));
        }
        return digest.digest();
    }

    private ServerSocket listen(InetAddress address, int port) throws Exception {
        var server = Netns.call(netnsPath, () -> {
            var s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port), 2048);
            return s;
        });
        sockets.add(server);
        return server;
    }

    private void acceptLoop(ServerSocket server, ConnectionHandler handler) {
        Thread.ofPlatform().daemon().name("guest-server-" + server.getLocalPort()).start(() -> {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.ofVirtual().start(() -> {
                    try (client) {
                        handler.serve(client);
                    } catch (IOException ignored) {
                        // The client went away: its test sees that on its own side.
                    }
                });
            }
        });
    }

    private interface ConnectionHandler {
        void serve(Socket client) throws IOException;
    }

    void echo(InetAddress address, int port) throws Exception {
        acceptLoop(listen(address, port), client -> {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            var buffer = new byte[256 << 10];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            client.shutdownOutput();
        });
    }

    void streamAfterEof(InetAddress address, int port, long seed, long length) throws Exception {
        acceptLoop(listen(address, port), client -> {
            client.getInputStream().readAllBytes();
            OutputStream out = client.getOutputStream();
            for (long i = 0; i < length / (64 << 10); i++) {
                out.write(patternBlock(seed, i));
            }
        });
    }

    /** Sends {@code "ok\n"} and closes at once, without reading: a server that speaks first and briefly. */
    void greet(InetAddress address, int port) throws Exception {
        acceptLoop(listen(address, port), client -> client.getOutputStream().write("ok\n".getBytes(
                StandardCharsets.US_ASCII)));
    }

    void http(InetAddress address, int port) throws Exception {
        acceptLoop(listen(address, port), client -> {
            var in = client.getInputStream();
            var head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            var peer = (InetSocketAddress) client.getRemoteSocketAddress();
            peers.add(peer);
            var body = "peer " + peer.getAddress().getHostAddress() + ":" + peer.getPort() + "\n";
            var response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body;
            client.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            in.readAllBytes();
        });
    }

    void udpEcho(InetAddress address, int port) throws Exception {
        var socket = Netns.call(netnsPath, () -> new DatagramSocket(new InetSocketAddress(address, port)));
        sockets.add(socket);
        Thread.ofPlatform().daemon().name("guest-udp-" + port).start(() -> {
            var buffer = new byte[65535];
            while (!socket.isClosed()) {
                var packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    SocketAddress sender = packet.getSocketAddress();
                    peers.add((InetSocketAddress) sender);
                    var reply = ("echo " + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(reply, reply.length, sender));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        for (var socket : sockets) {
            try {
                socket.close();
            } catch (Exception ignored) {
                // Closing everything; one failure does not stop the rest.
            }
        }
        sockets.clear();
    }
}
