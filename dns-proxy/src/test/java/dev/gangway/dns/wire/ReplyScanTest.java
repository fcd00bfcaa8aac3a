package dev.gangway.dns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.dns.lab.Messages;
import org.junit.jupiter.api.Test;

class ReplyScanTest {
    @Test
    void positiveAnswerIsCachedForItsSmallestTtlAndEveryTtlIsFound() {
        var reply = Messages.reply(9, 0, "a.test", 1, new long[] {300, 60}, -1, 0);
        var scan = ReplyScan.scan(reply, Messages.question("A.Test", 1));
        assertThat(scan).isNotNull();
        assertThat(scan.cacheSeconds()).isEqualTo(60);
        assertThat(scan.negative()).isFalse();
        assertThat(scan.ttls()).containsExactly(300, 60);
        // header 12 + question (8 + 4), then per record: pointer 2, type 2, class 2 -> TTL
        assertThat(scan.ttlOffsets()).containsExactly(12 + 12 + 6, 12 + 12 + 16 + 6);
    }

    @Test
    void nxdomainIsCachedForTheSmallerOfSoaTtlAndMinimum() {
        var soaTtlSmaller = ReplyScan.scan(Messages.reply(1, 3, "x.test", 1, new long[0], 30, 900),
                Messages.question("x.test", 1));
        assertThat(soaTtlSmaller.cacheSeconds()).isEqualTo(30);
        assertThat(soaTtlSmaller.negative()).isTrue();
        var minimumSmaller = ReplyScan.scan(Messages.reply(1, 3, "x.test", 1, new long[0], 3600, 45),
                Messages.question("x.test", 1));
        assertThat(minimumSmaller.cacheSeconds()).isEqualTo(45);
    }

    @Test
    void negativeAnswerWithoutSoaIsNotCached() {
        var nodata = ReplyScan.scan(Messages.reply(1, 0, "x.test", 1, new long[0], -1, 0),
                Messages.question("x.test", 1));
        assertThat(nodata.negative()).isTrue();
        assertThat(nodata.cacheSeconds()).isEqualTo(-1);
        var servfail = ReplyScan.scan(Messages.reply(1, 2, "x.test", 1, new long[0], -1, 0),
                Messages.question("x.test", 1));
        assertThat(servfail.cacheSeconds()).isEqualTo(-1);
    }

    @Test
    void replyToAnotherQuestionIsIgnored() {
        assertThat(ReplyScan.scan(Messages.reply(1, 0, "b.test", 1, new long[] {5}, -1, 0),
                Messages.question("a.test", 1))).isNull();
        assertThat(ReplyScan.scan(Messages.reply(1, 0, "a.test", 28, new long[] {5}, -1, 0),
                Messages.question("a.test", 1))).isNull();
        assertThat(ReplyScan.scan(Messages.query(1, "a.test", 1), Messages.question("a.test", 1))).isNull();
    }

    @Test
    void recordRunningPastTheEndMakesTheReplyInvalid() {
        var reply = Messages.reply(1, 0, "a.test", 1, new long[] {5}, -1, 0);
        reply.writerIndex(reply.writerIndex() - 1);
        assertThat(ReplyScan.scan(reply, Messages.question("a.test", 1))).isNull();
    }
}
