package dev.gangway.stack.dhcp;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.wire.DhcpOptions;
import dev.gangway.stack.wire.DhcpPacket;
import dev.gangway.stack.wire.DhcpRepr;
import dev.gangway.stack.wire.Ipv4Address;
import java.util.List;

/**
 * The DHCP server's decisions (RFC 2131), free of I/O: a request in, the reply (or nothing) out.
 * DISCOVER gets an OFFER of the address reserved for the client's MAC; REQUEST gets an ACK when it
 * asks for that address (selecting, renewing or rebinding) and a NAK otherwise; INFORM gets an ACK with
 * the options and no address; RELEASE and DECLINE get no reply. Offers carry the subnet mask, router, DNS
 * server (the gateway), domain search, interface MTU, lease time and host name.
 */
public final class DhcpServer {
    private final NetworkConfig config;
    private final Leases leases;

    public DhcpServer(NetworkConfig config, Leases leases) {
        this.config = config;
        this.leases = leases;
    }

    /** The reply to send, or {@code null}; its destination is {@link #destination}. */
    public DhcpRepr handle(DhcpRepr request) {
        if (request.op() != DhcpPacket.OP_REQUEST) {
            return null;
        }
        var options = request.options();
        return switch (options.messageType()) {
            case DhcpOptions.DISCOVER -> {
                int address = leases.addressFor(request.chaddr());
                yield address == 0 ? null : reply(request, DhcpOptions.OFFER, address);
            }
            case DhcpOptions.REQUEST -> {
                if (options.serverId() != 0 && options.serverId() != config.gateway()) {
                    yield null; // the client chose another server
                }
                int asked = options.requestedIp() != 0 ? options.requestedIp() : request.ciaddr();
                int address = leases.addressFor(request.chaddr());
                if (address != 0 && asked == address) {
                    yield reply(request, DhcpOptions.ACK, address);
                }
                yield nak(request);
            }
            case DhcpOptions.INFORM -> reply(request, DhcpOptions.ACK, 0);
            default -> null;
        };
    }

    /**
     * Where a reply goes (RFC 2131 4.1): to {@code ciaddr} when the client has an address, else broadcast
     * (the client's raw socket, or its stack, takes it from the broadcast address).
     */
    public static int destination(DhcpRepr request, DhcpRepr reply) {
        if (reply.options().messageType() == DhcpOptions.NAK) {
            return Ipv4Address.BROADCAST;
        }
        return request.ciaddr() != 0 ? request.ciaddr() : Ipv4Address.BROADCAST;
    }

    private DhcpRepr reply(DhcpRepr request, int type, int address) {
        int lease = type == DhcpOptions.ACK && address == 0 ? 0 : (int) config.leaseTime().toSeconds();
        var options = new DhcpOptions(type, 0, config.gateway(), lease, config.subnetMask(), config.gateway(),
                List.of(config.gateway()), config.hostName(), config.domainSearch().isEmpty() ? null
                        : config.domainSearch().getFirst(), config.domainSearch(), config.mtu(), new byte[0]);
        return new DhcpRepr(DhcpPacket.OP_REPLY, request.xid(), request.flags(), request.ciaddr(), address,
                0, request.giaddr(), request.chaddr(), options);
    }

    private DhcpRepr nak(DhcpRepr request) {
        var options = new DhcpOptions(DhcpOptions.NAK, 0, config.gateway(), 0, 0, 0, List.of(), null, null,
                List.of(), 0, new byte[0]);
        return new DhcpRepr(DhcpPacket.OP_REPLY, request.xid(), request.flags(), 0, 0, 0, request.giaddr(),
                request.chaddr(), options);
    }
}
