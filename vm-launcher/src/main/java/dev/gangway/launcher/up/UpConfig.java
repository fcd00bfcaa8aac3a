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
 */
public record UpConfig(int cpus, int memoryMiB, List<String> shares, List<String> forwards, int dataDiskGiB,
        String qemu) {
    public UpConfig {
        shares = List.copyOf(shares);
        forwards = List.copyOf(forwards);
    }
}
