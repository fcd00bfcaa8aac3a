package dev.gangway.stack.l2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/** A guest link as the switch sees it: somewhere to send frames, on its own event loop. */
public interface SwitchPort {
    /** The loop every frame of this port is handled on. */
    EventLoop loop();

    /** Sends one frame to the guest; takes ownership. Called on {@link #loop()}. */
    void transmit(ByteBuf frame);

    /** A short name for logs: {@code qemu:unix:/run/x.sock#1}. */
    String name();
}
