package dev.gangway.dns.host;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The {@code nameserver} lines of a resolv.conf(5), in order, each at the given port. */
public final class ResolvConf {
    private ResolvConf() {
    }

    public static List<InetSocketAddress> parse(List<String> lines, int port) {
        var servers = new ArrayList<InetSocketAddress>();
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && fields[0].equals("nameserver")) {
                InetAddress address = Addresses.parseLiteral(fields[1]);
                if (address != null) {
                    servers.add(new InetSocketAddress(address, port));
                }
            }
        }
        return List.copyOf(servers);
    }
}
