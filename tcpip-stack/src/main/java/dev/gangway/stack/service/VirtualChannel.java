package dev.gangway.stack.service;

import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the stack's virtual channels share: they live on any event loop (the guest link's), are bound to
 * one address of the virtual network for life, and name their peer by {@link #peer()}.
 */
abstract class VirtualChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    protected final InetSocketAddress local;
    /** Cleared once by {@code doClose}, on the event loop; read from any thread. */
    protected volatile boolean open = true;

    VirtualChannel(InetSocketAddress local) {
        super(null);
        this.local = local;
    }

    /** The peer: the guest's address and port, or null for an unconnected datagram service. */
    abstract InetSocketAddress peer();

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return peer();
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return peer();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && isRegistered();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }
}
