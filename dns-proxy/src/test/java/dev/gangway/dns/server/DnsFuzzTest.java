package dev.gangway.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.dns.cache.CachedAnswer;
import dev.gangway.dns.lab.Messages;
import dev.gangway.dns.local.LocalRecord;
import dev.gangway.dns.upstream.Transport;
import dev.gangway.dns.wire.DnsHeader;
import dev.gangway.dns.wire.DnsName;
import dev.gangway.dns.wire.Query;
import dev.gangway.dns.wire.ReplyScan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of everything the proxy reads: queries over datagrams and streams, and upstream replies.
 * Nothing may escape as an exception, every reply must be a well-formed DNS response (Netty's own decoder
 * must accept it) carrying the query's ID, and every buffer allocated along the way must be released.
 */
class DnsFuzzTest {
    static final InetSocketAddress CLIENT = new InetSocketAddress("192.168.65.2", 40000);
    static final InetSocketAddress SELF = new InetSocketAddress("192.168.65.1", 53);
    static final int ROUNDS = 20_000;

    static Transport transport;
    static DnsServer server;

    @BeforeAll
    static void start() {
        transport = Transport.create(1, "fuzz-dns");
        server = new DnsServer(DnsConfig.builder().hostsFile(null).resolvConf(null)
                .record(LocalRecord.parse("big.test TXT " + "y".repeat(3000)))
                .record(LocalRecord.parse("alias.test CNAME host.docker.internal"))
                .record(LocalRecord.parse("_svc._tcp.test SRV 1 2 80 alias.test"))
                .build(), transport);
    }

    @AfterAll
    static void stop() {
        server.close();
        transport.close();
    }

    static List<byte[]> seeds() {
        var seeds = new ArrayList<byte[]>();
        for (String name : List.of("host.docker.internal", "gateway.docker.internal", "alias.test", "big.test",
                "_svc._tcp.test", "unknown.example", "254.65.168.192.in-addr.arpa")) {
            for (int type : new int[] {1, 28, 5, 16, 33, 12, 255}) {
                seeds.add(Messages.bytes(Messages.query(0x4242, name, type)));
                seeds.add(Messages.bytes(Messages.query(0x4343, name, type, true, true)));
            }
        }
        for (String hex : List.of(
                "abcd 0100 0001 0000 0000 0000 c00c 0001 0001", // pointer to itself
                "abcd 0100 0001 0000 0000 0000 c00e 0001 0001 c00c", // pointer forward
                "abcd 0100 0001 0000 0000 0000 01 61 c00c 0001 0001", // pointer back into the name
                "abcd 0100 ffff ffff ffff ffff 01 61 00 0001 0001", // every count at its maximum
                "abcd 0100 0001 0000 0000 0001 01 61 00 0001 0001 00 0029", // OPT cut short
                "abcd 0100 0001 0001 0000 0000 01 61 00 0001 0001 c00c 0001 0001 00000001 ffff", // rdata past end
                "abcd 0100 0001 0000 0000 0000 3f 61", // label longer than the message
                "abcd 0100 0001 0000 0000 0000 40 61 00 0001 0001", // reserved label type
                "abcd 0100 0001 0000 0000 0000 00 0001 0001", // the root
                "abcd 8100 0001 0000 0000 0000 00 0001 0001", // a response
                "abcd", "")) {
            seeds.add(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
        }
        return seeds;
    }

    @Test
    void datagramQueriesNeverEscapeAndAlwaysGetWellFormedReplies() {
        var alloc = new TrackingAllocator();
        var channel = new EmbeddedChannel(server.datagramHandler());
        channel.config().setAllocator(alloc);
        var decoder = new EmbeddedChannel(new DatagramDnsResponseDecoder());
        var random = new SplittableRandom(20261127);
        var seeds = seeds();
        int replies = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            ByteBuf in = alloc.buffer(input.length).writeBytes(input);
            channel.writeInbound(new DatagramPacket(in, SELF, CLIENT));
            channel.checkException();
            assertThat(in.refCnt()).as("input released").isZero();
            for (Object out; (out = channel.readOutbound()) != null; ) {
                replies++;
                var packet = (DatagramPacket) out;
                assertThat(packet.recipient()).isEqualTo(CLIENT);
                ByteBuf reply = packet.content();
                assertThat(reply.readableBytes()).isBetween(DnsHeader.LENGTH, 1232);
                assertThat(DnsHeader.flags(reply) & DnsHeader.FLAG_QR).isNotZero();
                assertThat(DnsHeader.id(reply)).isEqualTo(((input[0] & 0xff) << 8) | (input[1] & 0xff));
                ByteBuf question = questionOf(reply);
                boolean valid = DnsHeader.opcode(DnsHeader.flags(reply)) != 0
                        ? DnsHeader.anCount(reply) + DnsHeader.nsCount(reply) + DnsHeader.arCount(reply) == 0
                        : ReplyScan.scan(reply, question) != null;
                assertThat(valid).as("structurally valid reply to %s: %s", ByteBufUtil.hexDump(input),
                        ByteBufUtil.hexDump(reply)).isTrue();
                if (printable(question)) {
                    // Netty's decoder applies IDN rules to names, so it only judges printable ones
                    decoder.writeInbound(new DatagramPacket(reply, CLIENT, SELF));
                    decoder.checkException();
                    DatagramDnsResponse decoded = decoder.readInbound();
                    assertThat(decoded).isNotNull();
                    decoded.release();
                } else {
                    packet.release();
                }
            }
        }
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        assertThat(replies).isGreaterThan(ROUNDS / 4);
        assertThat(alloc.unreleased()).isZero();
        var c = server.counters();
        assertThat(c.formerr.sum() + c.dropped.sum()).isPositive();
        assertThat(c.localAnswers.sum()).isPositive();
        assertThat(c.internalErrors.sum()).isZero();
    }

