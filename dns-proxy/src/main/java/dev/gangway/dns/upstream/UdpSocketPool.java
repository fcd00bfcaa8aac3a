package dev.gangway.dns.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Connected UDP sockets to one upstream server, owned by one event loop and used only from it.
 *
 * <p>Opening a socket per query costs more than the query; this pool keeps up to {@link #SOCKETS} sockets
 * per server and loop, handed out in turn, each with its own kernel-chosen random port. A socket carries at
 * most {@link #USES} queries and is then replaced, so source ports keep changing (RFC 5452 §9.2: an
 * attacker must guess both a live port and a 16-bit ID, which is unique among the queries in flight on its
 * socket). Being connected, a socket hears the server's ICMP errors: they fail every query waiting on it.
 */
final class UdpSocketPool {
    static final int SOCKETS = 16;
    static final int USES = 64;
    /**
     * The largest UDP reply read. We advertise 1232 bytes (512 without EDNS0); a server that sends more
     * than this is cut short, the reply fails its scan and counts as lost.
     */
    static final int MAX_UDP_REPLY = 4096;

    /** The query waiting on a socket for its reply. */
    interface Waiter {
        /** A datagram carrying its ID; the buffer stays the caller's. */
        void datagram(ByteBuf content);

        /** The socket failed (ICMP unreachable, send error): no reply will come on it. */
        void failed();
    }

    /** A query's place on a socket: its ID, then one {@link #send}, and a {@link #cancel} when done. */
    final class Ticket {
        private final Slot slot;
        private final int id;
        private final Waiter waiter;

        private Ticket(Slot slot, int id, Waiter waiter) {
            this.slot = slot;
            this.id = id;
            this.waiter = waiter;
        }

        int id() {
            return id;
        }

        /** Sends the query (ownership passes; its ID must be {@link #id()}). */
        void send(ByteBuf query) {
            slot.write(query, id, waiter);
        }

        void cancel() {
            slot.cancel(id, waiter);
        }
    }

    private final Transport transport;
    private final EventLoop loop;
    private final InetSocketAddress server;
    private final Slot[] slots = new Slot[SOCKETS];
    private int next;

    UdpSocketPool(Transport transport, EventLoop loop, InetSocketAddress server) {
        this.transport = transport;
        this.loop = loop;
        this.server = server;
    }

    /** Registers {@code waiter} on the next socket in turn under a random ID from {@code ids}, unique on it. */
    Ticket register(IntSupplier ids, Waiter waiter) {
        int index = next;
        next = (next + 1) % SOCKETS;
        Slot slot = slots[index];
        if (slot == null || slot.closed) {
            slot = new Slot(index);
            slots[index] = slot;
        }
        int id;
        do {
            id = ids.getAsInt();
        } while (slot.pending.containsKey(id));
        slot.pending.put(id, waiter);
        if (++slot.uses >= USES) {
            slots[index] = null;
            slot.retired = true;
        }
        return new Ticket(slot, id, waiter);
    }

    private final class Slot {
        final int index;
        final Map<Integer, Waiter> pending = new HashMap<>();
        final ChannelFuture connect;
        int uses;
        boolean retired;
        boolean closed;

        Slot(int index) {
            this.index = index;
            this.connect = new Bootstrap().group(loop).channel(transport.datagramChannel())
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_UDP_REPLY))
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            ByteBuf content = packet.content();
                            if (content.readableBytes() >= 2) {
                                Waiter w = pending.get(content.getUnsignedShort(content.readerIndex()));
                                if (w != null) {
                                    w.datagram(content);
                                }
                            }
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            fail();
                        }
                    })
                    .connect(server);
        }

        void write(ByteBuf query, int id, Waiter waiter) {
            connect.addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess() || closed) {
                    query.release();
                    fail();
                    return;
                }
                f.channel().writeAndFlush(new DatagramPacket(query, server)).addListener((ChannelFutureListener) w -> {
                    if (!w.isSuccess() && pending.get(id) == waiter) {
                        fail();
                    }
                });
            });
        }

        void cancel(int id, Waiter waiter) {
            pending.remove(id, waiter);
            if (retired && pending.isEmpty()) {
                close();
            }
        }

        /** Every waiting query fails and the socket is closed; the next query gets a new one. */
        void fail() {
            if (closed) {
                return;
            }
            close();
            for (Waiter w : new ArrayList<>(pending.values())) {
                w.failed();
            }
            pending.clear();
        }

        void close() {
            closed = true;
            if (slots[index] == this) {
                slots[index] = null;
            }
            Channel ch = connect.channel();
            ch.close();
        }
    }
}
