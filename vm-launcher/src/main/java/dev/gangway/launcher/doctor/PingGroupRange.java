package dev.gangway.launcher.doctor;

import java.util.Collection;
import java.util.Optional;

/**
 * {@code net.ipv4.ping_group_range}: the groups whose members may open ICMP datagram sockets
 * ({@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}), which is how the stack forwards the guest's pings
 * without root. The kernel's default {@code 1 0} is an empty range.
 *
 * @param low the first group id allowed
 * @param high the last group id allowed (an empty range when below {@code low})
 */
record PingGroupRange(long low, long high) {
    static final String SYSCTL = "net.ipv4.ping_group_range";
    static final String FIX = "sudo sysctl -w " + SYSCTL + "=\"0 2147483647\"";

    /** Parses the file's text, e.g. {@code "1\t0\n"}. */
    static Optional<PingGroupRange> parse(String text) {
        var fields = text.strip().split("\\s+");
        if (fields.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PingGroupRange(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean includesAny(Collection<Long> groups) {
        return groups.stream().anyMatch(gid -> gid >= low && gid <= high);
    }

    @Override
    public String toString() {
        return low + " " + high;
    }
}
