package dev.gangway.launcher.up;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The host end of the Docker VM's command channel (a virtio-serial port named {@code gangway.cmd}, a unix
 * socket on the host), served in the guest by the loop at the end of {@code /sbin/gangway-init}. The frames
 * are the lab guest's ({@code dev.gangway.launcher.lab.GuestChannel}): {@code H 1} (hello), {@code x ID LIMIT
 * BASE64} (run, answer whole), {@code s ID LIMIT BASE64} (run, stream {@code O ID LENGTH} chunks), {@code R ID
 * STATUS LENGTH} (exit status and output), {@code p 0 0 -} (stop dockerd, sync, power off). The guest runs
 * one command at a time.
 *
 * <p>Limits: an answer longer than {@link #MAX_OUTPUT} fails its command and ends the channel; header
 * lines longer than {@link #MAX_LINE} or not understood are dropped and counted.
 */
final class VmChannel implements AutoCloseable {
    static final int MAX_OUTPUT = 64 << 20;
    static final int MAX_LINE = 256;

    /** A command's exit status and (when not streamed) its output. */
    record Result(int status, byte[] output) {
        String text() {
            return new String(output, StandardCharsets.UTF_8);
        }
    }

    private record Pending(CompletableFuture<Result> result, Consumer<byte[]> chunks) {
    }

    private final SocketChannel socket;
    private final InputStream in;
    private final CompletableFuture<Void> hello = new CompletableFuture<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile IOException closedBy;

    VmChannel(SocketChannel socket) {
        this.socket = socket;
        this.in = new BufferedInputStream(Channels.newInputStream(socket), 64 << 10);
        Thread.ofPlatform().daemon(true).name("gangway-vm-channel").start(this::readLoop);
    }

    CompletableFuture<Void> hello() {
        return hello;
    }

    long dropped() {
        return dropped.get();
    }

    /** Runs {@code command} with {@code sh} in the guest, killed after {@code limitSeconds}. */
    CompletableFuture<Result> exec(String command, long limitSeconds) throws IOException {
        return send("x", command, limitSeconds, null);
    }

    /** Like {@link #exec}, with the output handed to {@code chunks} as it comes (on the reader thread). */
    CompletableFuture<Result> stream(String command, long limitSeconds, Consumer<byte[]> chunks) throws IOException {
        return send("s", command, limitSeconds, chunks);
    }

    void powerOff() throws IOException {
        write("p 0 0 -\n");
    }

    private CompletableFuture<Result> send(String verb, String command, long limitSeconds, Consumer<byte[]> chunks)
            throws IOException {
        var id = ids.incrementAndGet();
        var future = new CompletableFuture<Result>();
        pending.put(id, new Pending(future, chunks));
        if (closedBy != null) {
            pending.remove(id);
            throw new IOException("the command channel is closed", closedBy);
        }
        try {
            write(verb + " " + id + " " + limitSeconds + " "
                    + Base64.getEncoder().encodeToString(command.getBytes(StandardCharsets.UTF_8)) + "\n");
        } catch (IOException e) {
            pending.remove(id);
            throw e;
        }
        future.whenComplete((result, failure) -> pending.remove(id));
        return future;
    }

    private void write(String line) throws IOException {
        var buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        synchronized (socket) {
            while (buffer.hasRemaining()) {
                socket.write(buffer);
            }
        }
    }

    private void readLoop() {
        IOException failure;
        try {
            while (true) {
                var line = readLine();
                if (line.equals("H 1")) {
                    hello.complete(null);
                    continue;
                }
                var fields = line.split(" ");
                boolean last = fields.length == 4 && fields[0].equals("R");
                boolean chunk = fields.length == 3 && fields[0].equals("O");
                long id;
                int status;
                long length;
                try {
                    id = (last || chunk) ? Long.parseLong(fields[1]) : -1;
                    status = last ? Integer.parseInt(fields[2]) : 0;
                    length = (last || chunk) ? Long.parseLong(fields[fields.length - 1]) : -1;
                } catch (NumberFormatException e) {
                    id = -1;
                    status = 0;
                    length = -1;
                }
                if (id <= 0 || length < 0) {
                    dropped.incrementAndGet();
                    continue;
                }
                if (length > MAX_OUTPUT) {
                    throw new IOException("the guest sent an answer of " + length + " bytes, more than "
                            + MAX_OUTPUT + " the channel carries");
                }
                var output = in.readNBytes((int) length);
                if (output.length < length) {
                    throw new EOFException("the guest closed the command channel in the middle of an output");
                }
                var waiting = pending.get(id);
                if (waiting == null) {
                    dropped.incrementAndGet();
                } else if (chunk) {
                    if (waiting.chunks() != null) {
                        try {
                            waiting.chunks().accept(output);
                        } catch (RuntimeException e) {
                            waiting.result().completeExceptionally(e);
                        }
                    }
                } else {
                    waiting.result().complete(new Result(status, output));
                }
            }
        } catch (IOException e) {
            failure = e;
        }
        closedBy = failure;
        hello.completeExceptionally(failure);
        for (var waiting : pending.values()) {
            waiting.result().completeExceptionally(failure);
        }
    }

    private String readLine() throws IOException {
        var line = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the guest closed the command channel");
            }
            if (b == '\n') {
                if (!tooLong) {
                    return line.toString(StandardCharsets.US_ASCII);
                }
                dropped.incrementAndGet();
                line.reset();
                tooLong = false;
            } else if (line.size() < MAX_LINE) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException alreadyClosed) {
            // The reader ends either way.
        }
    }
}
