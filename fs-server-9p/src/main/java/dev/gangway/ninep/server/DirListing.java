package dev.gangway.ninep.server;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.gangway.posix.FileCalls;
import dev.gangway.posix.PosixException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of one directory's entries, taken when a client starts (or restarts) a listing at offset 0.
 * Readdir cookies are indexes into the snapshot, so they stay valid however the directory changes while
 * the client pages through it; a host seek offset could not promise that across file systems.
 */
final class DirListing {
    /** One entry: name, host inode number, Linux {@code DT_*} type. */
    record Entry(String name, long ino, int dtype) {
    }

    /** Rough bytes an entry costs beyond its name's characters, for the connection's memory budget. */
    static final long ENTRY_OVERHEAD = 80;

    private DirListing() {
    }

    /** Reads all entries of directory {@code dirFd} (open for reading), at most {@code max}. */
    static List<Entry> read(int dirFd, int max) throws PosixException {
        var entries = new ArrayList<Entry>();
        try (var arena = Arena.ofConfined()) {
            var buf = arena.allocate(64 * 1024, 8);
            long n;
            while (entries.size() < max && (n = FileCalls.getdents64(dirFd, buf)) > 0) {
                for (long off = 0; off < n && entries.size() < max; ) {
                    long ino = buf.get(JAVA_LONG_UNALIGNED, off);
                    int reclen = Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, off + 16));
                    int dtype = Byte.toUnsignedInt(buf.get(JAVA_BYTE, off + 18));
                    long nameStart = off + 19;
                    long nameEnd = nameStart;
                    while (buf.get(JAVA_BYTE, nameEnd) != 0) {
                        nameEnd++;
                    }
                    var name = new String(buf.asSlice(nameStart, nameEnd - nameStart).toArray(JAVA_BYTE),
                            StandardCharsets.UTF_8);
                    entries.add(new Entry(name, ino, dtype));
                    off += reclen;
                }
            }
        }
        return entries;
    }
}
