package dev.gangway.stack.tcp;

import dev.gangway.stack.service.StreamTransmitter;
import dev.gangway.stack.service.VirtualStreamChannel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;

/**
 * Joins a connection to a service's {@link VirtualStreamChannel} (a guest connection accepted on a
 * gateway port, or a dial into the guest): the connection's peer on one side, the channel's transmitter
 * on the other. The channel is created and registered on the link's loop when the handshake completes.
 */
final class ServicePeer implements Peer, StreamTransmitter {
    private final TcpConnection conn;
    private final ChannelInitializer<Channel> initializer;
    private final VirtualStreamChannel channel;
    private boolean reading = true;
    private boolean channelClosed;

    ServicePeer(TcpConnection conn, ChannelInitializer<Channel> initializer, InetSocketAddress local,
            InetSocketAddress remote) {
        this.conn = conn;
        this.initializer = initializer;
        this.channel = new VirtualStreamChannel(this, local, remote);
    }

    VirtualStreamChannel channel() {
        return channel;
    }

    /** The handshake completed: the channel becomes the connection's peer and goes live. */
    void activate() {
        conn.peer = this;
        if (initializer != null) {
            channel.pipeline().addLast(initializer);
        }
        conn.link.loop().register(channel);
    }

    // ---- Peer (the connection's side)

    @Override
    public void write(ByteBuf data) {
        if (channelClosed) {
            data.release();
            return;
        }
        channel.deliver(data);
    }

    @Override
    public void flush() {
    }

    @Override
    public long pendingBytes() {
        return channel.queuedBytes();
    }

    @Override
    public void shutdownOutput() {
        channel.deliverEof();
    }

    @Override
    public void setReading(boolean reading) {
        boolean resumed = reading && !this.reading;
        this.reading = reading;
        if (resumed) {
            channel.transmitterWritable();
        }
    }

    @Override
    public void close() {
        channelClosed = true;
        // Both FINs are through, but the channel may still hold guest bytes its owner has not read.
        channel.closeWhenDrained();
    }

    @Override
    public void abort() {
        channelClosed = true;
        channel.reset("by the guest or the stack");
    }

    @Override
    public String describe() {
        var outbound = channel.unsafe().outboundBuffer();
        return "service channel " + (channel.isActive() ? "active" : "inactive") + (reading ? "" : " paused")
                + (channel.isWritable() ? " writable" : " unwritable") + " outbound="
                + (outbound == null ? 0 : outbound.totalPendingWriteBytes()) + " inbound=" + channel.queuedBytes();
    }

    // ---- StreamTransmitter (the channel's side)

    @Override
    public boolean canTransmit() {
        return reading && conn.peer == this;
    }

    @Override
    public void transmit(ByteBuf data) {
        if (conn.peer != this) {
            data.release();
            return;
        }
        conn.peerData(data);
    }

    @Override
    public void transmitted() {
        if (conn.peer == this) {
            conn.peerReadComplete();
        }
    }

    @Override
    public void outputShutdown() {
        if (conn.peer == this) {
            conn.peerEof();
        }
    }

    @Override
    public void consumed() {
        if (conn.peer == this) {
            conn.peerDrained();
        }
    }

    @Override
    public void closed() {
        channelClosed = true;
        if (conn.peer == this) {
            conn.peerEof();
        }
    }
}
