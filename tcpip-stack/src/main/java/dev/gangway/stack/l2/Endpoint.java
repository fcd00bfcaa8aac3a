package dev.gangway.stack.l2;

import dev.gangway.stack.wire.MacAddress;
import io.netty.buffer.ByteBuf;

/** The switch's own station (the gateway): receives what guests address to it or broadcast. */
public interface Endpoint {
    MacAddress mac();

    /** One frame from {@code from}, on its loop; takes ownership. */
    void receive(SwitchPort from, ByteBuf frame);
}
