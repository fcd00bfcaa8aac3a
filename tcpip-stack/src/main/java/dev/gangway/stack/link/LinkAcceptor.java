package dev.gangway.stack.link;

import io.netty.channel.ChannelHandler;

/** What a link needs from the network it joins (implemented by {@code NetworkStack}). */
public interface LinkAcceptor {
    /** The handler that takes this link's frames; added last to the link's pipeline. */
    ChannelHandler portHandler(String name);

    /** The longest frame a link accepts from a guest (MTU plus Ethernet and VLAN headers). */
    int maxFrameLength();

    /** Reports a link event, one line. */
    void event(String message);
}
