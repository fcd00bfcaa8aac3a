package dev.gangway.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.stack.link.GuestClient;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import dev.gangway.stack.link.TestFrames;
import dev.gangway.stack.wire.Checksum;
import dev.gangway.stack.wire.DhcpOptions;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.MacAddress;
import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 6: more than a million malformed frames (truncated headers, bad lengths, bad checksums,
 * fragment overlaps, huge DHCP options, random bytes) go through a real QEMU stream link into the stack.
 * Nothing escapes (the link stays up and answers afterwards), every bad frame is counted by reason, and
 * the leak detector (PARANOID in tests) reports no ByteBuf leak. Guests are restricted to the host alias,
 * so no mutated datagram can leave the machine.
 */
class StackFuzzTest {
    static final int FRAMES = 1_000_000;
    static final MacAddress GUEST = MacAddress.parse("02:00:00:00:0f:01");
    static final int GUEST_IP = Ipv4Address.parse("192.168.65.2");

    @TempDir
    Path dir;

    @Test
    void millionMalformedFramesAreDroppedAndCountedWithoutLeaks() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "unix socket links need native epoll (Linux)");
        var leaks = new CopyOnWriteArrayList<String>();
        var field = AbstractByteBuf.class.getDeclaredField("leakDetector");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        var detector = (ResourceLeakDetector<Object>) field.get(null);
        detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));

        var events = new CopyOnWriteArrayList<String>();
        var config = NetworkConfig.defaults().withHostOnly(true).withUdp(Duration.ofSeconds(90), 64);
        try (var stack = NetworkStack.start(config, null, events::add)) {
            var spec = LinkSpec.parse("qemu:unix:" + dir.resolve("fuzz.sock"));
            var server = LinkServer.open(spec, stack, stack.group(), stack.epoll());
            try (server; var guest = GuestClient.qemu(dir.resolve("fuzz.sock"))) {
                guest.discardReceived(true);
                var random = new Random(20261127);
                var seeds = seeds();
                var batch = new ByteArrayOutputStream(1 << 20);
                for (int i = 0; i < FRAMES; i++) {
                    var frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
                    batch.write(frame.length >>> 24);
                    batch.write(frame.length >>> 16);
                    batch.write(frame.length >>> 8);
                    batch.write(frame.length);
                    batch.write(frame);
                    if (batch.size() > (1 << 20) - 2048) {
                        try {
                            guest.sendRaw(batch.toByteArray());
                        } catch (java.io.IOException e) {
                            throw new AssertionError("the stack closed the link after " + i + " frames: " + events, e);
                        }
                        batch.reset();
                    }
                }
                guest.sendRaw(batch.toByteArray());
                guest.discardReceived(false);
                guest.send(TestFrames.dhcp(GUEST, DhcpOptions.DISCOVER, 0x5eed, 0));
                var offer = guest.await(f -> TestFrames.dhcpReply(f) != null && TestFrames.dhcpReply(f).xid() == 0x5eed,
                        Duration.ofSeconds(60));
                assertThat(offer).as("the link still answers after the flood").isNotNull();
            }
            var counters = stack.counters();
            assertThat(events).noneMatch(e -> e.startsWith("link error"));
            assertThat(counters.framesIn(dev.gangway.stack.stats.Layer.LINK)).isGreaterThan(FRAMES);
            for (var reason : List.of("ipv4/bad-checksum", "ipv4/bad-length", "ipv4/bad-header-length",
                    "ipv4/bad-version", "ipv4/fragment-overlap", "udp/bad-checksum", "udp/bad-length",
                    "icmp/bad-checksum", "dhcp/bad-options", "arp/truncated", "ipv4/restricted", "link/frame-too-long")) {
                assertThat(counters.drops(reason)).as(reason).isPositive();
            }
            assertThat(counters.totalDrops()).isGreaterThan(FRAMES / 2);
            System.out.println("fuzz counters: " + counters.snapshot());
        }
        for (int round = 0; round < 5 && leaks.isEmpty(); round++) {
            System.gc();
            Thread.sleep(100);
            for (int i = 0; i < 100; i++) {
                ByteBufAllocator.DEFAULT.directBuffer(16).release();
                Unpooled.directBuffer(16).release();
            }
        }
        assertThat(leaks).as("ByteBuf leaks").isEmpty();
    }

    static List<byte[]> seeds() {
        var seeds = new ArrayList<byte[]>();
        seeds.add(TestFrames.arpRequest(GUEST, GUEST_IP, TestFrames.GATEWAY));
        seeds.add(TestFrames.dhcp(GUEST, DhcpOptions.DISCOVER, 1, 0));
        seeds.add(TestFrames.dhcp(GUEST, DhcpOptions.REQUEST, 2, GUEST_IP));
        seeds.add(TestFrames.udp(GUEST, TestFrames.GATEWAY_MAC, GUEST_IP, TestFrames.GATEWAY, 5000, 53, new byte[40]));
        seeds.add(TestFrames.udp(GUEST, TestFrames.GATEWAY_MAC, GUEST_IP, TestFrames.ALIAS, 5001, 9, new byte[20]));
        seeds.add(TestFrames.udp(GUEST, TestFrames.GATEWAY_MAC, GUEST_IP, Ipv4Address.parse("198.51.100.7"), 5002, 9,
                new byte[8]));
        var echo = TestFrames.udp(GUEST, TestFrames.GATEWAY_MAC, GUEST_IP, TestFrames.GATEWAY, 0, 0, new byte[32]);
        echo[23] = 1;
        echo[34] = 8;
        echo[35] = 0;
        fixIcmp(echo);
        fixIp(echo);
        seeds.add(echo);
        return seeds;
    }

    static byte[] mutate(byte[] seed, Random random) {
        var frame = seed.clone();
        int kind = random.nextInt(10);
        switch (kind) {
            case 0 -> frame = java.util.Arrays.copyOf(frame, 14 + random.nextInt(frame.length - 13));
            case 1 -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    frame[12 + random.nextInt(frame.length - 12)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 2 -> {
                if (frame.length > 18) {
                    frame[16] = (byte) random.nextInt(256);
                    frame[17] = (byte) random.nextInt(256);
                    fixIp(frame);
                }
            }
            case 3 -> {
                if (frame.length > 15) {
                    frame[14] = (byte) (0x40 | random.nextInt(16));
                    if (random.nextBoolean()) {
                        frame[14] = (byte) random.nextInt(256);
                    }
                    fixIp(frame);
                }
            }
            case 4 -> {
                if (frame.length > 26) {
                    frame[24] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 5 -> frame[frame.length - 1] ^= (byte) (1 + random.nextInt(255));
            case 6 -> {
                if (frame.length > 34 && frame[12] == 8 && frame[13] == 0) {
                    int offset = random.nextInt(4) * 2;
                    boolean more = random.nextBoolean();
                    frame[18] = (byte) (random.nextInt(0x10000) & 0xFF);
                    frame[19] = (byte) random.nextInt(4);
                    frame[20] = (byte) ((more ? 0x20 : 0) | (offset >>> 8));
                    frame[21] = (byte) offset;
                    if (random.nextBoolean()) {
                        int payload = ((frame.length - 34) & ~7);
                        frame = java.util.Arrays.copyOf(frame, 34 + Math.max(8, payload));
                        int total = frame.length - 14;
                        frame[16] = (byte) (total >>> 8);
                        frame[17] = (byte) total;
                    }
                    fixIp(frame);
                }
            }
            case 7 -> frame = hugeDhcpOptions(random);
            case 8 -> {
                var garbage = new byte[14 + random.nextInt(200)];
                random.nextBytes(garbage);
                System.arraycopy(frame, 0, garbage, 0, 12);
                garbage[12] = 8;
                garbage[13] = (byte) (random.nextBoolean() ? 0 : 6);
                frame = garbage;
            }
            default -> {
                // an unmodified seed now and then keeps the valid paths busy too
            }
        }
        return frame;
    }

    static byte[] hugeDhcpOptions(Random random) {
        var base = TestFrames.dhcp(GUEST, DhcpOptions.DISCOVER, random.nextInt(), 0);
        int optionsStart = 42 + 240;
        int length = random.nextInt(1400);
        var frame = java.util.Arrays.copyOf(base, optionsStart + 3 + length);
        frame[optionsStart] = 53;
        frame[optionsStart + 1] = 1;
        frame[optionsStart + 2] = 1;
        for (int i = optionsStart + 3; i < frame.length; i++) {
            frame[i] = (byte) random.nextInt(256);
        }
        int udpLength = frame.length - 34;
        frame[38] = (byte) (udpLength >>> 8);
        frame[39] = (byte) udpLength;
        frame[40] = 0;
        frame[41] = 0;
        int total = frame.length - 14;
        frame[16] = (byte) (total >>> 8);
        frame[17] = (byte) total;
        fixIp(frame);
        return frame;
    }

    static void fixIp(byte[] frame) {
        if (frame.length < 34) {
            return;
        }
        int ihl = (frame[14] & 0x0F) * 4;
        if (ihl < 20 || 14 + ihl > frame.length) {
            return;
        }
        frame[24] = 0;
        frame[25] = 0;
        int sum = Checksum.of(Unpooled.wrappedBuffer(frame), 14, ihl);
        frame[24] = (byte) (sum >>> 8);
        frame[25] = (byte) sum;
    }

    static void fixIcmp(byte[] frame) {
        frame[36] = 0;
        frame[37] = 0;
        int sum = Checksum.of(Unpooled.wrappedBuffer(frame), 34, frame.length - 34);
        frame[36] = (byte) (sum >>> 8);
        frame[37] = (byte) sum;
    }
}
