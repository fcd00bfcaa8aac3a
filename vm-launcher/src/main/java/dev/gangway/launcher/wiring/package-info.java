/**
 * Wiring: where services that know nothing of each other are joined, so that no module depends on another
 * for what only the daemon needs.
 *
 * <p>The port forwarder reaches the guest through {@link dev.gangway.launcher.wiring.StackDialer}, its
 * {@code GuestDialer} on top of the stack's {@code NetworkServices.dial}. Data path of a forwarded
 * connection: a host client connects to the forwarder's listener (registered on the stack's loops); the
 * forwarder picks the source the guest should see (the client, or the host alias for loopback clients);
 * the dialer asks the stack to open a TCP connection (or a UDP flow) from that source to the guest; once the
 * guest accepts, the stack hands a virtual channel to the forwarder, which splices it to the host channel.
 * Bytes then go host socket → forwarder relay → TCP engine → guest frames, and back: on the stack's loop
 * when the stack runs NIO; on an epoll stack the host sockets sit on a NIO loop of their own, because Netty
 * 4.2.18's epoll channels drop the rest of a stream once half-closed (see {@code StackDialer.of}).
 *
 * <p>Limits: the virtual network is IPv4, so only IPv4 guest addresses can be dialed (host listeners may be
 * IPv6, {@code [::1]}); an IPv6 client is shown to the guest as the host alias. While no guest holds the
 * address, dials fail at once and the forwarder resets its client.
 */
package dev.gangway.launcher.wiring;
