package dev.gangway.dns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.dns.lab.Messages;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class QueryTest {
    /** dig's query for "Example.COM A" with EDNS0 (UDP 1232, DO clear), ID 0x1234, RD and AD set. */
    static final String DIG_QUERY = "1234 0120 0001 0000 0000 0001"
            + "07 4578616d706c65 03 434f4d 00 0001 0001"
            + "00 0029 04d0 00000000 0000";

    @Test
    void parsesARealQueryByteForByte() {
        var msg = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(DIG_QUERY.replace(" ", "")));
        var q = (Query) Query.parse(msg);
        assertThat(q.id()).isEqualTo(0x1234);
        assertThat(q.recursionDesired()).isTrue();
        assertThat(q.type()).isEqualTo(Query.TYPE_A);
        assertThat(q.qclass()).isEqualTo(Query.CLASS_IN);
        assertThat(q.edns()).isTrue();
        assertThat(q.udpSize()).isEqualTo(1232);
        assertThat(q.dnssecOk()).isFalse();
        assertThat(q.key().name()).isEqualTo("example.com");
        assertThat(ByteBufUtil.hexDump(q.question())).isEqualTo("074578616d706c6503434f4d0000010001");
        assertThat(msg.readerIndex()).isZero();
    }

    @Test
    void keyIgnoresCaseAndIdButNotTypeOrEdns() {
        var a = (Query) Query.parse(Messages.query(1, "Host.Test", 1));
        var b = (Query) Query.parse(Messages.query(2, "host.TEST", 1));
        var c = (Query) Query.parse(Messages.query(3, "host.test", 28));
        var d = (Query) Query.parse(Messages.query(4, "host.test", 1, true, false));
        var e = (Query) Query.parse(Messages.query(5, "host.test", 1, true, true));
        assertThat(a.key()).isEqualTo(b.key()).hasSameHashCodeAs(b.key());
        assertThat(a.key()).isNotEqualTo(c.key()).isNotEqualTo(d.key());
        assertThat(d.key()).isNotEqualTo(e.key());
        assertThat(e.dnssecOk()).isTrue();
    }

    @Test
    void rejectsWhatIsNotAQuery() {
        assertThat(rcode("1234 0100 0001")).isEqualTo(Rejected.DROP);
        assertThat(rcode("1234 8100 0001 0000 0000 0000 00 0001 0001")).isEqualTo(Rejected.DROP);
        assertThat(rcode("1234 2900 0001 0000 0000 0000 00 0001 0001")).isEqualTo(4);
        assertThat(rcode("1234 0100 0002 0000 0000 0000 00 0001 0001 00 0001 0001")).isEqualTo(1);
        assertThat(rcode("1234 0100 0000 0000 0000 0000")).isEqualTo(1);
        // question compressed with a pointer to itself
        assertThat(rcode("1234 0100 0001 0000 0000 0000 c00c 0001 0001")).isEqualTo(1);
        // label runs past the end
        assertThat(rcode("1234 0100 0001 0000 0000 0000 05 6162 ")).isEqualTo(1);
        // question without type and class
        assertThat(rcode("1234 0100 0001 0000 0000 0000 00")).isEqualTo(1);
        // additional count says 1 but nothing follows
        assertThat(rcode("1234 0100 0001 0000 0000 0001 00 0001 0001")).isEqualTo(1);
        // two OPT records
        assertThat(rcode("1234 0100 0001 0000 0000 0002 00 0001 0001"
                + "00 0029 04d0 00000000 0000 00 0029 04d0 00000000 0000")).isEqualTo(1);
        // zone transfer
        assertThat(rcode("1234 0000 0001 0000 0000 0000 00 00fc 0001")).isEqualTo(5);
        // EDNS version 1
        assertThat(rcode("1234 0100 0001 0000 0000 0001 00 0001 0001 00 0029 04d0 00010000 0000")).isEqualTo(16);
    }

    @Test
    void aNameOfMoreThan255BytesIsRejected() {
        var b = Unpooled.buffer();
        DnsHeader.write(b, 7, DnsHeader.FLAG_RD, 1, 0, 0, 0);
        for (int i = 0; i < 5; i++) {
            b.writeByte(60).writeBytes(new byte[60]);
        }
        b.writeByte(0).writeShort(1).writeShort(1);
        assertThat(Query.parse(b)).isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.rcode()).isEqualTo(1));
    }

    private static int rcode(String hex) {
        var parsed = Query.parse(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", ""))));
        assertThat(parsed).isInstanceOf(Rejected.class);
        return ((Rejected) parsed).rcode();
    }
}
