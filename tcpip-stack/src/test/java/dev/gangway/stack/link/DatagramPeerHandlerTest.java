package dev.gangway.stack.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Unix datagram framing: one frame per datagram, byte for byte; the vfkit hello is dropped. */
class DatagramPeerHandlerTest {
    static final HexFormat HEX = HexFormat.of();
    static final String FRAME = FramingCodecTest.FRAME;
    static final DomainSocketAddress VM = new DomainSocketAddress("/run/vm.sock");
    static final DomainSocketAddress US = new DomainSocketAddress("/run/stack.sock");

    @Test
    void learnsThePeerDropsTheHelloAndCarriesFramesUnchanged() {
        var acceptor = new FramingCodecTest.Acceptor();
        var channel = new EmbeddedChannel(new DatagramPeerHandler(acceptor, "vfkit:/run/stack.sock"));
        channel.writeOutbound(Unpooled.wrappedBuffer(HEX.parseHex(FRAME)));
        assertThat((Object) channel.readOutbound()).as("no peer yet: dropped").isNull();
        channel.writeInbound(new DomainDatagramPacket(Unpooled.copiedBuffer("VFKT", StandardCharsets.US_ASCII), US, VM));
        assertThat((Object) channel.readInbound()).as("the hello is not a frame").isNull();
        channel.writeInbound(new DomainDatagramPacket(Unpooled.wrappedBuffer(HEX.parseHex(FRAME)), US, VM));
        ByteBuf in = channel.readInbound();
        assertThat(HEX.formatHex(FramingCodecTest.bytes(in))).isEqualTo(FRAME);
        in.release();
        channel.writeOutbound(Unpooled.wrappedBuffer(HEX.parseHex(FRAME)));
        DomainDatagramPacket out = channel.readOutbound();
        assertThat(out.recipient()).isEqualTo(VM);
        assertThat(HEX.formatHex(FramingCodecTest.bytes(out.content()))).isEqualTo(FRAME);
        out.release();
        assertThat(acceptor.events).containsExactly("link vfkit:/run/stack.sock: peer /run/vm.sock");
        assertThat(channel.finish()).isFalse();
    }
}
