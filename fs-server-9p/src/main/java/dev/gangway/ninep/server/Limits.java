package dev.gangway.ninep.server;

/**
 * Everything a guest could otherwise grow without bound, per connection.
 *
 * @param maxMsize       largest message size negotiated (the Linux client's maximum over TCP is 1 MiB)
 * @param maxFids        fids one connection may hold (the client may lose clunks; all are freed on disconnect)
 * @param maxInFlight    requests being served at once; beyond it the connection stops reading (backpressure)
 * @param maxDirEntries  entries one directory listing may hold; further entries are not listed
 * @param maxHeldBytes   memory one connection may hold in directory snapshots and extended attribute values;
 *                       beyond it such requests fail with ENOMEM until fids are clunked
 */
public record Limits(int maxMsize, int maxFids, int maxInFlight, int maxDirEntries, long maxHeldBytes) {
    public static final int MIN_MSIZE = 4096;

    public static Limits defaults() {
        return new Limits(1 << 20, 65536, 256, 1 << 20, 256L << 20);
    }

    public Limits {
        if (maxMsize < MIN_MSIZE || maxFids < 1 || maxInFlight < 1 || maxDirEntries < 1 || maxHeldBytes < 1) {
            throw new IllegalArgumentException("limits must be positive and msize at least " + MIN_MSIZE);
        }
    }
}
