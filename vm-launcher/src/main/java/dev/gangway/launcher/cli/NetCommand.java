package dev.gangway.launcher.cli;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import dev.gangway.stack.tcp.TcpConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gangway net}: the userspace network on its own. */
@Command(name = "net", description = "The userspace network stack on its own.", mixinStandardHelpOptions = true,
        subcommands = NetCommand.Serve.class)
public final class NetCommand extends CommandGroup {
    /** {@code gangway net serve}: run the stack on the given links until interrupted. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the virtual network (switch, gateway, DHCP, ICMP, UDP NAT; host loopback at the"
                    + " subnet's .254) on the given links until interrupted; one line per link event.")
    public static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--link", required = true, paramLabel = "SPEC",
                description = "Where guests attach (repeatable): qemu:unix:PATH or qemu:tcp:HOST:PORT (QEMU -netdev"
                        + " stream framing), vfkit:PATH (unix datagrams: vfkit, QEMU -netdev dgram),"
                        + " vpnkit:PATH (HyperKit vmnet protocol).")
        List<String> links = new ArrayList<>();

        @Option(names = "--mtu", defaultValue = "1500", paramLabel = "N",
                description = "Link MTU offered to guests by DHCP, 576 to 65520 (default: ${DEFAULT-VALUE}).")
        int mtu;

        @Option(names = "--subnet", defaultValue = "192.168.65.0/24", paramLabel = "CIDR",
                description = "Guest subnet: gateway .1, guests from .2, host loopback at the last address"
                        + " (default: ${DEFAULT-VALUE}).")
        String subnet;

        @Option(names = "--pcap", paramLabel = "FILE", description = "Record every frame to FILE (pcap).")
        Path pcap;

        @Option(names = "--udp-idle-timeout", defaultValue = "90", paramLabel = "SECONDS",
                description = "Close a UDP NAT flow idle this long (default: ${DEFAULT-VALUE}).")
        int udpIdleSeconds;

        @Option(names = "--max-udp-flows", defaultValue = "4096", paramLabel = "N",
                description = "UDP NAT flows per guest link (default: ${DEFAULT-VALUE}).")
        int maxUdpFlows;

        @Option(names = "--tcp-max-flows", defaultValue = "65535", paramLabel = "N",
                description = "TCP connections per guest link; a SYN beyond it gets RST and is counted"
                        + " (default: ${DEFAULT-VALUE}).")
        int tcpMaxFlows;

        @Option(names = "--tcp-idle-timeout", paramLabel = "SECONDS",
                description = "Reset a TCP connection idle this long (default: never; idle connections are kept).")
        Integer tcpIdleSeconds;

        @Option(names = "--tcp-connect-timeout", defaultValue = "30", paramLabel = "SECONDS",
                description = "How long the host may take to connect for a guest's SYN before the destination"
                        + " counts as unreachable (default: ${DEFAULT-VALUE}).")
        int tcpConnectSeconds;

        @Option(names = "--tcp-unreachable", defaultValue = "icmp", paramLabel = "icmp|rst",
                converter = UnreachableConverter.class,
                description = "What a guest's SYN gets when the host cannot reach the destination: ICMP"
                        + " destination unreachable (the guest sees \"No route to host\") or a RST (\"Connection"
                        + " refused\") (default: ${DEFAULT-VALUE}).")
        TcpConfig.Unreachable tcpUnreachable;

        @Option(names = "--dns", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Serve DNS (UDP and TCP) on the gateway's port 53 with the DNS proxy: built-in names"
                        + " (host.docker.internal...), the hosts file, upstreams from /etc/resolv.conf (default: on).")
        boolean dns;

        @Option(names = "--dns-upstream", paramLabel = "IP[:PORT]",
                description = "Upstream DNS server (repeatable) instead of the nameservers of /etc/resolv.conf.")
        List<String> dnsUpstreams = new ArrayList<>();

        @Option(names = "--ports", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Host the port forwarder and its control API ('gangway expose' reaches the guest"
                        + " through this network; default: on).")
        boolean ports;

        @Option(names = "--api", paramLabel = "SOCKET",
                description = "The port forwarder's control socket (default: $XDG_RUNTIME_DIR/gangway/api.sock or"
                        + " ~/.gangway/run/api.sock).")
        Path api;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            NetworkConfig config;
            try {
                config = NetworkConfig.defaults().withSubnet(subnet).withMtu(mtu)
                        .withUdp(Duration.ofSeconds(udpIdleSeconds), maxUdpFlows).withPcap(pcap)
                        .withTcp(TcpConfig.defaults().withMaxFlows(tcpMaxFlows)
                                .withIdleTimeout(tcpIdleSeconds == null ? null : Duration.ofSeconds(tcpIdleSeconds))
                                .withConnectTimeout(Duration.ofSeconds(tcpConnectSeconds))
                                .withUnreachable(tcpUnreachable));
            } catch (IllegalArgumentException e) {
                throw new UserError("bad network option: " + e.getMessage() + "; fix: see 'gangway net serve --help'");
            }
            if (udpIdleSeconds < 1) {
                throw new UserError("--udp-idle-timeout must be at least 1 second; fix: pass a positive number");
            }
            var specs = new ArrayList<LinkSpec>();
            for (var link : links) {
                try {
                    specs.add(LinkSpec.parse(link));
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage() + "; fix: use one of the forms shown");
                }
            }
            NetworkStack stack;
            try {
                stack = NetworkStack.start(config, null, line -> {
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                });
            } catch (IOException e) {
                throw new UserError("cannot start the network: " + e.getMessage()
                        + "; fix: check that the --pcap file can be written");
            }
            var servers = new ArrayList<LinkServer>();
            var closers = new ArrayList<AutoCloseable>();
            var stopped = new CountDownLatch(1);
            try {
                for (var linkSpec : specs) {
                    try {
                        servers.add(LinkServer.open(linkSpec, stack, stack.group(), stack.epoll()));
                    } catch (IOException e) {
                        throw new UserError(e.getMessage() + "; fix: choose a path or port that is free and writable");
                    }
                    out.println("listening: " + linkSpec);
                }
                if (dns) {
                    closers.add(startDns(stack, config));
                }
                if (ports) {
                    closers.add(startForwarder(stack, config));
                }
                out.println("network " + subnet + " mtu " + mtu + ": gateway and DNS "
                        + dev.gangway.stack.wire.Ipv4Address.format(config.gateway()) + ", host loopback at "
                        + dev.gangway.stack.wire.Ipv4Address.format(config.hostAlias())
                        + (pcap == null ? "" : ", capture to " + pcap));
                out.flush();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    servers.forEach(LinkServer::close);
                    closeAll(closers);
                    stack.close();
                    out.println("counters: " + stack.counters().snapshot());
                    out.flush();
                    stopped.countDown();
                }));
                stopped.await();
            } catch (RuntimeException e) {
                servers.forEach(LinkServer::close);
                closeAll(closers);
                stack.close();
                throw e;
            }
            return 0;
        }

        /** The port forwarder and its control API, reaching guests through the stack's dial. */
        private AutoCloseable startForwarder(NetworkStack stack, NetworkConfig config) {
            var socket = api == null ? dev.gangway.forward.api.ApiSocketPath.defaultPath() : api;
            var dialer = dev.gangway.launcher.wiring.StackDialer.of(stack);
            dev.gangway.forward.ForwarderService service;
            try {
                service = dev.gangway.forward.ForwarderService.start(dialer, socket,
                        new dev.gangway.forward.ForwarderOptions(new dev.gangway.forward.dial.SourceAddressPolicy(
                                dev.gangway.stack.wire.Ipv4Address.toInet(config.hostAlias()), null),
                                dev.gangway.forward.relay.RelayLimits.DEFAULT, null));
            } catch (IOException e) {
                dialer.close();
                throw new UserError("cannot serve the port forwarder's API at " + socket + ": " + e.getMessage()
                        + "; fix: stop the other daemon, pass --api with a free path, or --no-ports");
            }
            var out = spec.commandLine().getOut();
            out.println("ports: forwarder API on " + service.apiSocket());
            return () -> {
                service.close();
                dialer.close();
            };
        }

