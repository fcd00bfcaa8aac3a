package dev.gangway.fsevents.agent;

import dev.gangway.fsevents.stream.StreamCodec;
import dev.gangway.fsevents.stream.StreamMessage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * The agent's end of the event stream over a blocking socket (the agent runs in the guest on a small
 * runtime without Netty). One session: Hello, Welcome, then events until the connection ends.
 */
public final class EventStreamClient implements AutoCloseable {
    /** What the agent does with each event; returns normally once the change is applied (or refused). */
    @FunctionalInterface
    public interface EventHandler {
        void apply(StreamMessage.Event event) throws IOException;
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final ByteBuffer frame = ByteBuffer.allocate(StreamCodec.MAX_FRAME);

    private EventStreamClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    public static EventStreamClient connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, timeoutMillis);
            return new EventStreamClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Runs the session: announces {@code state}, then applies events in order and acknowledges them,
     * recording each acknowledged position in {@code state}. Returns when the host closes the stream.
     */
    public void run(AgentState state, EventHandler handler) throws IOException {
        send(new StreamMessage.Hello(state.epoch(), state.lastApplied()));
        var welcome = receive();
        if (!(welcome instanceof StreamMessage.Welcome(long epoch, long next))) {
            throw new IOException("expected Welcome, got " + welcome);
        }
        state.update(epoch, next - 1);
        long unacked = 0;
        while (true) {
            StreamMessage message;
            try {
                message = receive();
            } catch (EOFException e) {
                return;
            }
            if (!(message instanceof StreamMessage.Event event)) {
                throw new IOException("expected an event, got " + message);
            }
            handler.apply(event);
            unacked++;
            // Acknowledge when caught up with what has arrived, or every 256 events in a long burst.
            if (in.available() == 0 || unacked >= 256) {
                send(new StreamMessage.Ack(event.seq()));
                state.update(epoch, event.seq());
                unacked = 0;
            }
        }
    }

    private void send(StreamMessage message) throws IOException {
        frame.clear();
        StreamCodec.encode(message, frame);
        out.writeInt(frame.position());
        out.write(frame.array(), 0, frame.position());
        out.flush();
    }

    private StreamMessage receive() throws IOException {
        int length = in.readInt();
        if (length < 1 || length > StreamCodec.MAX_FRAME) {
            throw new IOException("frame length " + length + " out of bounds");
        }
        var body = new byte[length];
        in.readFully(body);
        try {
            return StreamCodec.decode(ByteBuffer.wrap(body));
        } catch (StreamCodec.MalformedFrameException e) {
            throw new IOException("malformed frame from the host: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
