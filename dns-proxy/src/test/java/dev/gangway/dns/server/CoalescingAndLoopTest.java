package dev.gangway.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gangway.dns.lab.Messages;
import dev.gangway.dns.lab.ProxyUnderTest;
import dev.gangway.dns.wire.DnsHeader;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Request coalescing, counted at a stand-in upstream on loopback that only counts queries and answers the
 * first one late; and a forwarding loop (a relay that sends our upstream query straight back to us).
 */
class CoalescingAndLoopTest {
    static final int CLIENTS = 20;

    @Test
    void identicalQuestionsInFlightCauseOneUpstreamQuery() throws Exception {
        try (var upstream = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            var received = new AtomicInteger();
            try (var proxy = new ProxyUnderTest(DnsConfig.builder().hostsFile(null)
                    .upstream((InetSocketAddress) upstream.getLocalSocketAddress())
                    .serverTimeout(Duration.ofSeconds(5)).totalTimeout(Duration.ofSeconds(5)).build())) {
                var answering = Thread.ofPlatform().start(() -> answerFirstWhenAllWait(upstream, received, proxy));
                var clients = new ArrayList<DatagramSocket>();
                for (int i = 0; i < CLIENTS; i++) {
                    var client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                    client.setSoTimeout(5000);
                    clients.add(client);
                    send(client, proxy.address(), Messages.bytes(Messages.query(1000 + i, i % 2 == 0 ? "same.test"
                            : "SAME.test", 1)));
                }
                // the first client retransmits while the question is in flight: it must get one reply
                send(clients.getFirst(), proxy.address(), Messages.bytes(Messages.query(1000, "same.test", 1)));
                for (int i = 0; i < CLIENTS; i++) {
                    var reply = receive(clients.get(i));
                    assertThat(DnsHeader.id(Unpooled.wrappedBuffer(reply))).isEqualTo(1000 + i);
                    assertThat(DnsHeader.anCount(Unpooled.wrappedBuffer(reply))).isEqualTo(1);
                }
                answering.join();
                assertThat(received).hasValue(1);
                assertThat(proxy.server.counters().coalesced.sum()).isEqualTo(CLIENTS);
                clients.getFirst().setSoTimeout(500);
                assertThatThrownBy(() -> receive(clients.getFirst())).isInstanceOf(SocketTimeoutException.class);
                clients.forEach(DatagramSocket::close);
            }
        }
    }

    @Test
    void ourOwnQueryComingBackIsRefused() throws Exception {
        try (var relay = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            try (var proxy = new ProxyUnderTest(DnsConfig.builder().hostsFile(null)
                    .upstream((InetSocketAddress) relay.getLocalSocketAddress())
                    .serverTimeout(Duration.ofSeconds(2)).totalTimeout(Duration.ofSeconds(3)).build())) {
                var relaying = Thread.ofPlatform().start(() -> relay(relay, proxy.address()));
                try (var client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                    client.setSoTimeout(5000);
                    send(client, proxy.address(), Messages.bytes(Messages.query(7, "loop.test", 1)));
                    var reply = Unpooled.wrappedBuffer(receive(client));
                    assertThat(DnsHeader.id(reply)).isEqualTo(7);
                    assertThat(DnsHeader.rcode(DnsHeader.flags(reply))).isEqualTo(DnsHeader.RCODE_REFUSED);
                }
                assertThat(proxy.server.counters().loops.sum()).isEqualTo(1);
                relay.close();
                relaying.join();
            }
        }
    }

    private static void answerFirstWhenAllWait(DatagramSocket upstream, AtomicInteger received, ProxyUnderTest proxy) {
        try {
            upstream.setSoTimeout(1000);
            var buf = new byte[2048];
            var packet = new DatagramPacket(buf, buf.length);
            upstream.receive(packet);
            received.incrementAndGet();
            int id = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server.counters().coalesced.sum() == CLIENTS);
            byte[] reply = Messages.bytes(Messages.reply(id, 0, "same.test", 1, new long[] {60}, -1, 0));
            upstream.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            while (true) {
                try {
                    upstream.receive(new DatagramPacket(buf, buf.length));
                    received.incrementAndGet();
                } catch (SocketTimeoutException e) {
                    return;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends what the proxy asks upstream back to the proxy's own address, and the answer back again. */
    private static void relay(DatagramSocket relay, InetSocketAddress proxy) {
        var buf = new byte[2048];
        SocketAddress asker = null;
        while (!relay.isClosed()) {
            try {
                var p = new DatagramPacket(buf, buf.length);
                relay.receive(p);
                if (p.getSocketAddress().equals(proxy)) {
                    if (asker != null) {
                        relay.send(new DatagramPacket(buf, p.getLength(), asker));
                    }
                } else {
                    asker = p.getSocketAddress();
                    relay.send(new DatagramPacket(buf, p.getLength(), proxy));
                }
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    private static void send(DatagramSocket s, InetSocketAddress to, byte[] msg) throws java.io.IOException {
        s.send(new DatagramPacket(msg, msg.length, to));
    }

    private static byte[] receive(DatagramSocket s) throws java.io.IOException {
        var buf = new byte[4096];
        var p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return java.util.Arrays.copyOf(buf, p.getLength());
    }
}
