package dev.gangway.launcher.cli;

import dev.gangway.dns.host.Addresses;
import dev.gangway.dns.local.LocalRecord;
import dev.gangway.dns.server.DnsConfig;
import dev.gangway.dns.server.DnsServer;
import dev.gangway.dns.server.StandaloneDns;
import dev.gangway.dns.upstream.Transport;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gangway dns}: the DNS proxy on its own. */
@Command(name = "dns", description = "The DNS proxy on its own.", mixinStandardHelpOptions = true,
        subcommands = DnsCommand.Serve.class)
public final class DnsCommand extends CommandGroup {
    /** {@code gangway dns serve}: serve DNS on a host address until interrupted. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve DNS (UDP and TCP) on a host address until interrupted: built-in and static names,"
                    + " the hosts file, and everything else from upstream servers (or the host's resolver).")
    public static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--listen", defaultValue = "127.0.0.1:5353", paramLabel = "IP:PORT",
                description = "Address to serve on, UDP and TCP (default: ${DEFAULT-VALUE}).")
        String listen;

        @Option(names = "--upstream", paramLabel = "IP[:PORT]",
                description = "Upstream server (repeatable); without it, the nameservers of --resolv-conf.")
        List<String> upstreams = new ArrayList<>();

        @Option(names = "--resolv-conf", defaultValue = "/etc/resolv.conf", paramLabel = "FILE",
                description = "resolv.conf whose nameservers are the upstreams, re-read when it changes"
                        + " (default: ${DEFAULT-VALUE}).")
        Path resolvConf;

        @Option(names = "--resolv-conf-port", defaultValue = "53", paramLabel = "PORT",
                description = "Port of the resolv.conf nameservers (default: ${DEFAULT-VALUE}).")
        int resolvConfPort;

        @Option(names = "--hosts-file", defaultValue = "/etc/hosts", paramLabel = "FILE|none",
                description = "Hosts file to serve, re-read when it changes; 'none' for none"
                        + " (default: ${DEFAULT-VALUE}).")
        String hostsFile;

        @Option(names = "--mode", defaultValue = "forward", paramLabel = "forward|host",
                description = "forward: everything not local goes upstream; host: A/AAAA through the host's own"
                        + " resolver, the rest upstream (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--record", paramLabel = "'NAME TYPE DATA'",
                description = "Static record (repeatable): A IPv4, AAAA IPv6, CNAME NAME, TXT TEXT,"
                        + " SRV PRIORITY WEIGHT PORT TARGET.")
        List<String> records = new ArrayList<>();

        @Option(names = "--host-alias", defaultValue = "192.168.65.254", paramLabel = "IP",
                description = "Address of host.docker.internal (default: ${DEFAULT-VALUE}).")
        String hostAlias;

        @Option(names = "--gateway", defaultValue = "192.168.65.1", paramLabel = "IP",
                description = "Address of gateway.docker.internal (default: ${DEFAULT-VALUE}).")
        String gateway;

        @Option(names = "--vm-name", paramLabel = "NAME", description = "The VM's own name (with --vm-address).")
        String vmName;

        @Option(names = "--vm-address", paramLabel = "IP", description = "The VM's address (with --vm-name).")
        String vmAddress;

        @Option(names = "--timeout", defaultValue = "1500ms", paramLabel = "DURATION",
                description = "How long one upstream server is waited for (default: ${DEFAULT-VALUE}).")
        String serverTimeout;

        @Option(names = "--total-timeout", defaultValue = "4s", paramLabel = "DURATION",
                description = "How long a question is worked on before SERVFAIL (default: ${DEFAULT-VALUE}).")
        String totalTimeout;

        @Option(names = "--min-ttl", defaultValue = "0", paramLabel = "SECONDS",
                description = "Least time an answer is cached (default: ${DEFAULT-VALUE}).")
        long minTtl;

        @Option(names = "--max-ttl", defaultValue = "86400", paramLabel = "SECONDS",
                description = "Most time a positive answer is cached (default: ${DEFAULT-VALUE}).")
        long maxTtl;

        @Option(names = "--max-negative-ttl", defaultValue = "3600", paramLabel = "SECONDS",
                description = "Most time a negative answer is cached (default: ${DEFAULT-VALUE}).")
        long maxNegativeTtl;

        @Option(names = "--cache-size", defaultValue = "10000", paramLabel = "ENTRIES",
                description = "Bound on cached answers; 0 disables the cache (default: ${DEFAULT-VALUE}).")
        int cacheSize;

        @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
                description = "Event loop threads; with epoll, one UDP socket each (default: ${DEFAULT-VALUE}).")
        int threads;

        @Override
        public Integer call() throws InterruptedException {
            InetSocketAddress listenAddress = socketAddress(listen, "--listen", 53);
            var builder = DnsConfig.builder()
                    .hostAlias(address(hostAlias, "--host-alias"))
                    .gateway(address(gateway, "--gateway"))
                    .resolvConf(resolvConf)
                    .resolvConfPort(resolvConfPort)
                    .serverTimeout(duration(serverTimeout, "--timeout"))
                    .totalTimeout(duration(totalTimeout, "--total-timeout"))
                    .minTtl(minTtl).maxTtl(maxTtl).maxNegativeTtl(maxNegativeTtl)
                    .cacheEntries(cacheSize);
            for (String u : upstreams) {
                builder.upstream(socketAddress(u, "--upstream", 53));
            }
            for (String r : records) {
                try {
                    builder.record(LocalRecord.parse(r));
                } catch (IllegalArgumentException e) {
                    throw new UserError("--record: " + e.getMessage() + "; fix: write 'NAME TYPE DATA', e.g."
                            + " --record 'db.test A 10.0.0.5'");
                }
            }
            if (hostsFile.equalsIgnoreCase("none")) {
                builder.hostsFile(null);
            } else {
                builder.hostsFile(Path.of(hostsFile));
            }
            switch (mode.toLowerCase(Locale.ROOT)) {
                case "forward" -> builder.mode(DnsConfig.Mode.FORWARD);
                case "host" -> builder.mode(DnsConfig.Mode.HOST);
                default -> throw new UserError("--mode '" + mode
                        + "' is unknown; fix: use --mode forward or --mode host");
            }
            if ((vmName == null) != (vmAddress == null)) {
                throw new UserError("--vm-name and --vm-address go together; fix: give both or neither");
            }
            if (vmName != null) {
                builder.vm(vmName, address(vmAddress, "--vm-address"));
            }
            if (upstreams.isEmpty() && !Files.isReadable(resolvConf)) {
                throw new UserError("no upstream: " + resolvConf + " is not readable and no --upstream was given;"
                        + " fix: add --upstream IP[:PORT] or --resolv-conf FILE");
            }
            if (threads < 1 || threads > 64) {
                throw new UserError("--threads " + threads + " is out of range; fix: use 1 to 64");
            }
            DnsConfig config;
            try {
                config = builder.build();
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage() + "; fix: adjust the options named");
            }
            try (var transport = Transport.create(threads, "gangway-dns");
                    var server = new DnsServer(config, transport)) {
                StandaloneDns bound;
                try {
                    bound = StandaloneDns.bind(server, transport, listenAddress, threads);
                } catch (UncheckedIOException e) {
                    throw new UserError("cannot listen on " + listen + " (" + e.getCause().getMessage()
                            + "); fix: choose a free --listen address (ports below 1024 need root)");
                }
                var out = spec.commandLine().getOut();
                out.println("gangway dns: serving on " + bound.address() + " (udp, tcp); upstreams "
                        + server.upstreams() + "; mode " + config.mode().name().toLowerCase(Locale.ROOT));
                out.flush();
                // SIGINT/SIGTERM: the hook wakes this thread and waits (the JVM halts once hooks return)
                // until the sockets are closed and the counters printed.
                var stopped = new CountDownLatch(1);
                var finished = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                    stopped.countDown();
                    try {
                        finished.await(5, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                try {
                    stopped.await();
                } finally {
                    bound.close();
                    out.println("gangway dns: stopped; " + server.counters());
                    out.flush();
                    finished.countDown();
                }
            }
            return 0;
        }

        private static InetSocketAddress socketAddress(String text, String option, int defaultPort) {
            try {
                return Addresses.parseSocketAddress(text, defaultPort);
            } catch (IllegalArgumentException e) {
                throw new UserError(option + ": " + e.getMessage() + "; fix: write IP or IP:PORT, e.g. 127.0.0.1:5353");
            }
        }

        private static InetAddress address(String text, String option) {
            InetAddress a = Addresses.parseLiteral(text);
            if (a == null) {
                throw new UserError(option + ": '" + text + "' is not an IP address; fix: write e.g. 192.168.65.254");
            }
            return a;
        }

        static Duration duration(String text, String option) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            try {
                if (t.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                }
                if (t.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UserError(option + ": '" + text + "' is not a duration; fix: write e.g. 1500ms or 2s");
        }
    }
}
