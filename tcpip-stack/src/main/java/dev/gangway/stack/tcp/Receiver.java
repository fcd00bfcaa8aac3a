package dev.gangway.stack.tcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;

/**
 * The receiving half of a connection (gVisor's {@code rcv.go}): accepts the guest's bytes in order and
 * hands them to the peer, keeps a bounded out-of-order queue, computes the window offered to the guest
 * from the peer's backlog, and names the SACK blocks to advertise.
 *
 * <p>The window never shrinks (its right edge never moves left): what was offered stays offered, and the
 * peer's backlog is bounded by {@link TcpConfig#bufferBytes} plus at most one window.
 */
final class Receiver {
    /** Out-of-order segments held; the guest cannot grow the queue beyond this (nor beyond the window). */
    static final int MAX_OUT_OF_ORDER = 1024;

    private record Held(int seq, ByteBuf data, boolean fin) {
        int end() {
            return seq + data.readableBytes() + (fin ? 1 : 0);
        }
    }

    private final TcpConnection conn;
    private final long bufferBytes;
    int shift;
    int irs;
    int nxt;
    private int advertisedRight;
    private final ArrayList<Held> outOfOrder = new ArrayList<>();
    private long outOfOrderBytes;
    private int lastLeft;
    private int lastRight;
    boolean finReceived;

    Receiver(TcpConnection conn, long bufferBytes, int shift) {
        this.conn = conn;
        this.bufferBytes = bufferBytes;
        this.shift = shift;
    }

    void init(int irs) {
        this.irs = irs;
        this.nxt = irs + 1;
        this.advertisedRight = nxt;
    }

    /** The usable window in bytes (unscaled), never less than what was already offered. */
    long window() {
        long free = bufferBytes - conn.peerPending() - outOfOrderBytes;
        if (free < 0) {
            free = 0;
        }
        long offered = advertisedRight - nxt;
        return Math.max(free, offered);
    }

    /** One line of state for diagnostics: sequence numbers relative to the IRS. */
    String describe() {
        return "rcv nxt=" + (nxt - irs) + " wnd=" + window() + " out-of-order=" + outOfOrderBytes + (finReceived ? " fin" : "");
    }

    /** The 16-bit window field for an established segment, and remembers the right edge it offers. */
    int windowField() {
        long field = Math.min(65535, window() >>> shift);
        int right = nxt + (int) (field << shift);
        if (Seq.gt(right, advertisedRight)) {
            advertisedRight = right;
        }
        return (int) field;
    }

    /** True when a window update would offer much more than the guest was last told. */
    boolean windowWorthUpdating() {
        long offered = advertisedRight - nxt;
        return window() - offered >= Math.min(bufferBytes / 2, 65535L << shift);
    }

    /** True when {@code [seq, seq+len)} overlaps the window (RFC 9293 3.10.7.4 acceptability). */
    boolean acceptable(int seq, int len) {
        long wnd = window();
        if (len == 0) {
            return wnd == 0 ? seq == nxt : Seq.ge(seq, nxt) && Seq.lt(seq, (int) (nxt + wnd)) || seq == nxt;
        }
        if (wnd == 0) {
            return false;
        }
        int end = seq + len - 1;
        return Seq.inRange(seq, nxt, (int) (nxt + wnd)) || Seq.inRange(end, nxt, (int) (nxt + wnd))
                || (Seq.lt(seq, nxt) && Seq.gt(end, nxt));
    }

    /**
     * Takes the payload {@code [offset, offset+len)} of {@code buf} (not owned; retained slices are kept)
     * with sequence {@code seq}, and the FIN after it. Returns true when the guest should be ACKed at once
     * (out of order, a hole filled, FIN), false when a delayed ACK will do.
     */
    boolean receive(int seq, ByteBuf buf, int offset, int len, boolean fin) {
        if (Seq.lt(seq, nxt)) {
            int skip = nxt - seq;
            if (skip >= len + (fin ? 1 : 0)) {
                return true;
            }
            if (skip >= len) {
                len = 0;
            } else {
                offset += skip;
                len -= skip;
            }
            seq = nxt;
        }
        long room = window() - (seq - nxt);
        if (room <= 0 && len > 0) {
            return true;
        }
        if (len > room) {
            len = (int) room;
            fin = false;
        }
        if (len == 0 && !fin) {
            return true;
        }
        if (seq != nxt) {
            hold(seq, buf, offset, len, fin);
            return true;
        }
        boolean immediate = fin || !outOfOrder.isEmpty();
        if (len > 0) {
            conn.deliver(buf.retainedSlice(offset, len));
        }
        nxt = seq + len;
        if (fin) {
            nxt++;
            finReceived = true;
        }
        drainHeld();
        if (finReceived) {
            clearHeld();
        }
        return immediate;
    }

