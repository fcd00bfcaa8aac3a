package dev.gangway.stack;

import dev.gangway.stack.tcp.TcpConfig;
import dev.gangway.stack.wire.Ipv4Address;
import dev.gangway.stack.wire.MacAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The shape of one virtual network. Defaults follow Docker Desktop: subnet {@code 192.168.65.0/24},
 * gateway {@code .1}, first guest {@code .2}, host loopback alias {@code .254}.
 *
 * @param network          the subnet's network address
 * @param prefixLength     the subnet's prefix length (8 to 30)
 * @param mtu              the link MTU offered to guests (576 to 65520)
 * @param gatewayMac       the gateway's Ethernet address
 * @param udpIdleTimeout   a UDP NAT flow with no traffic this long is closed
 * @param maxUdpFlows      UDP NAT flows per guest link; the least recently used is closed past it
 * @param maxIcmpFlows     ICMP echo flows per guest link
 * @param reassemblyBytes  bytes of incomplete IPv4 fragments held per guest link
 * @param reassemblyTimeout incomplete datagrams older than this are discarded
 * @param leaseTime        DHCP lease time
 * @param hostName         DHCP option 12 for guests, or {@code null}
 * @param domainSearch     DHCP option 119
 * @param pcap             file to record every frame to, or {@code null}
 * @param hostOnly         guests reach only the host alias (like slirp's {@code restrict}); other
 *                         destinations beyond the subnet get ICMP administratively prohibited
 * @param tcp              the TCP engine's tunables (flow cap, buffers, idle cut, keepalive, connect
 *                         timeout, what an unreachable destination becomes)
 */
public record NetworkConfig(int network, int prefixLength, int mtu, MacAddress gatewayMac, Duration udpIdleTimeout,
        int maxUdpFlows, int maxIcmpFlows, int reassemblyBytes, Duration reassemblyTimeout, Duration leaseTime,
        String hostName, List<String> domainSearch, Path pcap, boolean hostOnly, TcpConfig tcp) {

    public static final int MIN_MTU = 576;
    public static final int MAX_MTU = 65520;

    public NetworkConfig {
        if (prefixLength < 8 || prefixLength > 30) {
            throw new IllegalArgumentException("subnet prefix must be between /8 and /30: /" + prefixLength);
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("not a network address: " + Ipv4Address.format(network) + "/"
                    + prefixLength);
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("MTU must be between " + MIN_MTU + " and " + MAX_MTU + ": " + mtu);
        }
        if (maxUdpFlows < 1 || maxIcmpFlows < 1 || reassemblyBytes < 65535) {
            throw new IllegalArgumentException("flow bounds must be positive and reassembly at least 65535 bytes");
        }
        domainSearch = List.copyOf(domainSearch);
        java.util.Objects.requireNonNull(tcp, "tcp");
    }

    public static NetworkConfig defaults() {
        return new NetworkConfig(Ipv4Address.parse("192.168.65.0"), 24, 1500, MacAddress.parse("5a:94:ef:e4:0c:dd"),
                Duration.ofSeconds(90), 4096, 256, 1 << 20, Duration.ofSeconds(30), Duration.ofHours(2), null,
                List.of(), null, false, TcpConfig.defaults());
    }

    /** Parses {@code a.b.c.d/n}. */
    public NetworkConfig withSubnet(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("subnet must look like 192.168.65.0/24: " + cidr);
        }
        return new NetworkConfig(Ipv4Address.parse(cidr.substring(0, slash)),
                Integer.parseInt(cidr.substring(slash + 1)), mtu, gatewayMac, udpIdleTimeout, maxUdpFlows,
                maxIcmpFlows, reassemblyBytes, reassemblyTimeout, leaseTime, hostName, domainSearch, pcap, hostOnly, tcp);
    }

    public NetworkConfig withMtu(int value) {
        return new NetworkConfig(network, prefixLength, value, gatewayMac, udpIdleTimeout, maxUdpFlows, maxIcmpFlows,
                reassemblyBytes, reassemblyTimeout, leaseTime, hostName, domainSearch, pcap, hostOnly, tcp);
    }

    public NetworkConfig withPcap(Path file) {
        return new NetworkConfig(network, prefixLength, mtu, gatewayMac, udpIdleTimeout, maxUdpFlows, maxIcmpFlows,
                reassemblyBytes, reassemblyTimeout, leaseTime, hostName, domainSearch, file, hostOnly, tcp);
    }

    public NetworkConfig withUdp(Duration idleTimeout, int maxFlows) {
        return new NetworkConfig(network, prefixLength, mtu, gatewayMac, idleTimeout, maxFlows, maxIcmpFlows,
                reassemblyBytes, reassemblyTimeout, leaseTime, hostName, domainSearch, pcap, hostOnly, tcp);
    }

    public NetworkConfig withReassembly(int bytes, Duration timeout) {
        return new NetworkConfig(network, prefixLength, mtu, gatewayMac, udpIdleTimeout, maxUdpFlows, maxIcmpFlows,
                bytes, timeout, leaseTime, hostName, domainSearch, pcap, hostOnly, tcp);
    }

    public NetworkConfig withNames(String guestHostName, List<String> search) {
        return new NetworkConfig(network, prefixLength, mtu, gatewayMac, udpIdleTimeout, maxUdpFlows, maxIcmpFlows,
                reassemblyBytes, reassemblyTimeout, leaseTime, guestHostName, search, pcap, hostOnly, tcp);
    }

    public NetworkConfig withTcp(TcpConfig value) {
        return new NetworkConfig(network, prefixLength, mtu, gatewayMac, udpIdleTimeout, maxUdpFlows, maxIcmpFlows,
                reassemblyBytes, reassemblyTimeout, leaseTime, hostName, domainSearch, pcap, hostOnly, value);
    }

    public NetworkConfig withHostOnly(boolean value) {
        return new NetworkConfig(network, prefixLength, mtu, gatewayMac, udpIdleTimeout, maxUdpFlows, maxIcmpFlows,
                reassemblyBytes, reassemblyTimeout, leaseTime, hostName, domainSearch, pcap, value, tcp);
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public int subnetMask() {
        return mask(prefixLength);
    }

    public int gateway() {
        return network + 1;
    }

    public int firstGuest() {
        return network + 2;
    }

    /** The last usable address: the host loopback alias ({@code .254} in a /24). */
    public int hostAlias() {
        return broadcast() - 1;
    }

    public int broadcast() {
        return network | ~subnetMask();
    }

    public boolean inSubnet(int address) {
        return (address & subnetMask()) == network;
    }
}
