package dev.gangway.stack.stats;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic counters of one virtual network: frames and bytes in (from guests) and out (to guests) per
 * layer, and drops per layer and reason. Safe to update from every link's event loop at once.
 */
public final class Counters {
    private final Map<Layer, LongAdder[]> traffic = new EnumMap<>(Layer.class);
    private final ConcurrentHashMap<String, LongAdder> drops = new ConcurrentHashMap<>();

    public Counters() {
        for (var layer : Layer.values()) {
            traffic.put(layer, new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()});
        }
    }

    public void in(Layer layer, int bytes) {
        var c = traffic.get(layer);
        c[0].increment();
        c[1].add(bytes);
    }

    public void out(Layer layer, int bytes) {
        var c = traffic.get(layer);
        c[2].increment();
        c[3].add(bytes);
    }

    /** Counts one dropped frame or datagram; {@code reason} is a short kebab-case label. */
    public void drop(Layer layer, String reason) {
        drops.computeIfAbsent(layer.label() + "/" + reason, k -> new LongAdder()).increment();
    }

    public long framesIn(Layer layer) {
        return traffic.get(layer)[0].sum();
    }

    public long bytesIn(Layer layer) {
        return traffic.get(layer)[1].sum();
    }

    public long framesOut(Layer layer) {
        return traffic.get(layer)[2].sum();
    }

    public long bytesOut(Layer layer) {
        return traffic.get(layer)[3].sum();
    }

    /** Drops for {@code layer/reason}, e.g. {@code ipv4/bad-checksum}. */
    public long drops(String key) {
        var adder = drops.get(key);
        return adder == null ? 0 : adder.sum();
    }

    public long totalDrops() {
        return drops.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Every non-zero counter by name, sorted: {@code ipv4.frames-in}, {@code drop.udp/bad-checksum}... */
    public Map<String, Long> snapshot() {
        var out = new TreeMap<String, Long>();
        traffic.forEach((layer, c) -> {
            String[] names = {"frames-in", "bytes-in", "frames-out", "bytes-out"};
            for (int i = 0; i < 4; i++) {
                long v = c[i].sum();
                if (v != 0) {
                    out.put(layer.label() + "." + names[i], v);
                }
            }
        });
        drops.forEach((key, adder) -> out.put("drop." + key, adder.sum()));
        return out;
    }
}
