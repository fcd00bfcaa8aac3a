package dev.gangway.forward.table;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who holds a port, as far as Linux tells: the socket's inode from {@code /proc/net/{tcp,tcp6,udp,udp6}},
 * then the process with a descriptor on that inode from {@code /proc/PID/fd}. Processes of other users are
 * not readable without privilege; then only "another process" can be said.
 */
public final class PortHolders {
    private static final String TCP_LISTEN = "0A";
    private static final String UDP_UNCONNECTED = "07";

    private final Path proc;

    public PortHolders() {
        this(Path.of("/proc"));
    }

    /** Reads a /proc-shaped tree at {@code proc} (tests use a copy). */
    public PortHolders(Path proc) {
        this.proc = proc;
    }

    /**
     * The process holding {@code address} for {@code protocol} ({@code TCP} or {@code UDP}): one bound to the
     * same address, or to the wildcard of either family, with the same port.
     *
     * @param pid     the process id
     * @param command its {@code comm} name
     */
    public record Holder(long pid, String command) {
        @Override
        public String toString() {
            return "pid " + pid + " (" + command + ")";
        }
    }

    /** The socket inode of a listener that overlaps {@code address}, if the kernel lists one. */
    public OptionalLong inode(Protocol protocol, InetSocketAddress address) {
        String base = protocol == Protocol.UDP ? "udp" : "tcp";
        String state = protocol == Protocol.UDP ? UDP_UNCONNECTED : TCP_LISTEN;
        for (var file : new String[] {base, base + "6"}) {
            var found = scanTable(proc.resolve("net").resolve(file), state, address);
            if (found.isPresent()) {
                return found;
            }
        }
        return OptionalLong.empty();
    }

    /** The holder of {@code address}, when its process is visible. */
    public Optional<Holder> find(Protocol protocol, InetSocketAddress address) {
        var inode = inode(protocol, address);
        return inode.isPresent() ? owner(inode.getAsLong()) : Optional.empty();
    }

    private OptionalLong scanTable(Path table, String wantedState, InetSocketAddress wanted) {
        java.util.List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        for (int i = 1; i < lines.size(); i++) {
            var fields = lines.get(i).trim().split("\\s+");
            if (fields.length < 10 || !fields[3].equals(wantedState)) {
                continue;
            }
            int colon = fields[1].indexOf(':');
            if (colon < 0) {
                continue;
            }
            int port = Integer.parseInt(fields[1].substring(colon + 1), 16);
            if (port != wanted.getPort()) {
                continue;
            }
            var local = decode(fields[1].substring(0, colon));
            if (local != null && overlaps(local, wanted.getAddress())) {
                long inode = Long.parseLong(fields[9]);
                if (inode != 0) {
                    return OptionalLong.of(inode);
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean overlaps(InetAddress held, InetAddress wanted) {
        // A v6 wildcard may be dual-stack (we cannot see IPV6_V6ONLY here); a v4 wildcard covers only v4.
        if (held.isAnyLocalAddress()) {
            return held instanceof Inet6Address || !(wanted instanceof Inet6Address) || wanted.isAnyLocalAddress();
        }
        if (wanted.isAnyLocalAddress()) {
            return wanted instanceof Inet6Address || !(held instanceof Inet6Address);
        }
        return held.equals(wanted);
    }

    /** Decodes the kernel's hex address: 32-bit words in host (little-endian) byte order. */
    static InetAddress decode(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        if (raw.length != 4 && raw.length != 16) {
            return null;
        }
        for (int word = 0; word < raw.length; word += 4) {
            byte b0 = raw[word];
            byte b1 = raw[word + 1];
            raw[word] = raw[word + 3];
            raw[word + 1] = raw[word + 2];
            raw[word + 2] = b1;
            raw[word + 3] = b0;
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private Optional<Holder> owner(long inode) {
        var target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (var pidDir : pids) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
                    for (var fd : fds) {
                        if (target.equals(readLink(fd))) {
                            long pid = Long.parseLong(pidDir.getFileName().toString());
                            return Optional.of(new Holder(pid, command(pidDir)));
                        }
                    }
                } catch (IOException | SecurityException unreadable) {
                    // Another user's process: not ours to inspect.
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static String command(Path pidDir) {
        try {
            return Files.readString(pidDir.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
