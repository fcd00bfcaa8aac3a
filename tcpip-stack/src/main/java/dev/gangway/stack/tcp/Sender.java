package dev.gangway.stack.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;

/**
 * The sending half of a connection (gVisor's {@code snd.go}): the send queue of peer bytes not yet
 * acknowledged by the guest, segmentation to the MSS, the guest's window, congestion control, and loss
 * recovery.
 *
 * <p>Loss recovery: three duplicate ACKs, or SACK blocks covering more than three segments, start fast
 * recovery (RFC 5681/6582): ssthresh and cwnd halve, every hole below the highest SACKed byte (or, without
 * SACK, the first unacknowledged segment) is retransmitted once, skipping what the guest SACKed, while the
 * estimated bytes in flight ("pipe", RFC 6675) stay below cwnd; partial ACKs retransmit the next hole;
 * the ACK of everything sent before recovery ends it. The retransmission timer (RFC 6298, with backoff)
 * resends everything unacknowledged and unSACKed from SND.UNA with a one-segment window. A closed guest
 * window is probed (persist timer) with backoff capped at {@link #MAX_PERSIST}.
 *
 * <p>Link congestion: new segments are sent only while the link channel is writable; when it is not,
 * the connection waits on the link's writability (see {@link TcpLink#blockOnLink}) rather than having its
 * frames dropped.
 */
final class Sender {
    static final long MAX_PERSIST = 10_000_000_000L;
    /** Retransmission timeouts in a row before the connection is given up (about 15 minutes with backoff). */
    static final int MAX_BACKOFF = 12;

    private final TcpConnection conn;
    private final long bufferBytes;
    final CompositeByteBuf queue;
    final RttEstimator rtt = new RttEstimator();
    final SackScoreboard sacked = new SackScoreboard();
    CongestionControl cc;
    int iss;
    int una;
    int nxt;
    long wnd;
    int shift;
    private int wl1;
    private int wl2;
    int mss = 536;
    boolean sackOn;

    boolean finQueued;
    boolean finSent;
    int finSeq;
    boolean finAcked;

    private boolean inRecovery;
    private int recover;
    private int dupAcks;
    private int retxNext;
    private int retxLimit;

    private int timedSeq;
    private long timedAt = -1;
    private boolean persisting;
    private boolean reading = true;

    Sender(TcpConnection conn, long bufferBytes) {
        this.conn = conn;
        this.bufferBytes = bufferBytes;
        this.queue = conn.alloc().compositeDirectBuffer(Integer.MAX_VALUE);
    }

    void init(int iss) {
        this.iss = iss;
        this.una = iss;
        this.nxt = iss + 1;
        this.retxNext = this.retxLimit = nxt;
    }

    /** The SYN was acknowledged: sequence space from here is data. */
    void established(int peerWindow, int peerIss, int peerAck) {
        una = iss + 1;
        nxt = una;
        retxNext = retxLimit = una;
        wnd = peerWindow;
        wl1 = peerIss;
        wl2 = peerAck;
        cc = new NewReno(mss);
    }

    int flight() {
        return nxt - una;
    }

    /** Bytes queued (sent or not) and not acknowledged. */
    long queued() {
        return queue.readableBytes();
    }

    private long unsent() {
        return finSent ? 0 : queue.readableBytes() - (long) (nxt - una);
    }

    /** Peer bytes for the guest; ownership taken. */
    void enqueue(ByteBuf data) {
        if (finQueued) {
            data.release();
            return;
        }
        queue.addComponent(true, data);
        if (reading && queue.readableBytes() >= bufferBytes) {
            reading = false;
            conn.peerReading(false);
        }
    }

    void queueFin() {
        finQueued = true;
    }

    /** Estimated bytes in the network (RFC 6675 pipe): outstanding minus SACKed minus presumed lost. */
    private long pipe() {
        long outstanding = nxt - una;
        long lost = 0;
        if (Seq.lt(retxNext, retxLimit)) {
            lost = (retxLimit - retxNext) - sacked.sackedWithin(retxNext, retxLimit);
        }
        return Math.max(0, outstanding - sacked.bytes() - lost);
    }

