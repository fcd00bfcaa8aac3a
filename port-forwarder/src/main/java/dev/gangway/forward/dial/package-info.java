/**
 * Reaching the guest: the {@link dev.gangway.forward.dial.GuestDialer} seam, the plain-host dialer used
 * until the userspace stack dials, the choice of socket transport, and the source-address policy.
 *
 * <p>Data path: a host listener accepts a client, asks {@link dev.gangway.forward.dial.SourceAddressPolicy}
 * which source the guest should see (the client's own address, or the host alias for loopback and unix
 * clients), then calls {@code dialStream} or {@code dialDatagram}. The dialer hands back an active channel
 * with reading paused; the relay in {@code dev.gangway.forward.relay} takes it from there.
 *
 * <p>Limits: {@link dev.gangway.forward.dial.HostNetworkDialer} cannot present the client's source address
 * (the host kernel picks it); the stack's dialer can. Channels must match the event loop's transport, which
 * {@link dev.gangway.forward.dial.Transport#of} detects (epoll on Linux, NIO elsewhere).
 */
package dev.gangway.forward.dial;
