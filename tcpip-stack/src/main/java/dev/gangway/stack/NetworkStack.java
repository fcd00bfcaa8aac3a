package dev.gangway.stack;

import dev.gangway.stack.dhcp.DhcpServer;
import dev.gangway.stack.dhcp.Leases;
import dev.gangway.stack.icmp.IcmpProtocol;
import dev.gangway.stack.iface.Gateway;
import dev.gangway.stack.iface.GuestLink;
import dev.gangway.stack.iface.TransportProtocol;
import dev.gangway.stack.l2.VirtualSwitch;
import dev.gangway.stack.link.LinkAcceptor;
import dev.gangway.stack.pcap.PcapWriter;
import dev.gangway.stack.service.NetworkServices;
import dev.gangway.stack.stats.Counters;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.tcp.TcpConfig;
import dev.gangway.stack.tcp.TcpProtocol;
import dev.gangway.stack.udp.UdpProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual network: a switch, the gateway with its transports (ICMP, UDP and TCP, each a
 * {@code TransportProtocol}; more can join through {@link #register}), the DHCP server, the service API
 * and optional capture. Links attach to it through
 * {@link #portHandler}: each link's frames are handled on that link's event loop.
 */
public final class NetworkStack implements LinkAcceptor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkStack.class);

    private final NetworkConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final boolean epoll;
    private final Counters counters = new Counters();
    private final PcapWriter pcap;
    private final VirtualSwitch sw;
    private final Gateway gateway;
    private final Leases leases;
    private final StackServices services;
    private final Consumer<String> events;

    private NetworkStack(NetworkConfig config, EventLoopGroup group, Consumer<String> events) throws IOException {
        this.config = config;
        this.events = events;
        this.epoll = Epoll.isAvailable();
        if (group == null) {
            this.group = new MultiThreadIoEventLoopGroup(0,
                    epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            this.ownsGroup = true;
        } else {
            this.group = group;
            this.ownsGroup = false;
        }
        this.pcap = config.pcap() == null ? null : PcapWriter.open(config.pcap());
        this.sw = new VirtualSwitch(counters, pcap);
        this.leases = new Leases(config);
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        this.gateway = new Gateway(config, counters, sw, alloc, leases::owner);
        this.services = new StackServices(gateway);
        ChannelFactory<? extends DatagramChannel> hostChannels = epoll ? EpollDatagramChannel::new
                : NioDatagramChannel::new;
        IntFunction<DatagramChannel> echoSockets = epoll ? EpollDatagramChannel::new : null;
        gateway.register(new IcmpProtocol(echoSockets));
        gateway.register(new UdpProtocol(new DhcpServer(config, leases), hostChannels, services));
        ChannelFactory<? extends SocketChannel> hostSockets = epoll ? EpollSocketChannel::new : NioSocketChannel::new;
        gateway.register(new TcpProtocol(config.tcp(), hostSockets, services));
    }

    /** A stack on its own event loops (one per core; epoll where available, else NIO). */
    public static NetworkStack start(NetworkConfig config) throws IOException {
        return new NetworkStack(config, null, event -> LOG.info("{}", event));
    }

    /**
     * A stack on {@code group} (not closed with the stack), reporting link events to {@code events}.
     * The group's loops must fit the host channels: epoll loops when epoll is available, else NIO.
     */
    public static NetworkStack start(NetworkConfig config, EventLoopGroup group, Consumer<String> events)
            throws IOException {
        return new NetworkStack(config, group, events);
    }

    public NetworkConfig config() {
        return config;
    }

    /** The event loops links and flows run on. */
    public EventLoopGroup group() {
        return group;
    }

    /** True when links and host channels use the native epoll transport. */
    public boolean epoll() {
        return epoll;
    }

    public Counters counters() {
        return counters;
    }

    public NetworkServices services() {
        return services;
    }

    public Gateway gateway() {
        return gateway;
    }

    public Leases leases() {
        return leases;
    }

    /** Adds a transport (the TCP engine) for links that attach from now on. */
    public void register(TransportProtocol protocol) {
        gateway.register(protocol);
    }

    /**
     * The last handler of a link's pipeline: it receives whole Ethernet frames as {@link ByteBuf}s (longer
     * than MTU + 18 bytes: dropped and counted), attaches the guest when the channel becomes active and
     * detaches it when the channel closes. Frames the stack sends are written to the channel as
     * {@code ByteBuf}s for the link's encoder.
     */
    @Override
    public ChannelHandler portHandler(String name) {
        return new PortHandler(name);
    }

    /** Reports a link event (accepted, closed, refused) to the event sink. */
    @Override
    public void event(String message) {
        events.accept(message);
    }

    @Override
    public int maxFrameLength() {
        return config.mtu() + 18;
    }

    private final class PortHandler extends ChannelInboundHandlerAdapter {
        private final String name;
        private GuestLink link;
        private boolean failed;

        PortHandler(String name) {
            this.name = name;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
                attach(ctx);
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            attach(ctx);
            ctx.fireChannelActive();
        }

        private void attach(ChannelHandlerContext ctx) {
            if (link == null) {
                link = gateway.attach(name, ctx.channel());
                events.accept("link up: " + name);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf frame) || link == null) {
                counters.drop(Layer.LINK, "not-a-frame");
                ReferenceCountUtil.release(msg);
                return;
            }
            int length = frame.readableBytes();
            counters.in(Layer.LINK, length);
            if (length > maxFrameLength()) {
                counters.drop(Layer.LINK, "frame-too-long");
                frame.release();
                return;
            }
            sw.ingress(link, frame);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (link != null) {
                gateway.detach(link);
                events.accept("link down: " + name);
                link = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failed) {
                return;
            }
            failed = true;
            counters.drop(Layer.LINK, "error");
            events.accept("link error: " + name + ": " + cause.getMessage() + " (link closed)");
            ctx.close();
        }
    }

    @Override
    public void close() {
        for (var link : gateway.links()) {
            link.channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        if (pcap != null) {
            pcap.close();
        }
    }
}
