package dev.gangway.stack.service;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * A stream channel that lives inside the virtual network: one TCP connection with a guest, accepted by a
 * service bound on the gateway or dialled into the guest. Its pipeline reads and writes {@link ByteBuf}s
 * like a host socket channel's, with the same half-close semantics: the guest's FIN becomes
 * {@link ChannelInputShutdownEvent} when {@link ChannelOption#ALLOW_HALF_CLOSURE} is set (otherwise the
 * channel closes), {@link #shutdownOutput()} sends FIN after the written bytes, and a RST from the guest
 * surfaces as an {@link IOException} ("connection reset") followed by close.
 *
 * <p>Flow control: inbound bytes wait here while the channel is not reading; what waits is subtracted
 * from the TCP window offered to the guest, so the guest cannot queue more than that window. Writes are
 * handed to the connection while its send buffer has room; beyond it they wait in the channel's outbound
 * buffer, which makes the channel unwritable at the usual water marks.
 */
public final class VirtualStreamChannel extends VirtualChannel implements DuplexChannel {
    private final StreamConfig config = new StreamConfig(this);
    private final StreamTransmitter transmitter;
    private final InetSocketAddress remote;
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private long inboundBytes;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private boolean eofPending;
    private boolean shutdownPending;
    private boolean readRequested;
    private boolean delivering;
    private boolean closeWhenDrained;

    /**
     * @param local  the address the guest talks to (a gateway address, or a dial's source)
     * @param remote the guest's address and port
     */
    public VirtualStreamChannel(StreamTransmitter transmitter, InetSocketAddress local, InetSocketAddress remote) {
        super(local);
        this.transmitter = transmitter;
        this.remote = remote;
    }

    // ---- called by the stack, on the channel's loop

    /** Guest bytes in order; ownership taken. */
    public void deliver(ByteBuf data) {
        if (!open || inputShutdown) {
            data.release();
            return;
        }
        inbound.add(data);
        inboundBytes += data.readableBytes();
        if (readRequested) {
            drain();
        }
    }

    /** The guest sent FIN: after the queued bytes, the input is shut down. */
    public void deliverEof() {
        if (!open || eofPending || inputShutdown) {
            return;
        }
        eofPending = true;
        if (inbound.isEmpty()) {
            drain();
        }
    }

    /**
     * The connection ended normally (both FINs through): close once the pipeline has read what is still queued
     * and seen the end of input. Closing at once would throw away guest bytes the owner has not read yet.
     */
    public void closeWhenDrained() {
        if (!open) {
            return;
        }
        closeWhenDrained = true;
        if (inbound.isEmpty() && (inputShutdown || !eofPending)) {
            close();
        }
    }

    /** The guest reset the connection (or it was aborted): the pipeline sees the error, then the channel closes. */
    public void reset(String why) {
        if (!open) {
            return;
        }
        pipeline().fireExceptionCaught(new IOException("connection reset: " + why));
        close();
    }

    /** Guest bytes waiting for the channel to read them. */
    public long queuedBytes() {
        return inboundBytes;
    }

    /** The connection has room again: hand it the writes that waited. */
    public void transmitterWritable() {
        if (open && isRegistered()) {
            unsafe().flush();
        }
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
                var data = inbound.poll();
                inboundBytes -= data.readableBytes();
                any = true;
                pipeline().fireChannelRead(data);
            }
            if (any) {
                pipeline().fireChannelReadComplete();
                transmitter.consumed();
            }
            if (inbound.isEmpty() && eofPending && !inputShutdown && open) {
                inputShutdown = true;
                if (config.allowHalfClosure) {
                    pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                    pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
                } else {
                    close();
                }
            }
            if (closeWhenDrained && open && inbound.isEmpty() && (inputShutdown || !eofPending)) {
                close();
            }
        } finally {
            delivering = false;
        }
        // A read() asked for while delivering (typically from channelReadComplete) found delivering set and
        // scheduled nothing: without this, queued bytes would wait for the guest's next segment, which never
        // comes once the guest has sent everything the window allowed.
        if (open && readRequested && !inbound.isEmpty()) {
            eventLoop().execute(() -> {
                if (open) {
                    drain();
                }
            });
        }
    }

    // ---- channel

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
                promise.setFailure(new UnsupportedOperationException(
                        "a virtual stream channel is connected by the stack"));
            }
        };
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a virtual stream channel stays bound to " + local);
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        ByteBuf data;
        while ((data = inbound.poll()) != null) {
            data.release();
        }
        inboundBytes = 0;
        transmitter.closed();
    }

    @Override
    protected void doBeginRead() {
        readRequested = true;
        if ((!inbound.isEmpty() || eofPending && !inputShutdown) && !delivering) {
            eventLoop().execute(() -> {
                if (open) {
                    drain();
                }
            });
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            if (outputShutdown) {
                throw new IllegalStateException("output is shut down");
            }
            return msg;
        }
        throw new UnsupportedOperationException("unsupported message type: " + msg.getClass().getSimpleName()
                + " (write ByteBuf)");
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        boolean any = false;
        try {
            for (;;) {
                Object msg = in.current();
                if (msg == null) {
                    break;
                }
                if (!transmitter.canTransmit()) {
                    return;
                }
                var data = (ByteBuf) msg;
                if (data.isReadable()) {
                    transmitter.transmit(data.retain());
                    any = true;
                }
                in.remove();
            }
            if (shutdownPending) {
                shutdownPending = false;
                transmitter.outputShutdown();
            }
        } finally {
            if (any) {
                transmitter.transmitted();
            }
        }
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    // ---- half-close

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        runOnLoop(() -> {
            inputShutdown = true;
            ByteBuf data;
            while ((data = inbound.poll()) != null) {
                data.release();
            }
            inboundBytes = 0;
            transmitter.consumed();
            promise.trySuccess();
        }, promise);
        return promise;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        runOnLoop(() -> {
            if (!outputShutdown && open) {
                outputShutdown = true;
                shutdownPending = true;
                unsafe().flush();
                var buffer = unsafe().outboundBuffer();
                if (shutdownPending && (buffer == null || buffer.isEmpty())) {
                    shutdownPending = false;
                    transmitter.outputShutdown();
                }
            }
            promise.trySuccess();
        }, promise);
        return promise;
    }

    @Override
    public boolean isShutdown() {
        return inputShutdown && outputShutdown || !open;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        shutdownOutput();
        return shutdownInput(promise);
    }

    private void runOnLoop(Runnable task, ChannelPromise promise) {
        if (!isRegistered()) {
            promise.tryFailure(new IllegalStateException("not registered"));
        } else if (eventLoop().inEventLoop()) {
            task.run();
        } else {
            eventLoop().execute(task);
        }
    }

    /** The channel's options: the defaults plus {@link ChannelOption#ALLOW_HALF_CLOSURE}. */
    private static final class StreamConfig extends DefaultChannelConfig {
        volatile boolean allowHalfClosure;

        StreamConfig(VirtualStreamChannel channel) {
            super(channel);
        }

        @Override
        public Map<ChannelOption<?>, Object> getOptions() {
            return getOptions(super.getOptions(), ChannelOption.ALLOW_HALF_CLOSURE);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getOption(ChannelOption<T> option) {
            if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
                return (T) Boolean.valueOf(allowHalfClosure);
            }
            return super.getOption(option);
        }

        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
            if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
                allowHalfClosure = (Boolean) value;
                return true;
            }
            return super.setOption(option, value);
        }
    }

    @Override
    InetSocketAddress peer() {
        return remote;
    }
}