    private void hold(int seq, ByteBuf buf, int offset, int len, boolean fin) {
        int end = seq + len + (fin ? 1 : 0);
        lastLeft = seq;
        lastRight = end;
        int i = 0;
        while (i < outOfOrder.size() && Seq.lt(outOfOrder.get(i).seq, seq)) {
            i++;
        }
        // An exact or covering duplicate adds nothing.
        if (i < outOfOrder.size() && outOfOrder.get(i).seq == seq && Seq.ge(outOfOrder.get(i).end(), end)) {
            return;
        }
        if (i > 0 && Seq.ge(outOfOrder.get(i - 1).end(), end)) {
            return;
        }
        if (outOfOrder.size() >= MAX_OUT_OF_ORDER || len == 0 && !fin) {
            conn.counters().drop(dev.gangway.stack.stats.Layer.TCP, "out-of-order-full");
            return;
        }
        outOfOrder.add(i, new Held(seq, buf.retainedSlice(offset, len), fin));
        outOfOrderBytes += len;
    }

    private void drainHeld() {
        while (!outOfOrder.isEmpty() && !finReceived) {
            var head = outOfOrder.getFirst();
            if (Seq.gt(head.seq, nxt)) {
                return;
            }
            outOfOrder.removeFirst();
            outOfOrderBytes -= head.data.readableBytes();
            int skip = nxt - head.seq;
            int len = head.data.readableBytes();
            if (skip >= len + (head.fin ? 1 : 0)) {
                head.data.release();
                continue;
            }
            if (skip < len) {
                conn.deliver(head.data.skipBytes(skip));
                nxt = head.seq + len;
            } else {
                head.data.release();
            }
            if (head.fin) {
                nxt++;
                finReceived = true;
            }
        }
        if (outOfOrder.isEmpty()) {
            lastLeft = lastRight = nxt;
        }
    }

    /**
     * SACK blocks to advertise (RFC 2018 4): the block holding the most recent out-of-order segment first,
     * then the others from the lowest, at most {@code max}.
     */
    int[] sackBlocks(int max) {
        if (outOfOrder.isEmpty()) {
            return null;
        }
        var blocks = new ArrayList<int[]>();
        int l = outOfOrder.getFirst().seq;
        int r = outOfOrder.getFirst().end();
        for (int i = 1; i < outOfOrder.size(); i++) {
            var h = outOfOrder.get(i);
            if (Seq.le(h.seq, r)) {
                r = Seq.max(r, h.end());
            } else {
                blocks.add(new int[] {l, r});
                l = h.seq;
                r = h.end();
            }
        }
        blocks.add(new int[] {l, r});
        int first = 0;
        for (int i = 0; i < blocks.size(); i++) {
            if (Seq.le(blocks.get(i)[0], lastLeft) && Seq.ge(blocks.get(i)[1], lastRight)) {
                first = i;
            }
        }
        int n = Math.min(max, blocks.size());
        var out = new int[n * 2];
        out[0] = blocks.get(first)[0];
        out[1] = blocks.get(first)[1];
        int k = 1;
        for (int i = 0; i < blocks.size() && k < n; i++) {
            if (i != first) {
                out[2 * k] = blocks.get(i)[0];
                out[2 * k + 1] = blocks.get(i)[1];
                k++;
            }
        }
        return out;
    }

    long outOfOrderBytes() {
        return outOfOrderBytes;
    }

    void clearHeld() {
        for (var h : outOfOrder) {
            h.data.release();
        }
        outOfOrder.clear();
        outOfOrderBytes = 0;
    }
}
