package dev.gangway.dns.local;

import dev.gangway.dns.host.HostsFile;
import dev.gangway.dns.host.WatchedFile;
import dev.gangway.dns.wire.Query;
import dev.gangway.dns.wire.QuestionKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The local names and their records; see the package documentation for what is in it and in what order. */
public final class LocalZone {
    private static final int MAX_CNAME_STEPS = 8;

    /** The answer to a local name: the records to send (empty for NODATA). */
    public record Answer(List<LocalRecord> records) {
    }

    private final List<LocalRecord> fixed;
    private final WatchedFile<HostsFile> hostsFile;
    private volatile Snapshot snapshot;

    private record Snapshot(long hostsVersion, Map<String, List<LocalRecord>> byName) {
    }

    /**
     * @param fixed built-in and configured records (they win over the hosts file)
     * @param hostsFile the hosts file to serve, or null for none
     */
    public LocalZone(List<LocalRecord> fixed, WatchedFile<HostsFile> hostsFile) {
        this.fixed = List.copyOf(fixed);
        this.hostsFile = hostsFile;
        this.snapshot = build(-1, hostsFile == null ? new HostsFile(Map.of()) : hostsFile.get());
    }

    /** The built-in records: the Docker names and, when given, the VM's own name. */
    public static List<LocalRecord> builtIns(InetAddress hostAlias, InetAddress gateway, String vmName,
            InetAddress vmAddress) {
        var records = new ArrayList<LocalRecord>();
        records.add(LocalRecord.address("host.docker.internal", hostAlias));
        records.add(LocalRecord.address("gateway.docker.internal", gateway));
        if (vmName != null && vmAddress != null) {
            records.add(LocalRecord.address(vmName, vmAddress));
        }
        return records;
    }

    /** The local answer for {@code key}, or null when the name is not local (or the class is not IN). */
    public Answer lookup(QuestionKey key) {
        int qclass = key.qclass();
        if (qclass != Query.CLASS_IN && qclass != Query.CLASS_ANY) {
            return null;
        }
        Map<String, List<LocalRecord>> byName = current().byName;
        List<LocalRecord> records = byName.get(key.wireName());
        if (records == null) {
            return null;
        }
        int type = key.type();
        var answers = LocalRecord.ofType(records, type);
        if (answers.isEmpty() && type != Query.TYPE_CNAME) {
            var cname = LocalRecord.ofType(records, Query.TYPE_CNAME);
            for (int step = 0; !cname.isEmpty() && step < MAX_CNAME_STEPS; step++) {
                answers.addAll(cname);
                List<LocalRecord> next = byName.get(wireName(cname.getFirst().target()));
                if (next == null) {
                    break;
                }
                var found = LocalRecord.ofType(next, type);
                if (!found.isEmpty()) {
                    answers.addAll(found);
                    break;
                }
                cname = LocalRecord.ofType(next, Query.TYPE_CNAME);
            }
        }
        return new Answer(answers);
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (hostsFile != null) {
            HostsFile hosts = hostsFile.get();
            long version = hostsFile.version();
            if (version != s.hostsVersion) {
                s = build(version, hosts);
                snapshot = s;
            }
        }
        return s;
    }

    /** The map key of a name: its lower-case wire form as an ISO-8859-1 string (see {@link QuestionKey#wireName()}). */
    static String wireName(String name) {
        var buf = io.netty.buffer.Unpooled.buffer(name.length() + 2);
        if (!dev.gangway.dns.wire.DnsName.write(buf, name)) {
            return "";
        }
        return buf.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private Snapshot build(long version, HostsFile hosts) {
        var byName = new HashMap<String, List<LocalRecord>>();
        var reverse = new HashMap<String, List<LocalRecord>>();
        for (LocalRecord r : fixed) {
            byName.computeIfAbsent(wireName(r.name()), k -> new ArrayList<>()).add(r);
        }
        var fromFile = new java.util.LinkedHashMap<String, List<LocalRecord>>();
        hosts.names().forEach((name, addresses) -> {
            String key = wireName(name);
            // a hosts file may hold anything; names that are not valid DNS names are not served
            if (!key.isEmpty() && !byName.containsKey(key)) {
                for (InetAddress a : addresses) {
                    fromFile.computeIfAbsent(key, k -> new ArrayList<>()).add(LocalRecord.address(name, a));
                }
            }
        });
        byName.putAll(fromFile);
        var ordered = new ArrayList<>(fixed);
        fromFile.values().forEach(ordered::addAll);
        for (LocalRecord r : ordered) {
            if (r.type() == Query.TYPE_A || r.type() == Query.TYPE_AAAA) {
                String rev = LocalRecord.reverseName(r.rdata());
                reverse.computeIfAbsent(wireName(rev), k -> List.of(LocalRecord.pointer(rev, r.name())));
            }
        }
        reverse.forEach(byName::putIfAbsent);
        return new Snapshot(version, Map.copyOf(byName));
    }
}
