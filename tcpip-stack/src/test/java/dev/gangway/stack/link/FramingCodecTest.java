package dev.gangway.stack.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gangway.stack.wire.MacAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-exact framing of the stream links, both ways, with arbitrary read boundaries. */
class FramingCodecTest {
    static final HexFormat HEX = HexFormat.of();
    static final String FRAME = "ffffffffffff0200000000010806" + "00".repeat(28);

    static String drain(EmbeddedChannel channel) {
        var out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            var bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            out.append(HEX.formatHex(bytes));
        }
        return out.toString();
    }

    @Test
    void qemuFramingSplitsAndJoinsByteExactly() {
        var channel = new EmbeddedChannel(new QemuStreamFrameDecoder(1518), new LengthFieldPrepender(4));
        var wire = HEX.parseHex("0000002a" + FRAME + "0000002a" + FRAME);
        for (int i = 0; i < wire.length; i += 5) {
            channel.writeInbound(Unpooled.wrappedBuffer(wire, i, Math.min(5, wire.length - i)));
        }
        for (int n = 0; n < 2; n++) {
            ByteBuf frame = channel.readInbound();
            assertThat(HEX.formatHex(FramingCodecTest.bytes(frame))).isEqualTo(FRAME);
            frame.release();
        }
        channel.writeOutbound(Unpooled.wrappedBuffer(HEX.parseHex(FRAME)));
        assertThat(drain(channel)).isEqualTo("0000002a" + FRAME);
        assertThat(channel.finish()).isFalse();
    }

    static byte[] bytes(ByteBuf buf) {
        var out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    @Test
    void qemuFramingRefusesShortAndLongFrames() {
        var shortFrame = new EmbeddedChannel(new QemuStreamFrameDecoder(1518));
        assertThatThrownBy(() -> shortFrame.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("0000000d00"))))
                .isInstanceOf(CorruptedFrameException.class);
        var longFrame = new EmbeddedChannel(new QemuStreamFrameDecoder(1518));
        assertThatThrownBy(() -> longFrame.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("000005f3"))))
                .isInstanceOf(TooLongFrameException.class);
    }

    /** Collects what the handshake hands to the stack. */
    static final class Acceptor implements LinkAcceptor {
        final List<String> events = new ArrayList<>();
        final List<String> frames = new ArrayList<>();

        @Override
        public ChannelHandler portHandler(String name) {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    var buf = (ByteBuf) msg;
                    frames.add(HEX.formatHex(bytes(buf)));
                    buf.release();
                }
            };
        }

        @Override
        public int maxFrameLength() {
            return 1518;
        }


        @Override
        public void event(String message) {
            events.add(message);
        }
    }

    @Test
    void vmnetHandshakeAndFramingAreByteExact() {
        var acceptor = new Acceptor();
        var channel = new EmbeddedChannel();
        channel.pipeline().addLast("vmnet", new VmnetHandshake(acceptor, "vmnet#1", 1500));
        String uuid = "d1b1c1a1-0000-4000-8000-000000000001";
        var init = Unpooled.buffer().writeBytes("VMN3T".getBytes(StandardCharsets.US_ASCII)).writeIntLE(22)
                .writeZero(40);
        var command = Unpooled.buffer().writeByte(1).writeBytes(uuid.getBytes(StandardCharsets.US_ASCII)).writeZero(4);
        var frame = Unpooled.buffer().writeShortLE(42).writeBytes(HEX.parseHex(FRAME));
        channel.writeInbound(Unpooled.wrappedBuffer(init, command, frame));
        var commit = HEX.formatHex("gangway".getBytes(StandardCharsets.US_ASCII));
        var mac = VmnetHandshake.macFor(uuid);
        String expected = HEX.formatHex("VMN3T".getBytes(StandardCharsets.US_ASCII)) + "16000000" + commit
                + "00".repeat(40 - 7)
                + "01" + "dc05" + "0e06" + HEX.formatHex(mac.toBytes()) + "00".repeat(258 - 11);
        assertThat(drain(channel)).isEqualTo(expected);
        assertThat(acceptor.frames).containsExactly(FRAME);
        channel.writeOutbound(Unpooled.wrappedBuffer(HEX.parseHex(FRAME)));
        assertThat(drain(channel)).isEqualTo("2a00" + FRAME);
        assertThat(mac.isMulticast()).isFalse();
        assertThat(mac.bits() >>> 40 & 0x02).as("locally administered").isEqualTo(2);
        assertThat(VmnetHandshake.macFor(uuid.toUpperCase())).isEqualTo(mac);
        assertThat(VmnetHandshake.macFor("d1b1c1a1-0000-4000-8000-000000000002")).isNotEqualTo(mac);
        assertThat(mac).isNotEqualTo(MacAddress.ZERO);
        channel.finishAndReleaseAll();
    }

    @Test
    void vmnetRefusesAnUnknownCommandWithDisconnect() {
        var acceptor = new Acceptor();
        var channel = new EmbeddedChannel(new VmnetHandshake(acceptor, "vmnet#2", 1500));
        var init = Unpooled.buffer().writeBytes("VMN3T".getBytes(StandardCharsets.US_ASCII)).writeIntLE(22)
                .writeZero(40);
        var command = Unpooled.buffer().writeByte(9).writeBytes("d1b1c1a1-0000-4000-8000-000000000001"
                .getBytes(StandardCharsets.US_ASCII)).writeZero(4);
        channel.writeInbound(Unpooled.wrappedBuffer(init, command));
        var out = drain(channel);
        assertThat(out.substring(98, 100)).isEqualTo("02");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }
}
