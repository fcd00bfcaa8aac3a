/**
 * The DHCP server of the gateway: DISCOVER/OFFER/REQUEST/ACK/NAK/RELEASE/INFORM (RFC 2131) with a stable
 * address per MAC.
 *
 * <p>Data path: the UDP transport hands datagrams to port 67 on the broadcast or gateway address to
 * {@link dev.gangway.stack.dhcp.DhcpServer#handle}, which decides the reply from
 * {@link dev.gangway.stack.dhcp.Leases}; the UDP transport sends it back to port 68, to the client's MAC
 * (the client may have no address yet).
 *
 * <p>Limits: one address pool (the subnet, from {@code .2}, minus gateway and host alias); leases are
 * remembered in memory for the daemon's life (no expiry: a MAC keeps its address); no relay agents
 * beyond echoing {@code giaddr}; option overload (52) is not used.
 */
package dev.gangway.stack.dhcp;
