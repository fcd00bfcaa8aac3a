/**
 * Layer 2: the learning switch that joins guest links and the gateway into one Ethernet segment, so that
 * several guests can share a virtual network.
 *
 * <p>Data path: a link hands each frame to {@link dev.gangway.stack.l2.VirtualSwitch#ingress}; the switch
 * records it (pcap), learns the source address and hands the frame to the gateway
 * ({@link dev.gangway.stack.l2.Endpoint}), to the learned port, or to every other port. Frames the
 * gateway originates enter through {@link dev.gangway.stack.l2.VirtualSwitch#fromGateway}.
 *
 * <p>Limits: at most 1024 learned addresses; no VLANs, no spanning tree (there are no loops: every port is
 * a guest); a frame to a port on another event loop costs one task hand-off.
 */
package dev.gangway.stack.l2;
