package dev.gangway.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.dns.lab.Messages;
import dev.gangway.dns.lab.ProxyUnderTest;
import dev.gangway.dns.wire.DnsHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the proxy sends upstream, seen by a stand-in upstream socket on loopback that records each query
 * and answers it: fresh random IDs and source ports, the client's RD/CD/DO passed on, an OPT record only
 * when the client sent one and without the client's options; and the client's own ID in the reply.
 */
class UpstreamQueryTest {
    record Seen(int id, int sourcePort, byte[] query) {
    }

    @Test
    void queriesUpstreamUseFreshIdsAndPortsAndCarryTheClientsEdnsBits() throws Exception {
        try (var upstream = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                var proxy = new ProxyUnderTest(DnsConfig.builder().hostsFile(null)
                        .upstream((InetSocketAddress) upstream.getLocalSocketAddress())
                        .serverTimeout(Duration.ofSeconds(3)).totalTimeout(Duration.ofSeconds(3)).build());
                var client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(5000);
            upstream.setSoTimeout(5000);
            var seen = new ArrayList<Seen>();
            for (int i = 0; i < 20; i++) {
                boolean edns = i % 2 == 0;
                ByteBuf q = Messages.query(4242, "n" + i + ".test", 1, edns, edns);
                if (edns) {
                    // a client cookie option (RFC 7873) in the OPT record: it must not travel upstream
                    q.setShort(q.writerIndex() - 2, 12);
                    q.writeShort(10).writeShort(8).writeLong(0x0102030405060708L);
                }
                byte[] bytes = Messages.bytes(q);
                client.send(new DatagramPacket(bytes, bytes.length, proxy.address()));

                var buf = new byte[2048];
                var packet = new DatagramPacket(buf, buf.length);
                upstream.receive(packet);
                byte[] upstreamQuery = java.util.Arrays.copyOf(buf, packet.getLength());
                int id = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
                seen.add(new Seen(id, packet.getPort(), upstreamQuery));
                byte[] reply = Messages.bytes(Messages.reply(id, 0, "n" + i + ".test", 1, new long[] {60}, -1, 0));
                upstream.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));

                var answer = new DatagramPacket(new byte[2048], 2048);
                client.receive(answer);
                ByteBuf a = Unpooled.wrappedBuffer(answer.getData(), 0, answer.getLength());
                assertThat(DnsHeader.id(a)).isEqualTo(4242);
                assertThat(DnsHeader.anCount(a)).isEqualTo(1);

                ByteBuf u = Unpooled.wrappedBuffer(upstreamQuery);
                assertThat(DnsHeader.flags(u) & DnsHeader.FLAG_RD).isNotZero();
                assertThat(DnsHeader.arCount(u)).isEqualTo(edns ? 1 : 0);
                if (edns) {
                    int opt = u.writerIndex() - 11;
                    assertThat(u.getUnsignedShort(opt + 1)).as("OPT type").isEqualTo(41);
                    assertThat(u.getInt(opt + 5) & 0x8000).as("DO bit").isNotZero();
                    assertThat(u.getUnsignedShort(opt + 9)).as("no client options").isZero();
                }
            }
            List<Integer> ids = seen.stream().map(Seen::id).toList();
            assertThat(new HashSet<>(ids)).hasSizeGreaterThan(15);
            // one query at a time goes round the pool of 16 sockets per server, each on its own random port
            assertThat(new HashSet<>(seen.stream().map(Seen::sourcePort).toList())).hasSizeGreaterThanOrEqualTo(16);
            assertThat(proxy.server.counters().upstreamQueries.sum()).isEqualTo(20);
        }
    }
}
