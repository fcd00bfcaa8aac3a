package dev.gangway.forward.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gangway.forward.table.Endpoints;
import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Protocol;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host forwards that Docker's published ports ask for, read from the engine's {@code GET /containers/json}
 * (an array of ContainerSummary objects, each with {@code Ports}: {@code IP}, {@code PrivatePort},
 * {@code PublicPort}, {@code Type}).
 *
 * <p>Docker's semantics: an entry without {@code PublicPort} is exposed but not published (skipped);
 * {@code -p 8080:80} gives entries on {@code 0.0.0.0} and {@code ::}; {@code -p 127.0.0.1:8080:80} one on
 * {@code 127.0.0.1}; a range {@code -p 8000-8002:80-82} one entry per port; {@code /udp} sets {@code Type}.
 * Each becomes a host forward of the same protocol on the same host port, to the guest's published port.
 * An all-interfaces entry binds loopback unless wildcard binding is allowed; then the usual
 * {@code 0.0.0.0} + {@code ::} pair becomes one dual-stack {@code ::} listener. SCTP is not forwarded.
 */
public final class PublishedPorts {
    private static final Set<String> GONE = Set.of("created", "exited", "dead", "removing");

    private PublishedPorts() {
    }

    /**
     * One published port as a forward.
     *
     * @param spec      the host forward
     * @param container the container's name (without the leading slash), for the forward's origin
     */
    public record Publication(ForwardSpec spec, String container) {
    }

    /**
     * The forwards for {@code containers}.
     *
     * @param narrowed called with a description each time an all-interfaces port is narrowed to loopback
     */
    public static List<Publication> from(JsonNode containers, InetAddress guest, boolean bindWildcard,
                                         java.util.function.Consumer<String> narrowed) {
        var result = new LinkedHashMap<String, Publication>();
        if (containers == null || !containers.isArray()) {
            return List.of();
        }
        for (var container : containers) {
            var state = container.path("State").asText("");
            if (GONE.contains(state.toLowerCase(Locale.ROOT))) {
                continue;
            }
            var name = name(container);
            var entries = new ArrayList<Entry>();
            for (var port : container.path("Ports")) {
                var entry = Entry.of(port);
                if (entry != null) {
                    entries.add(entry);
                }
            }
            for (var entry : entries) {
                InetAddress host;
                if (entry.ip.isAnyLocalAddress()) {
                    if (!bindWildcard) {
                        narrowed.accept(name + " " + entry.ip.getHostAddress() + ":" + entry.publicPort + "/"
                                + entry.protocol.wireName());
                        host = Endpoints.address(entry.ip instanceof Inet6Address ? "::1" : "127.0.0.1");
                    } else if (!(entry.ip instanceof Inet6Address) && entries.stream().anyMatch(other ->
                            other.ip instanceof Inet6Address && other.ip.isAnyLocalAddress()
                                    && other.publicPort == entry.publicPort && other.protocol == entry.protocol)) {
                        continue; // the "::" entry's dual-stack listener serves IPv4 too
                    } else {
                        host = entry.ip;
                    }
                } else {
                    host = entry.ip;
                }
                var spec = new ForwardSpec(entry.protocol, new InetSocketAddress(host, entry.publicPort),
                        new InetSocketAddress(guest, entry.publicPort));
                result.putIfAbsent(spec.protocol().wireName() + " " + spec.hostText(), new Publication(spec, name));
            }
        }
        return List.copyOf(result.values());
    }

    private static String name(JsonNode container) {
        var names = container.path("Names");
        if (names.isArray() && !names.isEmpty()) {
            var n = names.get(0).asText("");
            return n.startsWith("/") ? n.substring(1) : n;
        }
        var id = container.path("Id").asText("?");
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private record Entry(InetAddress ip, int publicPort, Protocol protocol) {
        static Entry of(JsonNode port) {
            if (!port.path("PublicPort").canConvertToInt() || port.path("PublicPort").asInt() <= 0) {
                return null;
            }
            var type = port.path("Type").asText("tcp").toLowerCase(Locale.ROOT);
            Protocol protocol;
            if (type.equals("tcp")) {
                protocol = Protocol.TCP;
            } else if (type.equals("udp")) {
                protocol = Protocol.UDP;
            } else {
                return null;
            }
            var ipText = port.path("IP").asText("");
            InetAddress ip;
            try {
                ip = Endpoints.address(ipText.isEmpty() ? "0.0.0.0" : ipText);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int publicPort = port.path("PublicPort").asInt();
            return publicPort > 65535 ? null : new Entry(ip, publicPort, protocol);
        }
    }
}
