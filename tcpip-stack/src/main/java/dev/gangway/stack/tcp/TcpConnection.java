package dev.gangway.stack.tcp;

import dev.gangway.stack.iface.Gateway;
import dev.gangway.stack.stats.Counters;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.TcpOptions;
import dev.gangway.stack.wire.TcpPacket;
import dev.gangway.stack.wire.TcpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection between a guest and the stack (gVisor's {@code endpoint.go}): its state, the
 * {@link Sender} and {@link Receiver} halves, timestamps, the timer, and the peer the bytes go to. The
 * handshake lives in {@link Handshake}.
 *
 * <p>Closing follows the two halves independently: the guest's FIN shuts the peer's output down; the
 * peer's end of input queues our FIN after the data. When both FINs are acknowledged the connection ends;
 * if ours went first it lingers briefly in TIME_WAIT (no buffers, no peer) to absorb retransmitted FINs.
 * A RST from the guest aborts the peer; a peer that fails or vanishes makes us send RST.
 */
final class TcpConnection {
    enum State { CONNECTING, SYN_SENT, SYN_RECEIVED, ESTABLISHED, TIME_WAIT, CLOSED }

    /** SYN or SYN-ACK retransmissions before giving up (1 + 2 + 4 + 8 + 16 s). */
    static final int MAX_SYN_BACKOFF = 5;

    final TcpLink link;
    final TcpLink.FlowKey key;
    final Sender snd;
    final Receiver rcv;
    Peer peer;
    State state;
    boolean tsOn;
    boolean sackOn;
    boolean scaleOn;
    int tsRecent;
    private final int tsOffset;
    private boolean activeClose;
    boolean ackPending;
    boolean inFlushQueue;
    boolean blockedOnLink;
    long lastHeard;
    long lastActivity;
    private long lastProbe;
    private int probes;
    Promise<io.netty.channel.Channel> dialPromise;
    ServicePeer servicePeer;

    private ScheduledFuture<?> timer;
    private long timerAt;
    private long deadline = -1;
    long timeWaitUntil;

    TcpConnection(TcpLink link, TcpLink.FlowKey key, int rcvShift, int iss) {
        this.link = link;
        this.key = key;
        this.snd = new Sender(this, link.config().bufferBytes());
        this.rcv = new Receiver(this, link.config().bufferBytes(), rcvShift);
        this.tsOffset = link.random().nextInt();
        snd.init(iss);
        long now = System.nanoTime();
        lastHeard = now;
        lastActivity = now;
    }

    // ---- accessors used by the halves

    Counters counters() {
        return link.gateway().counters();
    }

    ByteBufAllocator alloc() {
        return link.gateway().alloc();
    }

    boolean timestamps() {
        return tsOn;
    }

    int tsNow() {
        return (int) (System.nanoTime() / 1_000_000L) + tsOffset;
    }

    long peerPending() {
        return peer == null ? 0 : peer.pendingBytes();
    }

    boolean linkWritable() {
        return link.writable();
    }

    void blockOnLink() {
        link.blockOnLink(this);
    }

    // ---- guest segments

    /** One segment for this connection; {@code buf} holds its payload at {@code payloadOffset}. */
    void onSegment(TcpRepr seg, ByteBuf buf, int payloadOffset) {
        long now = System.nanoTime();
        switch (state) {
            case CONNECTING -> {
                // The host connect is in progress; a retransmitted SYN waits for it, anything else is noise.
                if (!seg.has(TcpPacket.SYN) || seg.seq() != rcv.irs) {
                    counters().drop(Layer.TCP, "while-connecting");
                }
                return;
            }
            case SYN_SENT -> {
                Handshake.onSynSentSegment(this, seg);
                return;
            }
            case SYN_RECEIVED -> {
                if (seg.has(TcpPacket.RST)) {
                    if (Seq.inRange(seg.seq(), rcv.nxt, rcv.nxt + 65536)) {
                        abort(false, "reset by the guest");
                    }
                    return;
                }
                if (seg.has(TcpPacket.SYN)) {
                    if (seg.seq() == rcv.irs) {
                        Handshake.sendSynAck(this);
                    }
                    return;
                }
                if (!seg.has(TcpPacket.ACK_FLAG) || seg.ack() != snd.iss + 1) {
                    if (seg.has(TcpPacket.ACK_FLAG)) {
                        sendReset(seg.ack(), 0, false);
                    }
                    return;
                }
                Handshake.established(this, seg);
                if (state != State.ESTABLISHED) {
                    return;
                }
            }
            case TIME_WAIT -> {
                if (seg.has(TcpPacket.FIN) && !seg.has(TcpPacket.RST)) {
                    sendAck();
                }
                return;
            }
            case CLOSED -> {
                return;
            }
            case ESTABLISHED -> {
            }
        }
        lastHeard = now;
        lastActivity = now;
        probes = 0;
        synchronizedSegment(seg, buf, payloadOffset);
    }

    private void synchronizedSegment(TcpRepr seg, ByteBuf buf, int payloadOffset) {
        int len = seg.payloadLength();
        boolean fin = seg.has(TcpPacket.FIN);
        int segLen = len + (fin ? 1 : 0);
        if (!rcv.acceptable(seg.seq(), segLen)) {
            if (!seg.has(TcpPacket.RST)) {
                counters().drop(Layer.TCP, "out-of-window");
                // With our window closed, the guest's data at RCV.NXT is a window probe: its bytes cannot
                // be taken, but its ACK and window must be (RFC 9293 3.10.7.4), or two closed windows wait
                // on each other.
                if (rcv.window() == 0 && seg.seq() == rcv.nxt && seg.has(TcpPacket.ACK_FLAG)
                        && !seg.has(TcpPacket.SYN) && snd.onAck(seg.seq(), seg.ack(), seg.window(),
                                sackOn ? seg.options().sack() : null, true, seg.options().tsEcr(),
                                tsOn && seg.options().timestamps())) {
                    sendAck();
                    if (!(snd.finAcked && maybeFinished())) {
                        snd.output();
                    }
                    return;
                }
                sendAck();
            }
            return;
        }
        if (seg.has(TcpPacket.RST)) {
            if (seg.seq() == rcv.nxt) {
                abort(false, "reset by the guest");
            } else {
                sendAck(); // RFC 5961 challenge ACK
            }
            return;
        }
        if (seg.has(TcpPacket.SYN)) {
            sendAck(); // RFC 5961 challenge ACK
            return;
        }
        if (!seg.has(TcpPacket.ACK_FLAG)) {
            counters().drop(Layer.TCP, "no-ack");
            return;
        }
        var options = seg.options();
        if (tsOn && options.timestamps() && Seq.le(seg.seq(), rcv.nxt)) {
            tsRecent = options.tsVal();
        }
        if (!snd.onAck(seg.seq(), seg.ack(), seg.window(), sackOn ? options.sack() : null, len > 0,
                options.tsEcr(), tsOn && options.timestamps())) {
            counters().drop(Layer.TCP, "ack-unsent");
            sendAck();
            return;
        }
        if (snd.finAcked && maybeFinished()) {
            return;
        }
        if (segLen > 0) {
            boolean hadFin = rcv.finReceived;
            boolean now = rcv.receive(seg.seq(), buf, payloadOffset, len, fin);
            if (now) {
                sendAck();
            } else {
                ackPending = true;
                link.scheduleFlush(this);
            }
            if (!hadFin && rcv.finReceived) {
                if (!snd.finSent) {
                    activeClose = false;
                }
                if (peer != null) {
                    peer.flush();
                    peer.shutdownOutput();
                }
                if (maybeFinished()) {
                    return;
                }
            }
        }
        snd.output();
    }

    /** Guest bytes in order for the peer; ownership taken. */
    void deliver(ByteBuf data) {
        if (peer == null) {
            data.release();
            return;
        }
        counters().in(Layer.NAT, data.readableBytes());
        peer.write(data);
        link.scheduleFlush(this);
    }

    /** Called once per batch of guest frames: flushes the peer and sends the delayed ACK. */
    void flushBatch() {
        inFlushQueue = false;
        if (state == State.CLOSED) {
            return;
        }
        if (peer != null) {
            peer.flush();
        }
        if (ackPending) {
            sendAck();
        }
    }

    // ---- peer events

    void peerData(ByteBuf data) {
        if (state == State.CLOSED || state == State.TIME_WAIT || snd.finQueued) {
            data.release();
            return;
        }
        lastActivity = System.nanoTime();
        counters().out(Layer.NAT, data.readableBytes());
        snd.enqueue(data);
    }

    void peerReadComplete() {
        if (state == State.ESTABLISHED) {
            snd.output();
        }
    }

    void peerReading(boolean reading) {
        if (peer != null) {
            peer.setReading(reading);
        }
    }

    /** The peer will send nothing more: FIN after the queued bytes. */
    void peerEof() {
        if (state == State.CLOSED || state == State.TIME_WAIT || snd.finQueued) {
            return;
        }
        snd.queueFin();
        if (!rcv.finReceived) {
            activeClose = true;
        }
        if (state == State.ESTABLISHED) {
            snd.output();
        }
    }

    /** The peer took bytes: offer the guest a larger window when it is worth a segment. */
    void peerDrained() {
        if (state == State.ESTABLISHED && rcv.windowWorthUpdating()) {
            sendAck();
        }
    }

    /** The peer failed or vanished before the connection ended: the guest gets RST. */
    void peerFailed(String why) {
        if (state == State.CLOSED || state == State.TIME_WAIT) {
            return;
        }
        if (state == State.CONNECTING) {
            Handshake.refuse(this, new java.io.IOException(why));
            return;
        }
        counters().drop(Layer.TCP, "peer-reset");
        sendReset(snd.nxt, rcv.nxt, true);
        finish();
    }

    void finSent() {
        if (!rcv.finReceived) {
            activeClose = true;
        }
    }

    /** Ends the connection when both FINs are through. Returns true when it ended. */
    private boolean maybeFinished() {
        if (!rcv.finReceived || !snd.allAcked()) {
            return false;
        }
        if (activeClose) {
            if (peer != null) {
                peer.close();
                peer = null;
            }
            releaseBuffers();
            state = State.TIME_WAIT;
            timeWaitUntil = System.nanoTime() + link.config().timeWait().toNanos();
            cancelRetransmit();
            link.timeWait(this);
        } else {
            finish();
        }
        return true;
    }

    /** Aborts: the guest gets RST when {@code tellGuest}, the peer is aborted, the flow is forgotten. */
    void abort(boolean tellGuest, String why) {
        if (state == State.CLOSED) {
            return;
        }
        if (tellGuest && state != State.CONNECTING && state != State.TIME_WAIT) {
            sendReset(snd.nxt, rcv.nxt, true);
        }
        if (dialPromise != null) {
            dialPromise.tryFailure(new ConnectException(why));
        }
        if (peer != null) {
            peer.abort();
            peer = null;
        }
        finish();
    }

    /** Forgets the connection: releases buffers, closes the peer (if still there), leaves the table. */
    void finish() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (peer != null) {
            peer.close();
            peer = null;
        }
        if (dialPromise != null) {
            dialPromise.tryFailure(new IOException("connection closed before it was established"));
        }
        releaseBuffers();
        cancelRetransmit();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        link.remove(this);
    }

    private boolean released;

    private void releaseBuffers() {
        if (!released) {
            released = true;
            snd.release();
            rcv.clearHeld();
        }
    }

    // ---- output

    /** An established segment from {@code seq}: payload (ownership taken, may be null), FIN, ACK. */
    void emit(int seq, ByteBuf payload, boolean fin) {
        int flags = TcpPacket.ACK_FLAG | (fin ? TcpPacket.FIN : 0) | (payload != null ? TcpPacket.PSH : 0);
        int[] sack = sackOn ? rcv.sackBlocks(tsOn ? 3 : 4) : null;
        var options = tsOn || sack != null ? TcpOptions.established(tsOn, tsNow(), tsRecent, sack) : TcpOptions.NONE;
        send(flags, seq, rcv.nxt, rcv.windowField(), options, payload);
        ackPending = false;
        lastActivity = System.nanoTime();
    }

    void sendAck() {
        if (state == State.CLOSED) {
            return;
        }
        emit(snd.nxt, null, false);
    }

    /** A keepalive or zero-window probe: an ACK one byte below SND.UNA, which the guest must answer. */
    void emitProbe() {
        emit(snd.una - 1, null, false);
    }

    void sendReset(int seq, int ack, boolean withAck) {
        counters().out(Layer.TCP, TcpPacket.MIN_HEADER_LENGTH);
        send(TcpPacket.RST | (withAck ? TcpPacket.ACK_FLAG : 0), seq, withAck ? ack : 0, 0, TcpOptions.NONE, null);
    }

    void send(int flags, int seq, int ack, int window, TcpOptions options, ByteBuf payload) {
        link.send(key, flags, seq, ack, window, options, payload);
    }

    // ---- timer

    void armRetransmit(long delayNanos) {
        if (deadline < 0) {
            setDeadline(System.nanoTime() + delayNanos);
        }
    }

    void restartRetransmit(long delayNanos) {
        setDeadline(System.nanoTime() + delayNanos);
    }

    void cancelRetransmit() {
        deadline = -1;
    }

    private void setDeadline(long at) {
        deadline = at;
        if (timer == null || at - timerAt < 0) {
            if (timer != null) {
                timer.cancel(false);
            }
            timerAt = at;
            timer = link.loop().schedule(this::onTimer, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private void onTimer() {
        timer = null;
        if (deadline < 0 || state == State.CLOSED) {
            return;
        }
        long now = System.nanoTime();
        if (now - deadline < 0) {
            long at = deadline;
            deadline = -1;
            setDeadline(at);
            return;
        }
        deadline = -1;
        switch (state) {
            case SYN_SENT, SYN_RECEIVED -> Handshake.onTimeout(this);
            case ESTABLISHED -> {
                if (!snd.onTimeout()) {
                    counters().drop(Layer.TCP, "gave-up");
                    abort(true, "the guest stopped acknowledging");
                }
            }
            default -> {
            }
        }
    }

    /** Once a second: keepalive probes, the optional idle cut. */
    void tick(long now) {
        if (state != State.ESTABLISHED) {
            return;
        }
        var config = link.config();
        if (config.idleTimeout() != null && now - lastActivity >= config.idleTimeout().toNanos()) {
            counters().drop(Layer.TCP, "idle-timeout");
            abort(true, "idle timeout");
            return;
        }
        if (now - lastHeard >= config.keepaliveIdle().toNanos()
                && now - lastProbe >= config.keepaliveInterval().toNanos()) {
            if (probes >= config.keepaliveProbes()) {
                counters().drop(Layer.TCP, "keepalive-timeout");
                abort(true, "the guest stopped answering keepalives");
                return;
            }
            probes++;
            lastProbe = now;
            emitProbe();
        }
    }

    @Override
    public String toString() {
        return key + " " + state;
    }

    /** One line of state for diagnostics. */
    String describe() {
        return key + " " + state + "; " + snd.describe() + "; " + rcv.describe() + "; peer "
                + (peer == null ? "none" : peer.describe())
                + (blockedOnLink ? "; blocked on the link" : "");
    }

    Gateway gateway() {
        return link.gateway();
    }
}
