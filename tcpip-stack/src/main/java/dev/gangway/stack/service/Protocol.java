package dev.gangway.stack.service;

/** The transport protocol of a service or a dial. */
public enum Protocol {
    /** Datagrams: channels carry {@link io.netty.channel.socket.DatagramPacket}s. */
    UDP,
    /** A byte stream: channels carry {@link io.netty.buffer.ByteBuf}s, with half-close. */
    TCP
}
