package dev.gangway.stack.link;

import io.netty.channel.ChannelHandler;

/** What a link needs from the network it joins (implemented by {@code NetworkStack}). */
public interface LinkAcceptor {
    /**
     * The longest frame any link framing accepts (a 64 KiB IP packet, Ethernet and VLAN headers). A length
     * field beyond it is a corrupt stream and closes the link; a frame within it but longer than
     * {@link #maxFrameLength()} is only dropped and counted.
     */
    int MAX_WIRE_FRAME = 65535 + 18;

    /** The handler that takes this link's frames; added last to the link's pipeline. */
    ChannelHandler portHandler(String name);

    /** The longest frame a link accepts from a guest (MTU plus Ethernet and VLAN headers). */
    int maxFrameLength();

    /** Reports a link event, one line. */
    void event(String message);
}
