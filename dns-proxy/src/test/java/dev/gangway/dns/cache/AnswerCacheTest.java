package dev.gangway.dns.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.dns.lab.Messages;
import dev.gangway.dns.wire.DnsHeader;
import dev.gangway.dns.wire.Query;
import dev.gangway.dns.wire.ReplyScan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {
    static final long SECOND = 1_000_000_000L;

    long now = 1_000 * SECOND;
    final AnswerCache cache = new AnswerCache(100, 0, 86400, 3600, () -> now);

    @Test
    void hitRestoresTheClientIdAndCaseAndAgesTheTtls() {
        var q1 = (Query) Query.parse(Messages.query(111, "a.test", 1));
        put(q1, Messages.reply(999, 0, "a.test", 1, new long[] {300, 100}, -1, 0));
        now += 42 * SECOND;
        var q2 = (Query) Query.parse(Messages.query(222, "A.TEST", 1));
        CachedAnswer hit = cache.get(q2.key(), now);
        ByteBuf out = hit.render(UnpooledByteBufAllocator.DEFAULT, q2, now, 512);
        try {
            assertThat(DnsHeader.id(out)).isEqualTo(222);
            assertThat(out.getByte(13)).isEqualTo((byte) 'A');
            var scan = ReplyScan.scan(out, io.netty.buffer.Unpooled.wrappedBuffer(q2.question()));
            assertThat(scan.ttls()).containsExactly(258, 58);
        } finally {
            out.release();
        }
    }

    @Test
    void entryExpiresAfterItsSmallestTtl() {
        var q = (Query) Query.parse(Messages.query(1, "a.test", 1));
        assertThat(put(q, Messages.reply(1, 0, "a.test", 1, new long[] {300, 100}, -1, 0))).isEqualTo(100);
        now += 99 * SECOND;
        assertThat(cache.get(q.key(), now)).isNotNull();
        now += SECOND;
        assertThat(cache.get(q.key(), now)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void nxdomainExpiresPerTheSoaMinimum() {
        var q = (Query) Query.parse(Messages.query(1, "gone.test", 1));
        assertThat(put(q, Messages.reply(1, 3, "gone.test", 1, new long[0], 3600, 20))).isEqualTo(20);
        now += 19 * SECOND;
        var hit = cache.get(q.key(), now);
        ByteBuf out = hit.render(UnpooledByteBufAllocator.DEFAULT, q, now, 512);
        try {
            assertThat(DnsHeader.rcode(DnsHeader.flags(out))).isEqualTo(3);
            // the SOA's own TTL is aged like any other
            assertThat(ReplyScan.scan(out, io.netty.buffer.Unpooled.wrappedBuffer(q.question())).ttls())
                    .containsExactly(3600 - 19);
        } finally {
            out.release();
        }
        now += SECOND;
        assertThat(cache.get(q.key(), now)).isNull();
    }

    @Test
    void ttlBoundsApply() {
        var bounded = new AnswerCache(100, 30, 60, 10, () -> now);
        var q = (Query) Query.parse(Messages.query(1, "a.test", 1));
        var scanLow = ReplyScan.scan(Messages.reply(1, 0, "a.test", 1, new long[] {5}, -1, 0),
                io.netty.buffer.Unpooled.wrappedBuffer(q.question()));
        assertThat(bounded.put(q.key(), Messages.reply(1, 0, "a.test", 1, new long[] {5}, -1, 0), scanLow, now))
                .isEqualTo(30);
        var scanHigh = ReplyScan.scan(Messages.reply(1, 0, "a.test", 1, new long[] {9999}, -1, 0),
                io.netty.buffer.Unpooled.wrappedBuffer(q.question()));
        assertThat(bounded.put(q.key(), Messages.reply(1, 0, "a.test", 1, new long[] {9999}, -1, 0), scanHigh, now))
                .isEqualTo(60);
    }

    @Test
    void tooLargeForTheClientIsTruncated() {
        var q = (Query) Query.parse(Messages.query(5, "a.test", 1));
        long[] ttls = new long[40];
        java.util.Arrays.fill(ttls, 60);
        put(q, Messages.reply(1, 0, "a.test", 1, ttls, -1, 0));
        ByteBuf out = cache.get(q.key(), now).render(UnpooledByteBufAllocator.DEFAULT, q, now, 512);
        try {
            assertThat(DnsHeader.flags(out) & DnsHeader.FLAG_TC).isNotZero();
            assertThat(DnsHeader.anCount(out)).isZero();
            assertThat(DnsHeader.id(out)).isEqualTo(5);
        } finally {
            out.release();
        }
    }

    @Test
    void sizeStaysBounded() {
        var small = new AnswerCache(10, 0, 86400, 3600, () -> now);
        for (int i = 0; i < 100; i++) {
            var q = (Query) Query.parse(Messages.query(1, "n" + i + ".test", 1));
            var reply = Messages.reply(1, 0, "n" + i + ".test", 1, new long[] {60}, -1, 0);
            small.put(q.key(), reply, ReplyScan.scan(reply, io.netty.buffer.Unpooled.wrappedBuffer(q.question())), now);
            assertThat(small.size()).isLessThanOrEqualTo(10);
        }
    }

    private long put(Query q, ByteBuf reply) {
        var scan = ReplyScan.scan(reply, io.netty.buffer.Unpooled.wrappedBuffer(q.question()));
        assertThat(scan).isNotNull();
        return cache.put(q.key(), reply, scan, now);
    }
}
