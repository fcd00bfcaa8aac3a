package dev.gangway.integration.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The guest's test program, run inside the namespace with the test JVM's own java: opens connections
 * to {@link HashReplyServer}, writes pseudo-random bytes, shuts its output down (half-close), reads the
 * reply to EOF and checks that the host hashed exactly what was sent.
 *
 * <pre>
 * GuestClient concurrent HOST PORT CONNECTIONS BYTES   (all at once, one virtual thread each)
 * GuestClient sequential HOST PORT CONNECTIONS BYTES   (one after the other)
 * </pre>
 * Prints {@code ok N} or {@code failed N: first error} and exits 0 only when every connection checked out.
 */
public final class GuestClient {
    private GuestClient() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        var address = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        int connections = Integer.parseInt(args[3]);
        int bytes = Integer.parseInt(args[4]);
        var failures = new AtomicInteger();
        var firstError = new StringBuffer();
        if (mode.equals("concurrent")) {
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < connections; i++) {
                    int seed = i;
                    executor.submit(() -> check(address, bytes, seed, failures, firstError));
                }
            }
        } else {
            for (int i = 0; i < connections; i++) {
                check(address, bytes, i, failures, firstError);
            }
        }
        if (failures.get() == 0) {
            System.out.println("ok " + connections);
        } else {
            System.out.println("failed " + failures.get() + ": " + firstError);
            System.exit(1);
        }
    }

    private static void check(InetSocketAddress address, int bytes, int seed, AtomicInteger failures,
            StringBuffer firstError) {
        try (var socket = new Socket()) {
            socket.connect(address, 60_000);
            socket.setSoTimeout(120_000);
            var data = new byte[bytes];
            new SplittableRandom(seed).nextBytes(data);
            var out = socket.getOutputStream();
            for (int off = 0; off < bytes; off += 65536) {
                out.write(data, off, Math.min(65536, bytes - off));
            }
            socket.shutdownOutput();
            var reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            var expected = HexFormat.of().formatHex(HashingHttpServer.sha256().digest(data)) + " " + bytes;
            if (!reply.equals(expected)) {
                throw new IOException("connection " + seed + ": host saw " + reply + ", sent " + expected);
            }
        } catch (IOException | RuntimeException e) {
            if (failures.getAndIncrement() == 0) {
                firstError.append(e);
            }
        }
    }
}