    @Test
    void streamBytesNeverEscapeAndLeakNothing() {
        var alloc = new TrackingAllocator();
        var random = new SplittableRandom(7);
        var seeds = seeds();
        for (int conn = 0; conn < 300; conn++) {
            var channel = new EmbeddedChannel();
            channel.config().setAllocator(alloc);
            channel.pipeline().addLast(server.streamInitializer());
            for (int m = 0; m < 5 && channel.isOpen(); m++) {
                byte[] msg = mutate(seeds.get(random.nextInt(seeds.size())), random);
                ByteBuf frame = alloc.buffer();
                frame.writeShort(random.nextInt(20) == 0 ? random.nextInt(65536) : msg.length).writeBytes(msg);
                // deliver in random pieces, as TCP may
                while (frame.isReadable() && channel.isOpen()) {
                    int n = 1 + random.nextInt(frame.readableBytes());
                    channel.writeInbound(frame.readRetainedSlice(n));
                    channel.checkException();
                }
                frame.release();
            }
            for (Object out; (out = channel.readOutbound()) != null; ) {
                ByteBuf b = (ByteBuf) out;
                assertThat(b.readableBytes()).isGreaterThanOrEqualTo(2);
                b.release();
            }
            channel.finishAndReleaseAll();
        }
        assertThat(alloc.unreleased()).isZero();
        assertThat(server.counters().internalErrors.sum()).isZero();
    }

    @Test
    void upstreamRepliesNeverEscapeTheScanOrTheCache() {
        var random = new SplittableRandom(99);
        var query = (Query) Query.parse(Messages.query(77, "a.test", 1));
        var question = Unpooled.wrappedBuffer(query.question());
        var seeds = List.of(
                Messages.bytes(Messages.reply(1, 0, "a.test", 1, new long[] {300, 60, 5}, -1, 0)),
                Messages.bytes(Messages.reply(1, 3, "a.test", 1, new long[0], 300, 60)),
                Messages.bytes(Messages.reply(1, 0, "a.test", 1, new long[] {1}, 10, 10)));
        int scanned = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            ReplyScan scan = ReplyScan.scan(Unpooled.wrappedBuffer(input), question);
            if (scan == null) {
                continue;
            }
            scanned++;
            ByteBuf out = CachedAnswer.render(UnpooledByteBufAllocator.DEFAULT, input, scan.ttlOffsets(), scan.ttls(),
                    random.nextInt(1000), query, 65535);
            assertThat(DnsHeader.id(out)).isEqualTo(77);
            out.release();
        }
        assertThat(scanned).isPositive();
    }

    /** The question section of a reply (empty when it has none). */
    static ByteBuf questionOf(ByteBuf reply) {
        if (DnsHeader.qdCount(reply) == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        int end = DnsName.skipUncompressed(reply, DnsHeader.LENGTH, reply.writerIndex());
        assertThat(end).isPositive();
        return reply.slice(DnsHeader.LENGTH, end + 4 - DnsHeader.LENGTH);
    }

    /** Whether every label is letters, digits, '-' and '_' only (what Netty's IDN-checking decoder accepts). */
    static boolean printable(ByteBuf question) {
        int i = 0;
        while (i < question.readableBytes() && question.getUnsignedByte(i) != 0) {
            int len = question.getUnsignedByte(i);
            for (int k = 1; k <= len; k++) {
                int c = question.getUnsignedByte(i + k);
                if (!(Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '_')) {
                    return false;
                }
            }
            i += 1 + len;
        }
        return true;
    }

    /** One to four mutations: flip bits, overwrite a count, cut, duplicate a slice, or insert a pointer. */
    static byte[] mutate(byte[] seed, SplittableRandom random) {
        var b = new ArrayList<Byte>(seed.length + 8);
        for (byte x : seed) {
            b.add(x);
        }
        int mutations = random.nextInt(5);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (!b.isEmpty()) {
                        int i = random.nextInt(b.size());
                        b.set(i, (byte) (b.get(i) ^ (1 << random.nextInt(8))));
                    }
                }
                case 1 -> {
                    if (b.size() >= 12) {
                        int field = 4 + 2 * random.nextInt(4);
                        int v = random.nextInt(4) == 0 ? 0xffff : random.nextInt(4);
                        b.set(field, (byte) (v >> 8));
                        b.set(field + 1, (byte) v);
                    }
                }
                case 2 -> {
                    if (!b.isEmpty()) {
                        int cut = random.nextInt(b.size());
                        b.subList(cut, b.size()).clear();
                    }
                }
                case 3 -> {
                    if (b.size() > 2) {
                        int from = random.nextInt(b.size() - 1);
                        int len = 1 + random.nextInt(Math.min(16, b.size() - from));
                        b.addAll(random.nextInt(b.size()), new ArrayList<>(b.subList(from, from + len)));
                    }
                }
                case 4 -> {
                    if (b.size() > 13) {
                        int at = 12 + random.nextInt(b.size() - 13);
                        int target = random.nextInt(b.size());
                        b.set(at, (byte) (0xc0 | (target >> 8)));
                        b.set(at + 1, (byte) target);
                    }
                }
                default -> {
                    if (!b.isEmpty()) {
                        b.set(random.nextInt(b.size()), (byte) random.nextInt(256));
                    }
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    /** An allocator that remembers every buffer it made, to check that all were released. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> made = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        private synchronized ByteBuf track(ByteBuf b) {
            made.add(b);
            return b;
        }

        synchronized long unreleased() {
            return made.stream().filter(b -> b.refCnt() > 0).count();
        }
    }
}
