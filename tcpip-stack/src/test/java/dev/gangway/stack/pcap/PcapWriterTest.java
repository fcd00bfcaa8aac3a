package dev.gangway.stack.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesTheClassicHeaderAndOneRecordPerFrame() throws Exception {
        var file = dir.resolve("c.pcap");
        var frame = HexFormat.of().parseHex("ffffffffffff02000000000108060001080006040001");
        try (var pcap = PcapWriter.open(file)) {
            pcap.record(Unpooled.wrappedBuffer(frame));
            pcap.record(Unpooled.wrappedBuffer(frame, 0, 14));
        }
        var bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(file), 0, 24))
                .isEqualTo("d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400" + "01000000");
        assertThat(bytes.limit()).isEqualTo(24 + 16 + frame.length + 16 + 14);
        assertThat(bytes.getInt(24 + 8)).as("captured length").isEqualTo(frame.length);
        assertThat(bytes.getInt(24 + 12)).as("original length").isEqualTo(frame.length);
        assertThat(bytes.getInt(24 + 4)).as("microseconds").isBetween(0, 999_999);
        assertThat(bytes.getInt(24 + 16 + frame.length + 8)).isEqualTo(14);
    }
}
