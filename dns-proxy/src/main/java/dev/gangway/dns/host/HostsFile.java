package dev.gangway.dns.host;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The parsed contents of a hosts file (hosts(5)): lower-cased name → addresses, in file order. */
public record HostsFile(Map<String, List<InetAddress>> names) {

    public static HostsFile parse(List<String> lines) {
        var names = new LinkedHashMap<String, List<InetAddress>>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String[] fields = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (fields.length < 2) {
                continue;
            }
            InetAddress address = Addresses.parseLiteral(fields[0]);
            if (address == null) {
                continue;
            }
            for (int i = 1; i < fields.length; i++) {
                String name = fields[i].toLowerCase(Locale.ROOT);
                if (name.endsWith(".")) {
                    name = name.substring(0, name.length() - 1);
                }
                if (!name.isEmpty()) {
                    var list = names.computeIfAbsent(name, k -> new ArrayList<>());
                    if (!list.contains(address)) {
                        list.add(address);
                    }
                }
            }
        }
        return new HostsFile(names);
    }
}
