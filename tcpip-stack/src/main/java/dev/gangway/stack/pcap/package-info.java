/**
 * Packet capture: every frame of the virtual network, as it enters the switch, in the classic pcap
 * format (link type Ethernet) for tshark and Wireshark.
 *
 * <p>Data path: the switch calls {@link dev.gangway.stack.pcap.PcapWriter#record} on the event loop,
 * which copies the frame into a bounded queue; one writer thread appends to the file, flushing when
 * idle, so capture never blocks a link.
 *
 * <p>Limits: frames are lost from the capture (and counted) when the queue of 8192 frames is full; the
 * file grows without rotation.
 */
package dev.gangway.stack.pcap;
