package dev.gangway.launcher.lab;

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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The host end of the command channel: a virtio-serial port named {@code gangway.cmd} in the guest,
 * a unix socket on the host. The guest end is the agent loop at the bottom of {@code /init}.
 *
 * <p>Wire format (all header lines ASCII, ending in {@code \n}):
 * <pre>
 * guest → host  H 1                          the agent holds the port and is ready (protocol version 1)
 * host → guest  x ID LIMIT BASE64            run the shell command BASE64 as "sh", stdin /dev/null,
 *                                            killed (SIGKILL) after LIMIT seconds
 * guest → host  R ID STATUS LENGTH\n BYTES   it exited with STATUS; BYTES are its stdout+stderr
 * host → guest  s ID LIMIT BASE64            the same, streamed: the output comes as it is written, in
 * guest → host  O ID LENGTH\n BYTES          chunks of at most 64 KiB, then R ID STATUS 0
 * host → guest  p 0 0 -                      sync and power off
 * </pre>
 * The command travels as base64 so that any text fits on one line; the output is length-prefixed so that
 * it may hold any bytes. The agent runs one command at a time, in the order received.
 *
 * <p>Limits: a response longer than {@link #MAX_OUTPUT} is read and dropped, and its exec fails; header
 * lines longer than {@link #MAX_LINE} and lines that are not a known frame are dropped and counted.
 */
final class GuestChannel implements AutoCloseable {
    static final int MAX_OUTPUT = 64 << 20;
    static final int MAX_LINE = 256;

    private final SocketChannel socket;
    private final InputStream in;
    private final CompletableFuture<Void> hello = new CompletableFuture<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread reader;
    private volatile IOException closedBy;

    GuestChannel(SocketChannel socket, String name) {
        this.socket = socket;
        this.in = new BufferedInputStream(Channels.newInputStream(socket), 64 << 10);
        this.reader = Thread.ofPlatform().daemon(true).name("gangway-guest-channel-" + name).start(this::readLoop);
    }

    /** Completes when the agent has said hello. */
    CompletableFuture<Void> hello() {
        return hello;
    }

    /** Header lines and responses from the guest that were not understood or not awaited. */
    long dropped() {
        return dropped.get();
    }

    /** A command awaiting its answer; {@code chunks} receives streamed output, else it is null. */
    private record Pending(CompletableFuture<RawExecResult> result, Consumer<byte[]> chunks) {
    }

    /** Sends a command; the future completes with its result or fails when the channel closes. */
    Request send(String shellCommand, long limitSeconds) throws IOException {
        return send(shellCommand, limitSeconds, null);
    }

    /**
     * Sends a command whose output is handed to {@code chunks} as the guest writes it (on the channel's
     * reader thread, so the consumer must not block for long); the result then carries no output.
     */
    Request sendStreamed(String shellCommand, long limitSeconds, Consumer<byte[]> chunks) throws IOException {
        return send(shellCommand, limitSeconds, java.util.Objects.requireNonNull(chunks));
    }

    private Request send(String shellCommand, long limitSeconds, Consumer<byte[]> chunks) throws IOException {
        var id = ids.incrementAndGet();
        var future = new CompletableFuture<RawExecResult>();
        pending.put(id, new Pending(future, chunks));
        var failure = closedBy;
        if (failure != null) {
            pending.remove(id);
            throw new IOException("the command channel is closed", failure);
        }
        var line = (chunks == null ? "x " : "s ") + id + " " + limitSeconds + " "
                + Base64.getEncoder().encodeToString(shellCommand.getBytes(StandardCharsets.UTF_8)) + "\n";
        try {
            write(line);
        } catch (IOException e) {
            pending.remove(id);
            throw e;
        }
        return new Request(id, future);
    }

    /** A command in flight. */
    record Request(long id, CompletableFuture<RawExecResult> result) {
    }

    /** Stops waiting for a command (it timed out); its late answer is dropped. */
    void forget(long id) {
        pending.remove(id);
    }

    void powerOff() throws IOException {
        write("p 0 0 -\n");
    }

    private void write(String line) throws IOException {
        var buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        synchronized (socket) {
            while (buffer.hasRemaining()) {
                socket.write(buffer);
            }
        }
    }

    /**
     * A parsed {@code R ID STATUS LENGTH} or {@code O ID LENGTH} header.
     *
     * @param last true for {@code R} (the command ended), false for an {@code O} chunk
     * @param status the exit status ({@code R}), 0 for a chunk
     */
    record ResponseHeader(boolean last, long id, int status, int length) {
    }

    /** Parses a response or chunk header, or empty when the line is not one (or is out of bounds). */
    static Optional<ResponseHeader> parseResponse(String line) {
        var fields = line.split(" ");
        boolean last = fields.length == 4 && fields[0].equals("R");
        boolean chunk = fields.length == 3 && fields[0].equals("O");
        if (!last && !chunk) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(fields[1]);
            int status = last ? Integer.parseInt(fields[2]) : 0;
            long length = Long.parseLong(fields[fields.length - 1]);
            if (id <= 0 || status < 0 || status > 255 || length < 0 || length > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            return Optional.of(new ResponseHeader(last, id, status, (int) length));
        } catch (NumberFormatException e) {
            return Optional.empty();
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
                var header = parseResponse(line);
                if (header.isEmpty()) {
                    dropped.incrementAndGet();
                    continue;
                }
                var response = header.get();
                // Stays pending until its output is in: a channel that breaks mid-output fails it below.
                var waiting = pending.get(response.id());
                if (response.length() > MAX_OUTPUT) {
                    pending.remove(response.id());
                    skip(response.length());
                    if (waiting != null) {
                        waiting.result().completeExceptionally(new IOException("the command printed "
                                + response.length() + " bytes, more than the " + (MAX_OUTPUT >> 20)
                                + " MiB the channel carries"));
                    }
                    continue;
                }
                var output = in.readNBytes(response.length());
                if (output.length < response.length()) {
                    throw new EOFException("the guest closed the command channel in the middle of an output");
                }
                if (waiting == null) {
                    dropped.incrementAndGet();
                } else if (!response.last()) {
                    if (waiting.chunks() == null) {
                        dropped.incrementAndGet();
                    } else {
                        deliver(response.id(), waiting, output);
                    }
                } else {
                    pending.remove(response.id());
                    waiting.result().complete(new RawExecResult(response.status(), output));
                }
            }
        } catch (IOException e) {
            failure = e;
        }
        closedBy = failure;
        hello.completeExceptionally(failure);
        for (var id : pending.keySet()) {
            var waiting = pending.remove(id);
            if (waiting != null) {
                waiting.result().completeExceptionally(failure);
            }
        }
    }

    /** Hands a chunk to its consumer; a consumer that throws fails its command, not the channel. */
    private void deliver(long id, Pending waiting, byte[] chunk) {
        try {
            waiting.chunks().accept(chunk);
        } catch (RuntimeException e) {
            pending.remove(id);
            waiting.result().completeExceptionally(new IOException("the output consumer failed: " + e, e));
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
                if (tooLong) {
                    dropped.incrementAndGet();
                    line.reset();
                    tooLong = false;
                    continue;
                }
                return line.toString(StandardCharsets.US_ASCII);
            }
            if (line.size() < MAX_LINE) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
    }

    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the guest closed the command channel in the middle of an output");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // Closing a unix socket fails only when it is already closed; the reader ends either way.
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