        /** The DNS proxy on the gateway's port 53, UDP and TCP, through the stack's service API. */
        private AutoCloseable startDns(NetworkStack stack, NetworkConfig config) {
            var builder = dev.gangway.dns.server.DnsConfig.builder()
                    .gateway(dev.gangway.stack.wire.Ipv4Address.toInet(config.gateway()))
                    .hostAlias(dev.gangway.stack.wire.Ipv4Address.toInet(config.hostAlias()));
            for (var upstream : dnsUpstreams) {
                try {
                    builder.upstream(dev.gangway.dns.host.Addresses.parseSocketAddress(upstream, 53));
                } catch (IllegalArgumentException e) {
                    throw new UserError("--dns-upstream '" + upstream + "': " + e.getMessage()
                            + "; fix: write IP or IP:PORT");
                }
            }
            dev.gangway.dns.server.DnsConfig dnsConfig;
            try {
                dnsConfig = builder.build();
            } catch (IllegalArgumentException e) {
                throw new UserError("DNS: " + e.getMessage() + "; fix: pass --dns-upstream IP or --no-dns");
            }
            var transport = dev.gangway.dns.upstream.Transport.create(1, "gangway-dns");
            var server = new dev.gangway.dns.server.DnsServer(dnsConfig, transport);
            var gateway = dev.gangway.stack.wire.Ipv4Address.toInet(config.gateway());
            var udp = stack.services().listen(gateway, 53, dev.gangway.stack.service.Protocol.UDP,
                    server.datagramInitializer());
            var tcp = stack.services().listen(gateway, 53, dev.gangway.stack.service.Protocol.TCP,
                    server.streamInitializer());
            var out = spec.commandLine().getOut();
            out.println("dns: serving on " + gateway.getHostAddress() + ":53 (udp, tcp); upstreams "
                    + server.upstreams());
            return () -> {
                udp.close();
                tcp.close();
                server.close();
                transport.close();
            };
        }

        private static void closeAll(List<AutoCloseable> closers) {
            for (var closer : closers) {
                try {
                    closer.close();
                } catch (Exception ignored) {
                    // Shutting down: each closes what it can.
                }
            }
        }
    }

    /** {@code icmp} or {@code rst}, any case; anything else is a user error naming both. */
    static final class UnreachableConverter implements picocli.CommandLine.ITypeConverter<TcpConfig.Unreachable> {
        @Override
        public TcpConfig.Unreachable convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "icmp" -> TcpConfig.Unreachable.ICMP;
                case "rst" -> TcpConfig.Unreachable.RST;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not icmp or rst");
            };
        }
    }
}
