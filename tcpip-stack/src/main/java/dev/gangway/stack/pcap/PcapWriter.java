package dev.gangway.stack.pcap;

import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes frames to a classic pcap file (microsecond timestamps, link type Ethernet) that tshark and
 * Wireshark read. {@link #record} copies the frame and queues it without blocking the event loop; a
 * writer thread appends to the file. When the queue is full the frame is not recorded and counted in
 * {@link #lost()}.
 */
public final class PcapWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PcapWriter.class);
    static final int MAGIC = 0xa1b2c3d4;
    static final int SNAPLEN = 262144;
    static final int LINKTYPE_ETHERNET = 1;
    private static final int QUEUE = 8192;
    private static final byte[] STOP = new byte[0];

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final LongAdder lost = new LongAdder();
    private final Thread writer;
    private final OutputStream out;
    private volatile boolean closed;

    private PcapWriter(OutputStream out) throws IOException {
        this.out = out;
        var header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN)
                .putInt(LINKTYPE_ETHERNET);
        out.write(header.array());
        out.flush();
        writer = Thread.ofPlatform().daemon().name("pcap-writer").start(this::drain);
    }

    /** Creates or truncates {@code file} and writes the pcap header. */
    public static PcapWriter open(Path file) throws IOException {
        return new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    /** Queues a copy of the frame's readable bytes with the current time; never blocks. */
    public void record(ByteBuf frame) {
        if (closed) {
            return;
        }
        int length = frame.readableBytes();
        int captured = Math.min(length, SNAPLEN);
        var now = java.time.Instant.now();
        var record = new byte[16 + captured];
        var header = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt((int) now.getEpochSecond()).putInt(now.getNano() / 1000).putInt(captured).putInt(length);
        frame.getBytes(frame.readerIndex(), record, 16, captured);
        if (!queue.offer(record)) {
            lost.increment();
        }
    }

    /** Frames not recorded because the writer fell behind. */
    public long lost() {
        return lost.sum();
    }

    private void drain() {
        try {
            for (;;) {
                var record = queue.poll(200, TimeUnit.MILLISECONDS);
                if (record == null) {
                    out.flush();
                    continue;
                }
                if (record == STOP) {
                    break;
                }
                out.write(record);
            }
            out.flush();
        } catch (IOException e) {
            LOG.warn("pcap: writing stopped: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("pcap: close failed: {}", e.toString());
            }
        }
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
