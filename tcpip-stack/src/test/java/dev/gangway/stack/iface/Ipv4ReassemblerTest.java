package dev.gangway.stack.iface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.stack.stats.Counters;
import dev.gangway.stack.wire.Ipv4Packet;
import dev.gangway.stack.wire.Ipv4Repr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Ipv4ReassemblerTest {
    static final int SRC = 0xC0A84102, DST = 0xC0A841FE;
    final Counters counters = new Counters();

    static Ipv4Repr fragment(int ident, int offset, int length, boolean more) {
        return new Ipv4Repr(SRC, DST, Ipv4Packet.PROTO_UDP, 64, ident, false, more, offset, 20, length);
    }

    static ByteBuf data(int length, int seed) {
        var bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return Unpooled.wrappedBuffer(bytes);
    }

    @Test
    void reassemblesOutOfOrderFragments() {
        var reassembler = new Ipv4Reassembler(PooledByteBufAllocator.DEFAULT, counters, 1 << 20,
                TimeUnit.SECONDS.toNanos(30));
        var whole = data(3000, 1);
        assertThat(reassembler.add(fragment(7, 1480, 1480, true), whole, 1480, 0)).isNull();
        assertThat(reassembler.add(fragment(7, 2960, 40, false), whole, 2960, 0)).isNull();
        var done = reassembler.add(fragment(7, 0, 1480, true), whole, 0, 0);
        assertThat(done).isNotNull();
        assertThat(done.header().payloadLength()).isEqualTo(3000);
        assertThat(done.header().isFragment()).isFalse();
        assertThat(done.payload()).isEqualTo(whole);
        done.payload().release();
        assertThat(reassembler.bytesHeld()).isZero();
    }

    @Test
    void overlapDiscardsTheDatagram() {
        var reassembler = new Ipv4Reassembler(PooledByteBufAllocator.DEFAULT, counters, 1 << 20,
                TimeUnit.SECONDS.toNanos(30));
        var whole = data(3000, 2);
        reassembler.add(fragment(8, 0, 1480, true), whole, 0, 0);
        assertThat(reassembler.add(fragment(8, 1472, 1480, true), whole, 1472, 0)).isNull();
        assertThat(counters.drops("ipv4/fragment-overlap")).isEqualTo(1);
        assertThat(reassembler.bytesHeld()).isZero();
        assertThat(reassembler.datagramsHeld()).isZero();
    }

    /** Acceptance 7: a flood of incomplete fragments never holds more than the configured bound. */
    @Test
    void floodOfIncompleteFragmentsStaysWithinTheBound() {
        int bound = 256 * 1024;
        var alloc = new PooledByteBufAllocator(true);
        var reassembler = new Ipv4Reassembler(alloc, counters, bound, TimeUnit.SECONDS.toNanos(30));
        var piece = data(1480, 3);
        long maxHeld = 0;
        for (int ident = 0; ident < 20_000; ident++) {
            reassembler.add(fragment(ident, (ident % 40) * 1480, 1480, true), piece, 0, ident);
            maxHeld = Math.max(maxHeld, reassembler.bytesHeld());
            assertThat(alloc.metric().usedDirectMemory()).isLessThanOrEqualTo(bound + 4L * 1024 * 1024);
        }
        assertThat(maxHeld).isLessThanOrEqualTo(bound);
        assertThat(reassembler.datagramsHeld()).isLessThanOrEqualTo(Ipv4Reassembler.MAX_DATAGRAMS);
        assertThat(counters.drops("ipv4/reassembly-evicted")).isGreaterThan(19_000);
        var whole = data(bound + 8, 4);
        assertThat(reassembler.add(fragment(99_999, 0, bound + 8, true), whole, 0, 0)).isNull();
        assertThat(counters.drops("ipv4/reassembly-full")).isEqualTo(1);
        reassembler.expire(TimeUnit.SECONDS.toNanos(60));
        assertThat(reassembler.bytesHeld()).isZero();
        assertThat(counters.drops("ipv4/reassembly-timeout")).isPositive();
    }
}
