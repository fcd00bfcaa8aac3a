package dev.gangway.fsevents.stream;

import dev.gangway.fsevents.watch.Change;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes stream messages on plain {@link ByteBuffer}s, so that the host (Netty) and the
 * guest agent (blocking sockets, no Netty) share one codec. A frame is {@code length[4]} then the body
 * handled here: {@code type[1]} and the fields.
 */
public final class StreamCodec {
    /** Largest frame body; three strings of at most {@link #MAX_STRING} bytes and the fixed fields fit. */
    public static final int MAX_FRAME = 16 * 1024;
    /** Longest path or share name, in UTF-8 bytes (Linux's PATH_MAX). */
    public static final int MAX_STRING = 4096;

    private static final byte HELLO = 1;
    private static final byte WELCOME = 2;
    private static final byte EVENT = 3;
    private static final byte ACK = 4;
    private static final Change.Kind[] KINDS = Change.Kind.values();

    private StreamCodec() {
    }

    /** A malformed frame from the peer. */
    public static final class MalformedFrameException extends Exception {
        MalformedFrameException(String message) {
            super(message);
        }
    }

    /** Writes the body of {@code message} (without the length prefix) into {@code out}. */
    public static void encode(StreamMessage message, ByteBuffer out) {
        switch (message) {
            case StreamMessage.Hello(long epoch, long lastApplied) -> out.put(HELLO).putLong(epoch).putLong(lastApplied);
            case StreamMessage.Welcome(long epoch, long next) -> out.put(WELCOME).putLong(epoch).putLong(next);
            case StreamMessage.Ack(long seq) -> out.put(ACK).putLong(seq);
            case StreamMessage.Event(long seq, String share, Change change) -> {
                out.put(EVENT).putLong(seq).put((byte) change.kind().ordinal()).put((byte) (change.directory() ? 1 : 0));
                putString(out, share);
                putString(out, change.path());
                putString(out, change.from());
            }
        }
    }

    /** Decodes one frame body; the whole buffer must be exactly one message. */
    public static StreamMessage decode(ByteBuffer in) throws MalformedFrameException {
        try {
            byte type = in.get();
            StreamMessage message = switch (type) {
                case HELLO -> new StreamMessage.Hello(in.getLong(), in.getLong());
                case WELCOME -> new StreamMessage.Welcome(in.getLong(), in.getLong());
                case ACK -> new StreamMessage.Ack(in.getLong());
                case EVENT -> decodeEvent(in);
                default -> throw new MalformedFrameException("unknown message type " + type);
            };
            if (in.hasRemaining()) {
                throw new MalformedFrameException(in.remaining() + " trailing bytes after " + message);
            }
            return message;
        } catch (BufferUnderflowException e) {
            throw new MalformedFrameException("truncated message");
        }
    }

    private static StreamMessage.Event decodeEvent(ByteBuffer in) throws MalformedFrameException {
        long seq = in.getLong();
        int kind = in.get() & 0xff;
        int flags = in.get() & 0xff;
        if (kind >= KINDS.length || (flags & ~1) != 0) {
            throw new MalformedFrameException("bad kind " + kind + " or flags " + flags);
        }
        var share = getString(in);
        var path = getString(in);
        var from = getString(in);
        try {
            return new StreamMessage.Event(seq, share, new Change(KINDS[kind], path, from, flags == 1));
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException(e.getMessage());
        }
    }

    private static void putString(ByteBuffer out, String value) {
        var bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING) {
            throw new IllegalArgumentException("string of " + bytes.length + " bytes exceeds " + MAX_STRING);
        }
        out.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) throws MalformedFrameException {
        int length = in.getShort() & 0xffff;
        if (length > MAX_STRING || length > in.remaining()) {
            throw new MalformedFrameException("string length " + length);
        }
        var slice = in.slice(in.position(), length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException("string is not UTF-8");
        }
    }
}
