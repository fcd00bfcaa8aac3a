package dev.gangway.stack.link;

import dev.gangway.stack.wire.MacAddress;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The server side of the vpnkit/HyperKit "vmnet" handshake (all integers little-endian): the client's
 * 49-byte Init ({@code VMN3T}, version, commit) is answered with ours; its 41-byte Command (type 1
 * Ethernet, a 36-character UUID) with a 258-byte VIF response (MTU, maximum packet size, MAC). Then the
 * stream carries frames each preceded by a 16-bit little-endian length, and this handler replaces itself
 * with that framing and the link's port handler. The MAC is derived from the UUID (so the same UUID always
 * gets the same MAC, and through DHCP the same address); an all-zero UUID gets a fresh random one.
 */
public final class VmnetHandshake extends ByteToMessageDecoder {
    static final int INIT_LENGTH = 49;
    static final int COMMAND_LENGTH = 41;
    static final int RESPONSE_LENGTH = 258;
    static final int VERSION = 22;
    static final byte[] MAGIC = "VMN3T".getBytes(StandardCharsets.US_ASCII);
    static final int COMMAND_ETHERNET = 1;
    static final int COMMAND_PREFERRED_IPV4 = 8;
    static final int RESPONSE_VIF = 1;
    static final int RESPONSE_DISCONNECT = 2;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";

    private final LinkAcceptor acceptor;
    private final String name;
    private final int mtu;
    private boolean initDone;

    public VmnetHandshake(LinkAcceptor acceptor, String name, int mtu) {
        this.acceptor = acceptor;
        this.name = name;
        this.mtu = mtu;
    }

    /** The MAC a UUID is given: a locally administered unicast address from its SHA-256. */
    public static MacAddress macFor(String uuid) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(uuid.toLowerCase(java.util.Locale.ROOT)
                    .getBytes(StandardCharsets.US_ASCII));
            digest[0] = (byte) ((digest[0] & 0xFC) | 0x02);
            return MacAddress.of(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!initDone) {
            if (in.readableBytes() < INIT_LENGTH) {
                return;
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (in.getByte(in.readerIndex() + i) != MAGIC[i]) {
                    throw new CorruptedFrameException("vmnet: the client's init does not start with VMN3T");
                }
            }
            in.skipBytes(INIT_LENGTH);
            var init = ctx.alloc().buffer(INIT_LENGTH);
            init.writeBytes(MAGIC);
            init.writeIntLE(VERSION);
            var commit = "gangway".getBytes(StandardCharsets.US_ASCII);
            init.writeBytes(commit);
            init.writeZero(INIT_LENGTH - MAGIC.length - 4 - commit.length);
            ctx.writeAndFlush(init);
            initDone = true;
        }
        if (in.readableBytes() < COMMAND_LENGTH) {
            return;
        }
        int type = in.getUnsignedByte(in.readerIndex());
        String uuid = in.toString(in.readerIndex() + 1, 36, StandardCharsets.US_ASCII);
        in.skipBytes(COMMAND_LENGTH);
        if ((type != COMMAND_ETHERNET && type != COMMAND_PREFERRED_IPV4) || !UUID_TEXT.matcher(uuid).matches()) {
            disconnect(ctx, "unsupported command " + type);
            return;
        }
        if (uuid.equals(NIL_UUID)) {
            uuid = UUID.randomUUID().toString();
        }
        var mac = macFor(uuid);
        var response = ctx.alloc().buffer(RESPONSE_LENGTH);
        response.writeByte(RESPONSE_VIF);
        response.writeShortLE(mtu);
        response.writeShortLE(Math.min(65535, mtu + 50));
        response.writeBytes(mac.toBytes());
        response.writeZero(RESPONSE_LENGTH - 1 - 2 - 2 - 6);
        ctx.writeAndFlush(response);
        acceptor.event("vmnet: " + name + " uuid " + uuid + " gets mac " + mac);
        var pipeline = ctx.pipeline();
        if (pipeline.get(ReadTimeoutHandler.class) != null) {
            pipeline.remove(ReadTimeoutHandler.class);
        }
        pipeline.addAfter(ctx.name(), "vmnet-frames",
                new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, LinkAcceptor.MAX_WIRE_FRAME + 2, 0, 2, 0, 2,
                        true));
        pipeline.addAfter("vmnet-frames", "vmnet-length", new LengthFieldPrepender(ByteOrder.LITTLE_ENDIAN, 2, 0,
                false));
        if (pipeline.get("handshake-errors") != null) {
            pipeline.remove("handshake-errors");
        }
        pipeline.addLast("port", acceptor.portHandler(name));
        pipeline.remove(this);
    }

    private void disconnect(ChannelHandlerContext ctx, String message) {
        var bytes = message.getBytes(StandardCharsets.US_ASCII);
        var response = ctx.alloc().buffer(RESPONSE_LENGTH);
        response.writeByte(RESPONSE_DISCONNECT);
        response.writeByte(Math.min(255, bytes.length));
        response.writeBytes(bytes, 0, Math.min(255, bytes.length));
        response.writeZero(RESPONSE_LENGTH - response.readableBytes());
        acceptor.event("vmnet: " + name + " refused: " + message);
        ctx.writeAndFlush(response).addListener(f -> ctx.close());
    }
}
