package dev.gangway.launcher.up;

import java.util.List;

/**
 * What {@code gangway up} asked for, handed to the daemon as {@code run/config.json}.
 *
 * @param cpus       virtual CPUs
 * @param memoryMiB  guest memory
 * @param shares     absolute host folders, each mounted at the same path in the guest
 * @param forwards   extra host ports forwarded at start, as {@code [ADDR:]PORT[:GUESTPORT]}
 * @param dataDiskGiB the data disk's size when it is created (sparse)
 * @param qemu       the QEMU binary
 * @param image      the Docker VM image's folder, built and checked by {@code up}
 * @param virtio9p   host folders also given to QEMU's own virtio-9p (tags {@code virtio9pN}), for benchmarks
 */
public record UpConfig(int cpus, int memoryMiB, List<String> shares, List<String> forwards, int dataDiskGiB,
        String qemu, String image, List<String> virtio9p) {
    public UpConfig {
        shares = List.copyOf(shares);
        virtio9p = virtio9p == null ? List.of() : List.copyOf(virtio9p);
        forwards = List.copyOf(forwards);
    }
}
