package dev.gangway.stack.dhcp;

import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.wire.MacAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Which guest address belongs to which Ethernet address. An address, once given to a MAC, stays with it
 * for the life of the network (releasing a lease does not give the address away), so a guest that
 * restarts its DHCP client gets the same address; addresses are handed out from {@code .2} upwards,
 * skipping the gateway and the host alias. Thread-safe (DHCP is not a hot path).
 */
public final class Leases {
    private final NetworkConfig config;
    private final Map<MacAddress, Integer> byMac = new HashMap<>();
    private final Map<Integer, MacAddress> byAddress = new HashMap<>();
    private int next;

    public Leases(NetworkConfig config) {
        this.config = config;
        this.next = config.firstGuest();
    }

    /** The address reserved for {@code mac}, reserving the next free one; 0 when the pool is exhausted. */
    public synchronized int addressFor(MacAddress mac) {
        var existing = byMac.get(mac);
        if (existing != null) {
            return existing;
        }
        int last = config.broadcast();
        for (int candidate = next; candidate < last; candidate++) {
            if (candidate == config.gateway() || candidate == config.hostAlias()
                    || byAddress.containsKey(candidate)) {
                continue;
            }
            byMac.put(mac, candidate);
            byAddress.put(candidate, mac);
            next = candidate + 1;
            return candidate;
        }
        return 0;
    }

    /** The address reserved for {@code mac}, or 0 (does not reserve). */
    public synchronized int existing(MacAddress mac) {
        return byMac.getOrDefault(mac, 0);
    }

    /** The MAC address {@code address} is reserved for, or {@code null}. */
    public synchronized MacAddress owner(int address) {
        return byAddress.get(address);
    }
}
