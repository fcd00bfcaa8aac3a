package dev.gangway.integration.tcp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Executors;

/**
 * A plain host HTTP server on 127.0.0.1 (the peer the stack's NAT connects to): {@code GET /bytes/N}
 * streams N pseudo-random bytes (a 1 MiB random block, each copy stamped with its index, so that
 * misplaced blocks change the hash); {@code PUT /upload} answers the sha256 and length of the body.
 */
final class HashingHttpServer implements AutoCloseable {
    static final int BLOCK = 1 << 20;
    private static final byte[] DATA = new byte[BLOCK];

    static {
        new Random(42).nextBytes(DATA);
    }

    private final HttpServer server;

    private HashingHttpServer(HttpServer server) {
        this.server = server;
    }

    static HashingHttpServer start() throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/bytes/", exchange -> {
            long size = Long.parseLong(exchange.getRequestURI().getPath().substring("/bytes/".length()));
            exchange.sendResponseHeaders(200, size);
            try (var out = exchange.getResponseBody()) {
                write(out, size);
            }
        });
        server.createContext("/upload", exchange -> {
            var digest = sha256();
            long total = 0;
            try (InputStream in = exchange.getRequestBody()) {
                var buffer = new byte[256 << 10];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                    total += n;
                }
            }
            var reply = (HexFormat.of().formatHex(digest.digest()) + " " + total + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, reply.length);
            try (var out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
        return new HashingHttpServer(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void write(OutputStream out, long size) throws IOException {
        var block = DATA.clone();
        long sent = 0;
        for (long i = 0; sent < size; i++) {
            stamp(block, i);
            int n = (int) Math.min(BLOCK, size - sent);
            out.write(block, 0, n);
            sent += n;
        }
    }

    private static void stamp(byte[] block, long index) {
        for (int k = 0; k < 8; k++) {
            block[k] = (byte) (index >>> (8 * k));
        }
    }

    /** The sha256 of what {@code GET /bytes/size} sends, as lowercase hex. */
    static String expectedSha256(long size) {
        var digest = sha256();
        var block = DATA.clone();
        long done = 0;
        for (long i = 0; done < size; i++) {
            stamp(block, i);
            int n = (int) Math.min(BLOCK, size - done);
            digest.update(block, 0, n);
            done += n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
