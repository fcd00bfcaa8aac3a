package dev.gangway.stack.service;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * A datagram channel that lives inside the virtual network: its pipeline reads and writes
 * {@link DatagramPacket}s exactly like a host UDP socket's, but the datagrams come from and go to the
 * guest through the stack. Bound to one address and port of the gateway (a service) or connected to one
 * guest address and port (a dial).
 *
 * <p>Inbound datagrams wait in a queue bounded by {@link #MAX_QUEUED} while the channel is not reading
 * (auto-read off, or between read calls); past the bound they are released and counted in
 * {@link #dropped()}.
 */
public final class VirtualDatagramChannel extends VirtualChannel {
    /** Datagrams held for a channel that is not reading; the guest cannot grow this further. */
    public static final int MAX_QUEUED = 512;

    private final ChannelConfig config = new DefaultChannelConfig(this);
    private final DatagramTransmitter transmitter;
    private volatile InetSocketAddress remote;
    private final ArrayDeque<DatagramPacket> inbound = new ArrayDeque<>();
    private final LongAdder dropped = new LongAdder();
    private boolean readRequested;
    private boolean delivering;

    /**
     * @param local  the address datagrams are sent from (a gateway address, or a dial's source)
     * @param remote the peer for a connected (dialled) channel, or {@code null} for a service
     */
    public VirtualDatagramChannel(DatagramTransmitter transmitter, InetSocketAddress local,
            InetSocketAddress remote) {
        super(local);
        this.transmitter = transmitter;
        this.remote = remote;
    }

    /**
     * Hands one datagram from the guest to the pipeline. Must be called on this channel's event loop.
     * Takes ownership of {@code packet}.
     */
    public void deliver(DatagramPacket packet) {
        if (!open || inbound.size() >= MAX_QUEUED) {
            dropped.increment();
            packet.release();
            return;
        }
        inbound.add(packet);
        if (readRequested) {
            drain();
        }
    }

    /** Datagrams dropped because the channel was closed or its queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    private void drain() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            boolean any = false;
            while (readRequested && !inbound.isEmpty()) {
                readRequested = config.isAutoRead();
                any = true;
                pipeline().fireChannelRead(inbound.poll());
            }
            if (any) {
                pipeline().fireChannelReadComplete();
            }
        } finally {
            delivering = false;
        }
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
                if (!promise.setUncancellable() || !ensureOpen(promise)) {
                    return;
                }
                if (!(remoteAddress instanceof InetSocketAddress inet) || inet.isUnresolved()) {
                    promise.setFailure(new IllegalArgumentException("not a resolved address: " + remoteAddress));
                    return;
                }
                remote = inet;
                promise.setSuccess();
            }
        };
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        if (!local.equals(localAddress)) {
            throw new UnsupportedOperationException("a virtual channel stays bound to " + local);
        }
    }

    @Override
    protected void doDisconnect() {
        remote = null;
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        DatagramPacket packet;
        while ((packet = inbound.poll()) != null) {
            packet.release();
        }
        transmitter.closed(this);
    }

    @Override
    protected void doBeginRead() {
        readRequested = true;
        if (!inbound.isEmpty() && !delivering) {
            eventLoop().execute(() -> {
                if (open) {
                    drain();
                }
            });
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof DatagramPacket) {
            return msg;
        }
        if (msg instanceof AddressedEnvelope<?, ?> envelope
                && envelope.content() instanceof ByteBuf
                && envelope.recipient() instanceof InetSocketAddress) {
            return msg;
        }
        if (msg instanceof ByteBuf && remote != null) {
            return msg;
        }
        throw new UnsupportedOperationException("unsupported message type: " + msg.getClass().getSimpleName()
                + " (write DatagramPacket, or ByteBuf on a connected channel)");
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                return;
            }
            ByteBuf content;
            InetSocketAddress recipient;
            if (msg instanceof AddressedEnvelope<?, ?> envelope) {
                content = (ByteBuf) envelope.content();
                recipient = (InetSocketAddress) envelope.recipient();
            } else {
                content = (ByteBuf) msg;
                recipient = remote;
            }
            if (recipient == null) {
                in.remove(new IllegalStateException("no recipient: the channel is not connected"));
                continue;
            }
            transmitter.transmit(local, recipient, content.retain());
            in.remove();
        }
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    InetSocketAddress peer() {
        return remote;
    }
}
