package dev.gangway.forward.table;

import java.util.Locale;

/** What a forward listens on: a TCP port, a UDP port, or a unix stream socket (carried to a guest TCP port). */
public enum Protocol {
    TCP,
    UDP,
    UNIX;

    /** The lower-case name used in the API and on the command line. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code tcp}, {@code udp} or {@code unix} (any case). */
    public static Protocol parse(String name) {
        if (name != null) {
            for (var p : values()) {
                if (p.wireName().equalsIgnoreCase(name.strip())) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + name + "' (use tcp, udp or unix)");
    }
}
