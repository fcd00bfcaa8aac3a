package dev.gangway.fsevents.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gangway.fsevents.watch.Change;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamCodecTest {
    private static byte[] encode(StreamMessage message) {
        var buffer = ByteBuffer.allocate(StreamCodec.MAX_FRAME);
        StreamCodec.encode(message, buffer);
        return java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }

    @Test
    void eventBytesAreExact() throws Exception {
        var event = new StreamMessage.Event(258, "src", Change.renamed("a", "b/é", true));
        var bytes = HexFormat.of().parseHex("03" + "0000000000000102" + "03" + "01"
                + "0003" + "737263" + "0004" + "622fc3a9" + "0001" + "61");
        assertThat(encode(event)).isEqualTo(bytes);
        assertThat(StreamCodec.decode(ByteBuffer.wrap(bytes))).isEqualTo(event);
    }

    @Test
    void controlMessagesRoundTrip() throws Exception {
        for (var message : List.of(new StreamMessage.Hello(7, 9), new StreamMessage.Welcome(-1, 1),
                new StreamMessage.Ack(Long.MAX_VALUE))) {
            assertThat(StreamCodec.decode(ByteBuffer.wrap(encode(message)))).isEqualTo(message);
        }
        assertThat(encode(new StreamMessage.Ack(1))).isEqualTo(HexFormat.of().parseHex("040000000000000001"));
    }

    @Test
    void malformedBodiesAreRefused() {
        for (var hex : List.of("", "09", "01000000", "0400000000000000010203", "030000000000000001ff00000000000000",
                "03000000000000000100000003ff", "0300000000000000010300000000000000" /* rename without from */,
                "030000000000000001000000ffff")) {
            assertThatThrownBy(() -> StreamCodec.decode(ByteBuffer.wrap(HexFormat.of().parseHex(hex))))
                    .as(hex).isInstanceOf(StreamCodec.MalformedFrameException.class);
        }
    }

    @Test
    void randomMutationsNeverEscapeAsAnythingButMalformedFrame() {
        var valid = encode(new StreamMessage.Event(1, "share", Change.of(Change.Kind.CREATED, "dir/file", false)));
        var random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            var bytes = java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 8));
            for (int flips = random.nextInt(4); flips >= 0; flips--) {
                if (bytes.length > 0) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                StreamCodec.decode(ByteBuffer.wrap(bytes));
            } catch (StreamCodec.MalformedFrameException expected) {
                // refused, as it should be
            }
        }
    }
}
