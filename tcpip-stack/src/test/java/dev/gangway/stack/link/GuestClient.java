package dev.gangway.stack.link;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A VM's end of a stream link, written from the protocol notes (not from the server's code): QEMU
 * framing (u32 big-endian length) or vmnet (the handshake, then u16 little-endian lengths), over a JDK
 * unix socket. Frames received are queued by a reader thread.
 */
public final class GuestClient implements AutoCloseable {
    public enum Framing { QEMU, VMNET }

    /** What the vmnet server answered: MTU, maximum packet size, MAC. */
    public record Vif(int mtu, int maxPacketSize, byte[] mac) {
    }

    private final SocketChannel channel;
    private final Framing framing;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private Thread reader;
    private volatile boolean eof;
    private volatile boolean discard;
    private final java.util.concurrent.atomic.AtomicLong discarded = new java.util.concurrent.atomic.AtomicLong();

    private GuestClient(SocketChannel channel, Framing framing) {
        this.channel = channel;
        this.framing = framing;
    }

    public static GuestClient qemu(Path socket) throws IOException {
        var client = new GuestClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)), Framing.QEMU);
        client.startReader();
        return client;
    }

    /** Connects and completes the vmnet handshake for {@code uuid}. */
    public static GuestClient vmnet(Path socket, String uuid, Vif[] vifOut) throws IOException {
        var channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        var init = ByteBuffer.allocate(49).order(ByteOrder.LITTLE_ENDIAN);
        init.put("VMN3T".getBytes()).putInt(22).put("test-client".getBytes());
        init.position(49).flip();
        writeFully(channel, init);
        var serverInit = readFully(channel, 49);
        if (!new String(serverInit.array(), 0, 5).equals("VMN3T") || serverInit.getInt(5) != 22) {
            throw new IOException("bad server init");
        }
        var command = ByteBuffer.allocate(41);
        command.put((byte) 1).put(uuid.getBytes());
        command.position(41).flip();
        writeFully(channel, command);
        var response = readFully(channel, 258);
        if (response.get(0) != 1) {
            throw new IOException("server refused: type " + response.get(0));
        }
        var mac = new byte[6];
        response.position(5);
        response.get(mac);
        vifOut[0] = new Vif(response.getShort(1) & 0xFFFF, response.getShort(3) & 0xFFFF, mac);
        var client = new GuestClient(channel, Framing.VMNET);
        client.startReader();
        return client;
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static ByteBuffer readFully(SocketChannel channel, int length) throws IOException {
        var buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("eof after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return buffer.flip();
    }

    private void startReader() {
        reader = Thread.ofPlatform().daemon().name("guest-client").start(() -> {
            try {
                for (;;) {
                    int length;
                    if (framing == Framing.QEMU) {
                        length = readFully(channel, 4).order(ByteOrder.BIG_ENDIAN).getInt();
                    } else {
                        length = readFully(channel, 2).getShort() & 0xFFFF;
                    }
                    var frame = readFully(channel, length).array();
                    if (discard) {
                        discarded.incrementAndGet();
                    } else {
                        received.add(frame);
                    }
                }
            } catch (IOException e) {
                eof = true;
            }
        });
    }

    /** From now on, received frames are only counted (floods would fill the queue). */
    public void discardReceived(boolean value) {
        discard = value;
        if (value) {
            received.clear();
        }
    }

    public long discarded() {
        return discarded.get();
    }

    /** Sends raw bytes (for garbage tests). */
    public void sendRaw(byte[] bytes) throws IOException {
        writeFully(channel, ByteBuffer.wrap(bytes));
    }

    public void send(byte[] frame) throws IOException {
        var header = framing == Framing.QEMU
                ? ByteBuffer.allocate(4).putInt(frame.length).flip()
                : ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) frame.length).flip();
        writeFully(channel, header);
        writeFully(channel, ByteBuffer.wrap(frame));
    }

    /** The next received frame matching {@code filter} within {@code timeout}, or {@code null}. */
    public byte[] await(Predicate<byte[]> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            var frame = received.poll(left, TimeUnit.NANOSECONDS);
            if (frame != null && filter.test(frame)) {
                return frame;
            }
        }
    }

    /** True once the server closed the connection (seen by the reader) within {@code timeout}. */
    public boolean closedByServer(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        return eof;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