    /** Sends what the windows and the link allow: retransmissions first, then new data, then FIN. */
    void output() {
        if (cc == null) {
            return;
        }
        while (true) {
            if (!conn.linkWritable()) {
                conn.blockOnLink();
                break;
            }
            long cwnd = cc.cwnd();
            if (Seq.lt(retxNext, retxLimit)) {
                int seq = sacked.skipSacked(Seq.max(retxNext, una));
                if (!Seq.lt(seq, retxLimit)) {
                    retxNext = retxLimit;
                    continue;
                }
                int end = Seq.min(sacked.nextSacked(seq, retxLimit), seq + mss);
                long p = pipe();
                if (p > 0 && p + (end - seq) > cwnd) {
                    break;
                }
                transmit(seq, end, true);
                retxNext = end;
                continue;
            }
            long unsent = unsent();
            if (unsent > 0) {
                if (wnd - (nxt - una) <= 0) {
                    armPersist();
                    break;
                }
                int len = (int) Math.min(Math.min(mss, unsent), wnd - (nxt - una));
                long p = pipe();
                if (p > 0 && p + len > cwnd) {
                    break;
                }
                if (timedAt < 0 && !conn.timestamps()) {
                    timedSeq = nxt;
                    timedAt = System.nanoTime();
                }
                transmit(nxt, nxt + len, false);
                nxt += len;
                continue;
            }
            if (finQueued && !finSent) {
                finSeq = nxt;
                finSent = true;
                conn.emit(nxt, null, true);
                nxt++;
                conn.finSent();
            }
            break;
        }
        if (nxt != una) {
            conn.armRetransmit(rtt.rto());
        }
    }

    /** Sends {@code [seq, end)}: data from the queue, with FIN when it reaches the FIN's sequence. */
    private void transmit(int seq, int end, boolean retransmit) {
        boolean fin = finSent && Seq.ge(end, finSeq + 1) || finSent && seq == finSeq;
        int dataEnd = finSent && Seq.gt(end, finSeq) ? finSeq : end;
        int len = dataEnd - seq;
        ByteBuf payload = len > 0 ? slice(seq - una, len) : null;
        if (retransmit) {
            conn.counters().drop(dev.gangway.stack.stats.Layer.TCP, "retransmit");
            if (timedAt >= 0 && Seq.le(seq, timedSeq) && Seq.lt(timedSeq, end)) {
                timedAt = -1; // Karn: no sample from a retransmitted segment
            }
        }
        conn.emit(seq, payload, fin);
    }

    /**
     * {@code len} queued bytes from {@code offset}, holding references to the queue's components rather
     * than to the queue: a segment may still wait in the link's buffer when the guest acknowledges the
     * original and the queue drops (and renumbers) its acknowledged components.
     */
    private ByteBuf slice(int offset, int len) {
        var parts = queue.decompose(queue.readerIndex() + offset, len);
        if (parts.size() == 1) {
            return parts.getFirst().retain();
        }
        var payload = conn.alloc().compositeDirectBuffer(parts.size());
        for (var part : parts) {
            payload.addComponent(true, part.retain());
        }
        return payload;
    }

    /**
     * Processes the ACK fields of an acceptable segment. Returns false when it acknowledges data never
     * sent (the caller answers with an ACK and drops the segment).
     */
    boolean onAck(int seq, int ack, int window, int[] sackBlocks, boolean hasPayload, int tsEcr, boolean tsOn) {
        if (Seq.gt(ack, nxt)) {
            return false;
        }
        long newWnd = (long) window << shift;
        boolean windowChanged = false;
        if (Seq.lt(wl1, seq) || wl1 == seq && Seq.le(wl2, ack)) {
            windowChanged = newWnd != wnd;
            wnd = newWnd;
            wl1 = seq;
            wl2 = ack;
        }
        if (sackOn && sackBlocks != null) {
            for (int i = 0; i + 1 < sackBlocks.length; i += 2) {
                sacked.add(sackBlocks[i], sackBlocks[i + 1], Seq.max(una, ack), nxt);
            }
        }
        if (Seq.gt(ack, una)) {
            acked(ack, tsEcr, tsOn);
        } else if (ack == una && nxt != una && !hasPayload && !windowChanged) {
            dupAck();
        }
        if (persisting && wnd > 0) {
            persisting = false;
            rtt.resetBackoff();
        }
        return true;
    }

