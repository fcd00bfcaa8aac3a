package dev.gangway.ninep;

import dev.gangway.ninep.protocol.Decoded;
import dev.gangway.ninep.protocol.NinePCodec;
import dev.gangway.ninep.protocol.Rmessage;
import dev.gangway.ninep.protocol.Rmessage.Rlerror;
import dev.gangway.ninep.protocol.Tmessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * A small blocking 9P client for tests: one socket, explicit tags, requests encoded with the same codec
 * the server uses. Reply data buffers (Rread, Rreaddir) are copied to heap buffers the caller may ignore.
 */
public final class NinePTestClient implements AutoCloseable {
    private final SocketChannel socket;
    private int nextTag = 1;

    public NinePTestClient(SocketAddress address) throws IOException {
        this.socket = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        socket.connect(address);
    }

    /** A reply with its tag. */
    public record Reply(int tag, Rmessage message) {
    }

    /** Sends {@code m} and waits for its reply (no other request may be outstanding). */
    public Rmessage rpc(Tmessage m) throws IOException {
        int tag = nextTag();
        send(tag, m);
        var reply = receive();
        if (reply.tag() != tag) {
            throw new IOException("reply for tag " + reply.tag() + ", expected " + tag);
        }
        return reply.message();
    }

    /** Like {@link #rpc} but fails unless the reply has type {@code type}. */
    public <R extends Rmessage> R call(Tmessage m, Class<R> type) throws IOException {
        var r = rpc(m);
        if (!type.isInstance(r)) {
            throw new IOException("expected " + type.getSimpleName() + " for " + m + ", got " + r);
        }
        return type.cast(r);
    }

    /** The errno of the Rlerror that {@code m} must get. */
    public int error(Tmessage m) throws IOException {
        var r = rpc(m);
        if (!(r instanceof Rlerror e)) {
            throw new IOException("expected Rlerror for " + m + ", got " + r);
        }
        return e.ecode();
    }

    public int nextTag() {
        int t = nextTag;
        nextTag = nextTag == 0xfffe ? 1 : nextTag + 1;
        return t;
    }

    public void send(int tag, Tmessage m) throws IOException {
        var frame = NinePCodec.encode(UnpooledByteBufAllocator.DEFAULT, tag, m);
        try {
            sendRaw(frame.nioBuffer());
        } finally {
            frame.release();
        }
    }

    public void sendRaw(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            socket.write(bytes);
        }
    }

    /** The next reply; throws {@link java.io.EOFException} when the server closed the connection. */
    public Reply receive() throws IOException {
        var size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(size);
        int n = size.getInt(0);
        if (n < 7 || n > (8 << 20)) {
            throw new IOException("bad reply size " + n);
        }
        var frame = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(n);
        readFully(frame);
        frame.flip();
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        try {
            return switch (NinePCodec.decodeReply(buf)) {
                case Decoded.Ok<Rmessage>(int tag, Rmessage m) -> new Reply(tag, copyData(m));
                case Decoded.Malformed<Rmessage> bad -> throw new IOException("malformed reply: " + bad.reason());
            };
        } finally {
            buf.release();
        }
    }

    private static Rmessage copyData(Rmessage m) {
        return switch (m) {
            case Rmessage.Rread r -> new Rmessage.Rread(copy(r.data()));
            case Rmessage.Rreaddir r -> new Rmessage.Rreaddir(copy(r.data()));
            default -> m;
        };
    }

    private static ByteBuf copy(ByteBuf data) {
        try {
            return Unpooled.copiedBuffer(data);
        } finally {
            data.release();
        }
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (socket.read(b) < 0) {
                throw new java.io.EOFException("server closed the connection");
            }
        }
    }

    /** True once the server has closed the connection (reads end of stream). */
    public boolean closedByServer() throws IOException {
        try {
            receive();
            return false;
        } catch (java.io.EOFException e) {
            return true;
        }
    }

    /** Ends the client's sending side; the server sees end of input. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
