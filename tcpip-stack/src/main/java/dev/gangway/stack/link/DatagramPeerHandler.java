package dev.gangway.stack.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;

/**
 * Unix datagram framing (QEMU {@code -netdev dgram}, vfkit): one Ethernet frame per datagram. The peer
 * is learned from the first datagram it sends (vfkit's 4-byte {@code VFKT} hello is recognised and
 * dropped); frames for the guest go to that peer, and are dropped while no peer is known. A datagram
 * from another address replaces the peer (the VM restarted).
 */
public final class DatagramPeerHandler extends ChannelDuplexHandler {
    private static final int VFKT = 0x56464B54;

    private final LinkAcceptor acceptor;
    private final String name;
    private DomainSocketAddress peer;

    public DatagramPeerHandler(LinkAcceptor acceptor, String name) {
        this.acceptor = acceptor;
        this.name = name;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DomainDatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        var sender = packet.sender();
        if (sender == null || sender.path().isEmpty()) {
            packet.release();
            acceptor.event("link " + name + ": datagram from an unnamed socket dropped (the peer must bind a path)");
            return;
        }
        if (!sender.equals(peer)) {
            acceptor.event("link " + name + ": peer " + sender.path() + (peer == null ? "" : " replaces " + peer.path()));
            peer = sender;
        }
        ByteBuf content = packet.content();
        if (content.readableBytes() == 4 && content.getInt(content.readerIndex()) == VFKT) {
            packet.release();
            return;
        }
        ctx.fireChannelRead(content);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf frame) {
            if (peer == null) {
                frame.release();
                promise.trySuccess();
                return;
            }
            ctx.write(new DomainDatagramPacket(frame, peer), promise);
            return;
        }
        ctx.write(msg, promise);
    }
}
