package dev.gangway.stack.tcp;

import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.Checksum;
import dev.gangway.stack.wire.IcmpPacket;
import dev.gangway.stack.wire.Ipv4Packet;
import dev.gangway.stack.wire.TcpOptions;
import dev.gangway.stack.wire.TcpPacket;
import dev.gangway.stack.wire.TcpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening connections (gVisor's {@code accept.go} and {@code connect.go}).
 *
 * <p>Passive open (the guest connects): the guest's SYN starts a non-blocking connect from the host to
 * the destination; the guest gets SYN-ACK only once the host connect succeeded, and RST at once when it
 * was refused, unreachable or timed out, so that the guest's {@code connect()} reports what a direct
 * connection would (an unreachable destination gets ICMP destination unreachable by default, see
 * {@link TcpConfig#unreachable}). A SYN for a service bound on the gateway is answered at once. Retransmitted SYNs
 * wait for the host connect; the SYN-ACK is retransmitted with backoff.
 *
 * <p>Active open (a dial into the guest): SYN from the dial's source; SYN-ACK establishes; RST fails the
 * dial with "connection refused"; no answer after {@value TcpConnection#MAX_SYN_BACKOFF} retransmissions
 * fails it with a timeout.
 *
 * <p>Options: MSS from the link MTU (up to 65480 at MTU 65520), window scaling, SACK-permitted and
 * timestamps, each on only when both sides offer it.
 */
final class Handshake {
    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);
    private static final AtomicLong LAST_FAILURE_LOG = new AtomicLong(System.nanoTime() - 20_000_000_000L);
    /** Below this the guest's MSS is raised: tiny segments would only cost us per-segment work. */
    static final int MIN_MSS = 88;

    private Handshake() {
    }

    /** A connection for the guest's SYN, options negotiated, in state CONNECTING. */
    static TcpConnection fromSyn(TcpLink link, TcpLink.FlowKey key, TcpRepr syn) {
        var options = syn.options();
        boolean scale = options.windowScale() >= 0;
        var conn = new TcpConnection(link, key, scale ? link.config().windowScale() : 0, link.random().nextInt());
        conn.rcv.init(syn.seq());
        conn.scaleOn = scale;
        conn.snd.shift = scale ? options.windowScale() : 0;
        conn.tsOn = options.timestamps();
        conn.tsRecent = options.tsVal();
        conn.sackOn = options.sackPermitted();
        conn.snd.sackOn = conn.sackOn;
        conn.snd.mss = effectiveMss(link, options.mss(), conn.tsOn);
        conn.state = TcpConnection.State.CONNECTING;
        return conn;
    }

    static int effectiveMss(TcpLink link, int peerMss, boolean timestamps) {
        int ours = ourMss(link);
        int theirs = peerMss == 0 ? 536 : Math.max(MIN_MSS, peerMss);
        return Math.min(ours, theirs) - (timestamps ? 12 : 0);
    }

    static int ourMss(TcpLink link) {
        return link.gateway().config().mtu() - 40;
    }

    /** The host side is ready (or the service listens): answer the guest's SYN. */
    static void accepted(TcpConnection conn) {
        if (conn.state != TcpConnection.State.CONNECTING) {
            return;
        }
        conn.state = TcpConnection.State.SYN_RECEIVED;
        sendSynAck(conn);
    }

    static void sendSynAck(TcpConnection conn) {
        var link = conn.link;
        var options = TcpOptions.syn(ourMss(link), conn.scaleOn ? conn.rcv.shift : -1, conn.sackOn, conn.tsOn,
                conn.tsNow(), conn.tsRecent);
        conn.send(TcpPacket.SYN | TcpPacket.ACK_FLAG, conn.snd.iss, conn.rcv.nxt,
                (int) Math.min(65535, link.config().bufferBytes()), options, null);
        conn.armRetransmit(conn.snd.rtt.rto());
    }

    /** The guest acknowledged our SYN (passive or active open): the connection is established. */
    static void established(TcpConnection conn, TcpRepr seg) {
        conn.snd.established(seg.window() << conn.snd.shift, seg.seq(), seg.ack());
        conn.state = TcpConnection.State.ESTABLISHED;
        conn.snd.rtt.resetBackoff();
        conn.cancelRetransmit();
        if (conn.servicePeer != null) {
            conn.servicePeer.activate();
        }
        if (conn.peer != null) {
            conn.peer.setReading(true);
        }
        if (conn.dialPromise != null && conn.servicePeer != null) {
            conn.dialPromise.trySuccess(conn.servicePeer.channel());
            conn.dialPromise = null;
        }
    }

    /**
     * The host connect for the guest's SYN failed. A refusal becomes a RST; a destination the host cannot
     * reach (no route, network unreachable, connect timeout) becomes what {@link TcpConfig#unreachable}
     * says: ICMP destination unreachable quoting the SYN, or a RST.
     */
    static void refuse(TcpConnection conn, Throwable cause) {
        int icmpCode = unreachableCode(cause);
        if (icmpCode >= 0) {
            conn.counters().drop(Layer.TCP, "host-unreachable");
        } else if (String.valueOf(cause == null ? null : cause.getMessage()).contains("refused")) {
            conn.counters().drop(Layer.TCP, "host-refused");
        } else {
            // Neither a refusal nor unreachable (no local port left, out of descriptors, ...): the guest
            // still sees a refusal, and the host's reason is logged (rate-limited) and counted apart.
            conn.counters().drop(Layer.TCP, "host-connect-failed");
            long now = System.nanoTime();
            long last = LAST_FAILURE_LOG.get();
            if (now - last > 10_000_000_000L && LAST_FAILURE_LOG.compareAndSet(last, now)) {
                LOG.warn("tcp: host connect for {} failed: {}; the guest gets RST", conn.key, String.valueOf(cause));
            }
        }
        if (icmpCode >= 0 && conn.link.config().unreachable() == TcpConfig.Unreachable.ICMP) {
            var key = conn.key;
            conn.link.gateway().sendIcmp(key.localIp(), key.guestIp(), IcmpPacket.TYPE_DEST_UNREACHABLE, icmpCode, 0,
                    quoteSyn(key, conn.rcv.irs));
        } else {
            conn.send(TcpPacket.RST | TcpPacket.ACK_FLAG, 0, conn.rcv.nxt, 0, TcpOptions.NONE, null);
        }
        conn.finish();
    }

    /**
     * The ICMP code for a host connect failure that means "unreachable", or -1 for a refusal (and for any
     * other failure, which the guest also sees as a refusal). Netty's epoll transport reports errno as
     * the exception's type or message; the JDK's transport as the type.
     */
    static int unreachableCode(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return IcmpPacket.CODE_HOST_UNREACHABLE;
        }
        String message = String.valueOf(cause == null ? null : cause.getMessage());
        if (message.contains("Network is unreachable") || message.contains("ENETUNREACH")) {
            return IcmpPacket.CODE_NET_UNREACHABLE;
        }
        if (cause instanceof NoRouteToHostException || message.contains("No route to host")
                || message.contains("EHOSTUNREACH")) {
            return IcmpPacket.CODE_HOST_UNREACHABLE;
        }
        return -1;
    }

    /**
     * What an ICMP error about the guest's SYN quotes (RFC 792): the SYN's IPv4 header (rebuilt: the frame
     * itself is long gone) and the first 8 bytes of its TCP header, ports and sequence number, which is
     * what the guest's kernel matches the error against.
     */
    private static ByteBuf quoteSyn(TcpLink.FlowKey key, int guestIss) {
        var quote = Unpooled.buffer(28, 28);
        quote.writeByte(0x45).writeByte(0).writeShort(40 + 20).writeShort(0).writeShort(0x4000)
                .writeByte(64).writeByte(Ipv4Packet.PROTO_TCP).writeShort(0)
                .writeInt(key.guestIp()).writeInt(key.localIp());
        quote.setShort(10, Checksum.of(quote, 0, 20));
        quote.writeShort(key.guestPort()).writeShort(key.localPort()).writeInt(guestIss);
        return quote;
    }

    /** Active open: a connection in SYN_SENT whose SYN has been sent. */
    static TcpConnection activeOpen(TcpLink link, TcpLink.FlowKey key) {
        var conn = new TcpConnection(link, key, link.config().windowScale(), link.random().nextInt());
        conn.tsOn = true;
        conn.sackOn = true;
        conn.snd.sackOn = true;
        conn.state = TcpConnection.State.SYN_SENT;
        sendSyn(conn);
        return conn;
    }

    private static void sendSyn(TcpConnection conn) {
        var options = TcpOptions.syn(ourMss(conn.link), conn.rcv.shift, true, true, conn.tsNow(), 0);
        conn.send(TcpPacket.SYN, conn.snd.iss, 0, (int) Math.min(65535, conn.link.config().bufferBytes()), options,
                null);
        conn.armRetransmit(conn.snd.rtt.rto());
    }

    /** A segment for a connection in SYN_SENT (RFC 9293 3.10.7.3). */
    static void onSynSentSegment(TcpConnection conn, TcpRepr seg) {
        boolean ackOk = seg.has(TcpPacket.ACK_FLAG) && seg.ack() == conn.snd.iss + 1;
        if (seg.has(TcpPacket.ACK_FLAG) && !ackOk) {
            if (!seg.has(TcpPacket.RST)) {
                conn.sendReset(seg.ack(), 0, false);
            }
            return;
        }
        if (seg.has(TcpPacket.RST)) {
            if (ackOk) {
                conn.abort(false, "connection refused by the guest");
            }
            return;
        }
        if (!seg.has(TcpPacket.SYN) || !ackOk) {
            return;
        }
        var options = seg.options();
        conn.rcv.init(seg.seq());
        if (options.windowScale() >= 0) {
            conn.snd.shift = options.windowScale();
        } else {
            conn.snd.shift = 0;
            conn.rcv.shift = 0;
        }
        conn.tsOn = options.timestamps();
        conn.tsRecent = options.tsVal();
        conn.sackOn = options.sackPermitted();
        conn.snd.sackOn = conn.sackOn;
        conn.snd.mss = effectiveMss(conn.link, options.mss(), conn.tsOn);
        established(conn, seg);
        conn.sendAck();
    }

    /** SYN or SYN-ACK retransmission timer. */
    static void onTimeout(TcpConnection conn) {
        var rtt = conn.snd.rtt;
        if (rtt.backoff() >= TcpConnection.MAX_SYN_BACKOFF) {
            conn.counters().drop(Layer.TCP, "handshake-timeout");
            if (conn.dialPromise != null) {
                conn.dialPromise.tryFailure(new ConnectException("the guest did not answer the SYN (timed out)"));
            }
            conn.abort(conn.state == TcpConnection.State.SYN_RECEIVED, "handshake timed out");
            return;
        }
        rtt.backOff();
        if (conn.state == TcpConnection.State.SYN_SENT) {
            sendSyn(conn);
        } else {
            sendSynAck(conn);
        }
    }
}
