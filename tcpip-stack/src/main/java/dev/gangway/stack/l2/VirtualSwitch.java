package dev.gangway.stack.l2;

import dev.gangway.stack.pcap.PcapWriter;
import dev.gangway.stack.stats.Counters;
import dev.gangway.stack.stats.Layer;
import dev.gangway.stack.wire.EthernetFrame;
import dev.gangway.stack.wire.MacAddress;
import io.netty.buffer.ByteBuf;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A learning Ethernet switch joining guest links and the gateway. A frame's source address is learned
 * for the port it came from; unicast frames go to the learned port (or the gateway), broadcast and
 * multicast frames go to every other port and the gateway, unknown unicast is flooded to the guests.
 * Every frame is recorded once in the pcap file, at the point it enters the switch.
 *
 * <p>Frames to a port on another event loop are handed to that loop; the MAC table is the only state
 * shared between loops.
 */
public final class VirtualSwitch {
    /** Learned addresses beyond this are not learned (flooding still works); guests cannot grow it. */
    static final int MAX_MACS = 1024;

    private final ConcurrentHashMap<Long, SwitchPort> macTable = new ConcurrentHashMap<>();
    private final Set<SwitchPort> ports = new CopyOnWriteArraySet<>();
    private final Counters counters;
    private final PcapWriter pcap;
    private volatile Endpoint gateway;

    public VirtualSwitch(Counters counters, PcapWriter pcap) {
        this.counters = counters;
        this.pcap = pcap;
    }

    public void connectGateway(Endpoint endpoint) {
        this.gateway = endpoint;
    }

    public void add(SwitchPort port) {
        ports.add(port);
    }

    /** Forgets a port and every address learned on it. */
    public void remove(SwitchPort port) {
        ports.remove(port);
        macTable.values().removeIf(p -> p == port);
    }

    /** The port {@code mac} was last seen on, or {@code null}. */
    public SwitchPort portOf(MacAddress mac) {
        return macTable.get(mac.bits());
    }

    public Set<SwitchPort> ports() {
        return Set.copyOf(ports);
    }

    /** A frame from a guest link, on that link's loop; takes ownership. */
    public void ingress(SwitchPort from, ByteBuf frame) {
        int length = frame.readableBytes();
        if (length < EthernetFrame.HEADER_LENGTH) {
            counters.drop(Layer.ETHERNET, "truncated");
            frame.release();
            return;
        }
        counters.in(Layer.ETHERNET, length);
        if (pcap != null) {
            pcap.record(frame);
        }
        var eth = new EthernetFrame(frame, frame.readerIndex());
        long src = eth.srcBits();
        long dst = eth.dstBits();
        if ((src & 0x0100_0000_0000L) != 0 || src == 0) {
            counters.drop(Layer.ETHERNET, "bad-source");
            frame.release();
            return;
        }
        if (macTable.get(src) != from && (macTable.size() < MAX_MACS || macTable.containsKey(src))) {
            macTable.put(src, from);
        }
        var gw = gateway;
        if ((dst & 0x0100_0000_0000L) != 0) {
            flood(from, frame, true);
            return;
        }
        if (gw != null && dst == gw.mac().bits()) {
            gw.receive(from, frame);
            return;
        }
        var to = macTable.get(dst);
        if (to == from) {
            counters.drop(Layer.ETHERNET, "hairpin");
            frame.release();
        } else if (to != null) {
            deliver(to, frame);
        } else {
            flood(from, frame, false);
        }
    }

    /** A frame from the gateway; takes ownership. Called on any loop. */
    public void fromGateway(ByteBuf frame) {
        counters.out(Layer.ETHERNET, frame.readableBytes());
        if (pcap != null) {
            pcap.record(frame);
        }
        var eth = new EthernetFrame(frame, frame.readerIndex());
        long dst = eth.dstBits();
        if ((dst & 0x0100_0000_0000L) != 0) {
            flood(null, frame, false);
            return;
        }
        var to = macTable.get(dst);
        if (to == null) {
            counters.drop(Layer.ETHERNET, "unknown-destination");
            frame.release();
            return;
        }
        deliver(to, frame);
    }

    private void flood(SwitchPort from, ByteBuf frame, boolean includeGateway) {
        for (var port : ports) {
            if (port != from) {
                deliver(port, frame.retainedDuplicate());
            }
        }
        var gw = gateway;
        if (includeGateway && gw != null) {
            gw.receive(from, frame);
        } else {
            frame.release();
        }
    }

    private static void deliver(SwitchPort to, ByteBuf frame) {
        var loop = to.loop();
        if (loop.inEventLoop()) {
            to.transmit(frame);
        } else {
            try {
                loop.execute(() -> to.transmit(frame));
            } catch (RuntimeException rejected) {
                frame.release();
            }
        }
    }
}
