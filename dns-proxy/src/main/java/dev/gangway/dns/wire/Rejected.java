package dev.gangway.dns.wire;

/**
 * A message that is not an answerable query. {@code rcode < 0} means drop it silently (no reply could be
 * trusted to reach a real client, or replying would be a reflection); otherwise reply with that rcode,
 * echoing {@code id}, the opcode and RD from {@code flags}, and the question when it was read.
 */
public record Rejected(int rcode, String reason, int id, int flags, byte[] question) implements Parsed {
    public static final int DROP = -1;
    /** The extended rcode for an EDNS version we do not speak; its reply carries our OPT record. */
    public static final int BADVERS = 16;
}
