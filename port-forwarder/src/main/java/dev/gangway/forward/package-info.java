/**
 * The port forwarder: host ports and unix sockets carried into the guest, a control API to manage them, and
 * Docker auto-publishing. It knows nothing about how the guest is reached: everything goes through the
 * {@link dev.gangway.forward.dial.GuestDialer} it is given.
 *
 * <p>Packages: {@code dial} (the seam, the plain-host dialer, source addresses), {@code relay} (listeners
 * and the byte/datagram relays), {@code table} (the live forwards, conflicts), {@code api} (HTTP/JSON on a
 * unix socket), {@code docker} (following the guest engine's containers). The network daemon starts it all
 * with {@link dev.gangway.forward.ForwarderService#start}.
 *
 * <p>Data path: host client → host listener (on the dialer's event loop) → {@code dial} into the guest →
 * the relay joins the two channels, passing buffers through without copies, with backpressure and
 * half-close carried both ways.
 */
package dev.gangway.forward;
