package dev.gangway.forward.table;

import dev.gangway.forward.table.ForwardException.Reason;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/** Turns a failed bind into a {@link ForwardException} a user can act on. */
final class BindFailures {
    static final int EACCES = 13;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int EAFNOSUPPORT = 97;
    static final int EPERM = 1;

    private BindFailures() {
    }

    /** The Linux errno behind a bind failure (native epoll or JDK), or 0 when unknown. */
    static int errno(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Errors.NativeIoException n) {
                return Math.abs(n.expectedErr());
            }
            var message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("address already in use")) {
                return EADDRINUSE;
            }
            if (message.contains("permission denied")) {
                return EACCES;
            }
            if (message.contains("cannot assign requested address")) {
                return EADDRNOTAVAIL;
            }
            if (message.contains("address family not supported") || message.contains("protocol family unavailable")) {
                return EAFNOSUPPORT;
            }
        }
        return 0;
    }

    /**
     * @param ownHolder describes a forward of this process that overlaps the endpoint, or returns null
     */
    static ForwardException of(ForwardSpec spec, Throwable cause, PortHolders holders,
                               Function<ForwardSpec, String> ownHolder) {
        var what = spec.hostText() + "/" + spec.protocol().wireName();
        int errno = errno(cause);
        return switch (errno) {
            case EADDRINUSE -> new ForwardException(Reason.CONFLICT,
                    what + " is in use by " + holder(spec, holders, ownHolder)
                            + "; fix: stop it or choose another host port", cause);
            case EACCES, EPERM -> spec.host() instanceof InetSocketAddress inet
                    ? new ForwardException(Reason.FORBIDDEN, "binding port " + inet.getPort() + " needs privilege"
                            + " (ports below " + unprivilegedStart() + " are privileged); fix: use a higher host port,"
                            + " or grant CAP_NET_BIND_SERVICE or lower net.ipv4.ip_unprivileged_port_start", cause)
                    : new ForwardException(Reason.FORBIDDEN, "cannot create socket " + spec.hostText()
                            + ": permission denied; fix: choose a path in a folder you can write", cause);
            case EADDRNOTAVAIL -> new ForwardException(Reason.INVALID,
                    spec.hostText() + " is not an address of this host; fix: use 127.0.0.1, ::1, 0.0.0.0 or a local address", cause);
            case EAFNOSUPPORT -> new ForwardException(Reason.INVALID,
                    "this host has no IPv6 for " + spec.hostText() + "; fix: use an IPv4 host address", cause);
            default -> new ForwardException(Reason.FAILED, "cannot listen on " + what + ": " + cause.getMessage(), cause);
        };
    }

    private static String holder(ForwardSpec spec, PortHolders holders, Function<ForwardSpec, String> ownHolder) {
        var own = ownHolder.apply(spec);
        if (own != null) {
            return own;
        }
        if (spec.host() instanceof InetSocketAddress inet) {
            var found = holders.find(spec.protocol(), inet);
            if (found.isPresent()) {
                var holder = found.get();
                return holder.pid() == ProcessHandle.current().pid() ? "this gangway process (" + holder + ")" : holder.toString();
            }
            if (holders.inode(spec.protocol(), inet).isPresent()) {
                return "a process of another user";
            }
        }
        return "another process";
    }

    static String unprivilegedStart() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).strip();
        } catch (IOException e) {
            return "1024";
        }
    }
}
