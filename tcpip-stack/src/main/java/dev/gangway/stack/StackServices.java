package dev.gangway.stack;

import dev.gangway.stack.iface.Gateway;
import dev.gangway.stack.service.NetworkServices;
import dev.gangway.stack.service.Protocol;
import dev.gangway.stack.service.ServiceBinding;
import dev.gangway.stack.service.VirtualDatagramChannel;
import dev.gangway.stack.tcp.TcpLink;
import dev.gangway.stack.tcp.TcpServices;
import dev.gangway.stack.udp.UdpLink;
import dev.gangway.stack.udp.UdpServices;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.Ipv4Packet;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The stack's implementation of the service API over UDP and TCP. */
final class StackServices implements NetworkServices, UdpServices, TcpServices {
    private final Gateway gateway;
    private final ConcurrentHashMap<Integer, UdpBinding> udp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, TcpBinding> tcp = new ConcurrentHashMap<>();

    StackServices(Gateway gateway) {
        this.gateway = gateway;
    }

    private final class UdpBinding implements ServiceBinding {
        final int port;
        final ChannelInitializer<Channel> initializer;
        final List<VirtualDatagramChannel> channels = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        UdpBinding(int port, ChannelInitializer<Channel> initializer) {
            this.port = port;
            this.initializer = initializer;
        }

        void bindOn(UdpLink link) {
            if (!closed) {
                channels.add(link.bind(gateway.config().gateway(), port, initializer));
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress(Ipv4Address.toInet(gateway.config().gateway()), port);
        }

        @Override
        public Protocol protocol() {
            return Protocol.UDP;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            udp.remove(port, this);
            channels.forEach(Channel::close);
        }
    }

    /** A TCP service: every link listens on the port; accepted connections are stream channels. */
    private final class TcpBinding implements ServiceBinding {
        final int port;
        final ChannelInitializer<Channel> initializer;
        volatile boolean closed;

        TcpBinding(int port, ChannelInitializer<Channel> initializer) {
            this.port = port;
            this.initializer = initializer;
        }

        void listenOn(TcpLink link) {
            if (!closed) {
                link.listen(port, initializer);
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress(Ipv4Address.toInet(gateway.config().gateway()), port);
        }

        @Override
        public Protocol protocol() {
            return Protocol.TCP;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            tcp.remove(port, this);
            for (var link : gateway.links()) {
                link.loop().execute(() -> {
                    if (!link.isClosed()) {
                        link.transport(Ipv4Packet.PROTO_TCP, TcpLink.class).unlisten(port, initializer);
                    }
                });
            }
        }
    }

    @Override
    public void attached(TcpLink link) {
        for (var binding : tcp.values()) {
            binding.listenOn(link);
        }
    }

    private ServiceBinding listenTcp(int port, ChannelInitializer<Channel> initializer) {
        var binding = new TcpBinding(port, initializer);
        if (tcp.putIfAbsent(port, binding) != null) {
            throw new IllegalStateException("TCP port " + port + " of the gateway is already bound");
        }
        for (var link : gateway.links()) {
            link.loop().execute(() -> {
                if (!link.isClosed()) {
                    binding.listenOn(link.transport(Ipv4Packet.PROTO_TCP, TcpLink.class));
                }
            });
        }
        return binding;
    }

    @Override
    public ServiceBinding listen(InetAddress gatewayAddress, int port, Protocol protocol,
            ChannelInitializer<Channel> initializer) {
        if (Ipv4Address.of(gatewayAddress) != gateway.config().gateway()) {
            throw new IllegalArgumentException(gatewayAddress.getHostAddress() + " is not the gateway address "
                    + Ipv4Address.format(gateway.config().gateway()));
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (protocol == Protocol.TCP) {
            return listenTcp(port, initializer);
        }
        if (port == 67) {
            throw new IllegalStateException("UDP port 67 of the gateway is the DHCP server");
        }
        var binding = new UdpBinding(port, initializer);
        if (udp.putIfAbsent(port, binding) != null) {
            throw new IllegalStateException("UDP port " + port + " of the gateway is already bound");
        }
        for (var link : gateway.links()) {
            link.loop().execute(() -> {
                if (!link.isClosed()) {
                    binding.bindOn(link.transport(Ipv4Packet.PROTO_UDP, UdpLink.class));
                }
            });
        }
        return binding;
    }

    @Override
    public void attached(UdpLink link) {
        for (var binding : udp.values()) {
            binding.bindOn(link);
        }
    }

    @Override
    public Future<Channel> dial(InetAddress guestAddress, int port, Protocol protocol, InetSocketAddress source,
            ChannelInitializer<Channel> initializer) {
        int guest = Ipv4Address.of(guestAddress);
        var link = gateway.linkOf(guest);
        if (link == null) {
            return GlobalEventExecutor.INSTANCE.newFailedFuture(new NoRouteToHostException(
                    "no guest with address " + guestAddress.getHostAddress() + " on the virtual network"));
        }
        var promise = link.loop().<Channel>newPromise();
        if (protocol == Protocol.TCP) {
            link.loop().execute(() -> {
                try {
                    link.transport(Ipv4Packet.PROTO_TCP, TcpLink.class).dial(guest, port, source, initializer,
                            promise);
                } catch (RuntimeException e) {
                    promise.tryFailure(e);
                }
            });
            return promise;
        }
        link.loop().execute(() -> {
            try {
                var channel = link.transport(Ipv4Packet.PROTO_UDP, UdpLink.class).dial(guest, port, source);
                if (initializer != null) {
                    channel.pipeline().addLast(initializer);
                }
                link.loop().register(channel).addListener(f -> {
                    if (f.isSuccess()) {
                        promise.trySuccess(channel);
                    } else {
                        promise.tryFailure(f.cause());
                    }
                });
            } catch (RuntimeException e) {
                promise.tryFailure(e);
            }
        });
        return promise;
    }
}
