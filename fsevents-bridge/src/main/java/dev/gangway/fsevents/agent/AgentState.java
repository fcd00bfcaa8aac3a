package dev.gangway.fsevents.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The agent's position in the stream, {@code (epoch, lastApplied)}, kept in a small file so that a
 * restarted agent resumes where the previous one stopped. Written atomically (temporary file + rename);
 * a missing or unreadable file means a fresh start.
 */
public final class AgentState {
    private final Path file;
    private long epoch;
    private long lastApplied;

    private AgentState(Path file, long epoch, long lastApplied) {
        this.file = file;
        this.epoch = epoch;
        this.lastApplied = lastApplied;
    }

    public static AgentState load(Path file) {
        try {
            var bytes = Files.readAllBytes(file);
            if (bytes.length == 16) {
                var buffer = ByteBuffer.wrap(bytes);
                return new AgentState(file, buffer.getLong(), buffer.getLong());
            }
        } catch (IOException e) {
            // A fresh start: the host sends an overflow signal if it has a history we missed.
        }
        return new AgentState(file, 0, 0);
    }

    public long epoch() {
        return epoch;
    }

    public long lastApplied() {
        return lastApplied;
    }

    void update(long epoch, long lastApplied) throws IOException {
        if (epoch == this.epoch && lastApplied == this.lastApplied) {
            return;
        }
        this.epoch = epoch;
        this.lastApplied = lastApplied;
        var tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, ByteBuffer.allocate(16).putLong(epoch).putLong(lastApplied).array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
