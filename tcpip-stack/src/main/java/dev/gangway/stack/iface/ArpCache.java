package dev.gangway.stack.iface;

import dev.gangway.stack.wire.MacAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Ethernet address each guest IPv4 address was last seen with (learned from ARP and from IPv4
 * sources inside the subnet). Bounded: addresses past the bound are not learned.
 */
public final class ArpCache {
    static final int MAX_ENTRIES = 1024;
    private final ConcurrentHashMap<Integer, MacAddress> entries = new ConcurrentHashMap<>();

    public void learn(int ip, MacAddress mac) {
        var old = entries.get(ip);
        if (mac.equals(old)) {
            return;
        }
        if (old != null || entries.size() < MAX_ENTRIES) {
            entries.put(ip, mac);
        }
    }

    /** The address for {@code ip}, or {@code null}. */
    public MacAddress lookup(int ip) {
        return entries.get(ip);
    }
}
