/**
 * Links: the frame transports between a VM (or a namespace guest) and the stack, all on Netty's native
 * epoll transport.
 *
 * <ul>
 * <li>QEMU stream framing ({@code -netdev stream}/{@code socket}, passt, libkrun) on a unix or TCP stream:
 *     {@link dev.gangway.stack.link.QemuStreamFrameDecoder} and a 4-byte length prepender.</li>
 * <li>Unix datagrams (QEMU {@code -netdev dgram}, vfkit): one frame per datagram, the peer learned from
 *     its first datagram, vfkit's {@code VFKT} hello dropped ({@link dev.gangway.stack.link.DatagramPeerHandler}).</li>
 * <li>vpnkit/HyperKit vmnet: {@link dev.gangway.stack.link.VmnetHandshake}, then 16-bit little-endian
 *     lengths; the same UUID always gets the same MAC (and so the same DHCP address).</li>
 * <li>Linux TAP, for the guest side of a namespace guest: {@link dev.gangway.stack.link.TapBridge}.</li>
 * </ul>
 *
 * <p>Data path: {@link dev.gangway.stack.link.LinkServer} listens; each accepted connection gets a
 * pipeline of framing handlers ending in the stack's port handler, which receives whole frames as
 * {@code ByteBuf} slices of the read buffer and writes frames back through the same encoder.
 *
 * <p>Limits and failure: a length field below 14 or above 65553 bytes, or a vmnet handshake that is
 * garbage or stalls for 10 s, closes that link (counted, one event line); the server goes on and the guest
 * can reconnect. A frame longer than MTU + 18 is dropped and counted, the link stays up. A guest that stops reading makes its link unwritable past 8 MiB queued;
 * frames for it are then dropped and counted. Socket buffers are 4 MiB.
 */
package dev.gangway.stack.link;