    private void acked(int ack, int tsEcr, boolean tsOn) {
        int ackedSeq = ack - una;
        int dataAcked = ackedSeq;
        if (finSent && Seq.gt(ack, finSeq)) {
            dataAcked--;
            finAcked = true;
        }
        if (dataAcked > 0) {
            queue.skipBytes(Math.min(dataAcked, queue.readableBytes()));
            queue.discardReadComponents();
        }
        una = ack;
        sacked.advance(una);
        if (Seq.lt(retxNext, una)) {
            retxNext = una;
        }
        if (Seq.lt(retxLimit, una)) {
            retxLimit = una;
        }
        if (tsOn && tsEcr != 0) {
            rtt.sample((conn.tsNow() - tsEcr) * 1_000_000L);
        } else if (timedAt >= 0 && Seq.gt(ack, timedSeq)) {
            rtt.sample(System.nanoTime() - timedAt);
            timedAt = -1;
        }
        rtt.resetBackoff();
        dupAcks = 0;
        if (inRecovery) {
            if (Seq.ge(ack, recover)) {
                inRecovery = false;
                cc.onRecoveryEnd();
            } else if (sacked.isEmpty()) {
                // NewReno partial ACK: the next unacknowledged segment was lost too.
                retxNext = una;
                retxLimit = Seq.max(retxLimit, Seq.min(una + mss, nxt));
            } else {
                retxLimit = Seq.max(retxLimit, lossBoundary());
            }
        } else {
            cc.onAck(ackedSeq, mss);
        }
        if (nxt == una) {
            conn.cancelRetransmit();
        } else {
            conn.restartRetransmit(rtt.rto());
        }
        if (!reading && queue.readableBytes() < bufferBytes / 2) {
            reading = true;
            conn.peerReading(true);
        }
    }

    private void dupAck() {
        dupAcks++;
        if (!inRecovery && (dupAcks >= 3 || sackOn && sacked.bytes() >= 3L * mss)) {
            inRecovery = true;
            recover = nxt;
            cc.onLoss(flight(), mss);
            conn.counters().drop(dev.gangway.stack.stats.Layer.TCP, "fast-retransmit");
            retxNext = una;
            // The first hole is retransmitted at once (RFC 6675 5.1 step 4), later ones once they are lost.
            retxLimit = Seq.max(Seq.min(una + mss, nxt), lossBoundary());
        } else if (inRecovery && !sacked.isEmpty()) {
            retxLimit = Seq.max(retxLimit, lossBoundary());
        }
    }

    /** Below this, unSACKed bytes are lost: three segments' worth were SACKed above them (RFC 6675 IsLost). */
    private int lossBoundary() {
        return Seq.min(sacked.lossBoundary(3L * mss, una), nxt);
    }

    /** The retransmission timer expired. Returns false when the connection should be given up. */
    boolean onTimeout() {
        if (cc == null) {
            return true;
        }
        if (nxt == una) {
            if (persisting) {
                conn.emitProbe();
                rtt.backOff();
                conn.armRetransmit(Math.min(MAX_PERSIST, rtt.rto()));
            }
            return true;
        }
        if (rtt.backoff() >= MAX_BACKOFF) {
            return false;
        }
        rtt.backOff();
        cc.onTimeout(flight(), mss);
        inRecovery = false;
        dupAcks = 0;
        timedAt = -1;
        retxNext = una;
        retxLimit = nxt;
        conn.counters().drop(dev.gangway.stack.stats.Layer.TCP, "timeout");
        output();
        conn.armRetransmit(rtt.rto());
        return true;
    }

    private void armPersist() {
        if (nxt == una && !persisting) {
            persisting = true;
            conn.armRetransmit(Math.min(MAX_PERSIST, rtt.rto()));
        }
    }

    /** One line of state for diagnostics: sequence numbers relative to the ISS. */
    String describe() {
        return "snd una=" + (una - iss) + " nxt=" + (nxt - iss) + " queued=" + queue.readableBytes() + " wnd=" + wnd
                + " cwnd=" + (cc == null ? 0 : cc.cwnd()) + " rto=" + rtt.rto() / 1_000_000 + "ms backoff="
                + rtt.backoff() + (inRecovery ? " recovery" : "") + (persisting ? " persisting" : "")
                + (reading ? "" : " peer-paused") + (finQueued ? " fin-queued" : "") + (finSent ? " fin-sent" : "")
                + (finAcked ? " fin-acked" : "");
    }

    /** Everything sent, including FIN, was acknowledged. */
    boolean allAcked() {
        return finAcked && queue.readableBytes() == 0;
    }

    void release() {
        queue.release();
    }
}
