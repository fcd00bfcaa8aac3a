package dev.gangway.dns.server;

import dev.gangway.dns.local.LocalRecord;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the DNS server is told; built with {@link #builder()}, whose defaults are Docker Desktop's
 * conventions and resolver practice.
 *
 * @param hostAlias the address of {@code host.docker.internal}
 * @param gateway the address of {@code gateway.docker.internal}
 * @param vmName the VM's own name (null for none)
 * @param vmAddress the VM's address (null for none)
 * @param records static records
 * @param hostsFile the hosts file to serve (null for none)
 * @param upstreams fixed upstream servers; when empty, those of {@code resolvConf}
 * @param resolvConf the resolv.conf whose nameservers are the upstreams (null for none)
 * @param resolvConfPort the port of resolv.conf's nameservers (53 outside tests)
 * @param mode how names that are not local are resolved
 * @param serverTimeout how long one upstream server is waited for
 * @param totalTimeout how long a question is worked on before SERVFAIL
 * @param minTtl the least seconds an answer is cached
 * @param maxTtl the most seconds a positive answer is cached
 * @param maxNegativeTtl the most seconds a negative answer is cached
 * @param cacheEntries the bound on cached answers (0: no cache)
 * @param localTtl the TTL of local answers
 * @param hostTtl the TTL of answers from the host's resolver
 * @param maxUdpReply the largest UDP reply we send (larger answers are truncated, the client retries over TCP)
 * @param maxQuerySize the largest query accepted
 * @param maxInFlight the bound on distinct questions being resolved at once
 * @param maxWaiters the bound on clients waiting for one question
 * @param maxHostLookups the bound on concurrent host resolver lookups
 */
public record DnsConfig(InetAddress hostAlias, InetAddress gateway, String vmName, InetAddress vmAddress,
        List<LocalRecord> records, Path hostsFile, List<InetSocketAddress> upstreams, Path resolvConf,
        int resolvConfPort, Mode mode, Duration serverTimeout, Duration totalTimeout, long minTtl, long maxTtl,
        long maxNegativeTtl, int cacheEntries, long localTtl, long hostTtl, int maxUdpReply, int maxQuerySize,
        int maxInFlight, int maxWaiters, int maxHostLookups) {

    /** How names that are not local are resolved. */
    public enum Mode {
        /** Everything goes to the upstream servers. */
        FORWARD,
        /** A and AAAA questions go to the host's own resolver, everything else to the upstream servers. */
        HOST
    }

    public DnsConfig {
        records = List.copyOf(records);
        upstreams = List.copyOf(upstreams);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; every setter returns it. */
    public static final class Builder {
        private InetAddress hostAlias = literal(192, 168, 65, 254);
        private InetAddress gateway = literal(192, 168, 65, 1);
        private String vmName;
        private InetAddress vmAddress;
        private final List<LocalRecord> records = new ArrayList<>();
        private Path hostsFile = Path.of("/etc/hosts");
        private final List<InetSocketAddress> upstreams = new ArrayList<>();
        private Path resolvConf = Path.of("/etc/resolv.conf");
        private int resolvConfPort = 53;
        private Mode mode = Mode.FORWARD;
        private Duration serverTimeout = Duration.ofMillis(1500);
        private Duration totalTimeout = Duration.ofSeconds(4);
        private long minTtl = 0;
        private long maxTtl = 86400;
        private long maxNegativeTtl = 3600;
        private int cacheEntries = 10_000;
        private long localTtl = 60;
        private long hostTtl = 30;
        private int maxUdpReply = 1232;
        private int maxQuerySize = 4096;
        private int maxInFlight = 4096;
        private int maxWaiters = 64;
        private int maxHostLookups = 128;

        public Builder hostAlias(InetAddress v) { hostAlias = v; return this; }
        public Builder gateway(InetAddress v) { gateway = v; return this; }
        public Builder vm(String name, InetAddress address) { vmName = name; vmAddress = address; return this; }
        public Builder record(LocalRecord v) { records.add(v); return this; }
        public Builder hostsFile(Path v) { hostsFile = v; return this; }
        public Builder upstream(InetSocketAddress v) { upstreams.add(v); return this; }
        public Builder resolvConf(Path v) { resolvConf = v; return this; }
        public Builder resolvConfPort(int v) { resolvConfPort = v; return this; }
        public Builder mode(Mode v) { mode = v; return this; }
        public Builder serverTimeout(Duration v) { serverTimeout = v; return this; }
        public Builder totalTimeout(Duration v) { totalTimeout = v; return this; }
        public Builder minTtl(long v) { minTtl = v; return this; }
        public Builder maxTtl(long v) { maxTtl = v; return this; }
        public Builder maxNegativeTtl(long v) { maxNegativeTtl = v; return this; }
        public Builder cacheEntries(int v) { cacheEntries = v; return this; }
        public Builder localTtl(long v) { localTtl = v; return this; }
        public Builder hostTtl(long v) { hostTtl = v; return this; }
        public Builder maxUdpReply(int v) { maxUdpReply = v; return this; }
        public Builder maxQuerySize(int v) { maxQuerySize = v; return this; }
        public Builder maxInFlight(int v) { maxInFlight = v; return this; }
        public Builder maxWaiters(int v) { maxWaiters = v; return this; }
        public Builder maxHostLookups(int v) { maxHostLookups = v; return this; }

        public DnsConfig build() {
            if (minTtl < 0 || maxTtl < minTtl || maxNegativeTtl < 0) {
                throw new IllegalArgumentException("TTL bounds: need 0 <= min-ttl <= max-ttl, got " + minTtl + ".."
                        + maxTtl);
            }
            if (serverTimeout.isNegative() || serverTimeout.isZero() || totalTimeout.compareTo(serverTimeout) < 0) {
                throw new IllegalArgumentException("timeouts: need 0 < server timeout <= total timeout");
            }
            if (maxUdpReply < 512 || maxUdpReply > 65535) {
                throw new IllegalArgumentException("max UDP reply must be 512..65535, got " + maxUdpReply);
            }
            return new DnsConfig(hostAlias, gateway, vmName, vmAddress, records, hostsFile, upstreams, resolvConf,
                    resolvConfPort, mode, serverTimeout, totalTimeout, minTtl, maxTtl, maxNegativeTtl, cacheEntries,
                    localTtl, hostTtl, maxUdpReply, maxQuerySize, maxInFlight, maxWaiters, maxHostLookups);
        }

        private static InetAddress literal(int a, int b, int c, int d) {
            try {
                return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
