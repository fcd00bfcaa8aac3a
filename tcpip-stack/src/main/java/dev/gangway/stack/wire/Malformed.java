package dev.gangway.stack.wire;

/** Why a codec refused bytes from the guest; each becomes a drop counter. */
public enum Malformed {
    TRUNCATED,
    BAD_LENGTH,
    BAD_VERSION,
    BAD_HEADER_LENGTH,
    BAD_CHECKSUM,
    BAD_ADDRESS,
    UNSUPPORTED,
    BAD_OPTIONS;

    /** The counter name, e.g. {@code bad-checksum}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
