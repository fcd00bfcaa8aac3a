package dev.gangway.ninep.server;

/**
 * The seam for the file-events bridge's replay: which attach belongs to the bridge's guest agent, and,
 * for that attach only, which names to hide (entries the host created, whose creation the agent is about
 * to replay) and which ghosts to show (entries the host removed or renamed away, whose removal the
 * agent is about to replay). The server completes the agent's calls against the host's current state
 * and never changes host data for them; see {@link Replay}.
 *
 * <p>Called on request threads; implementations must be thread-safe and quick.
 */
public interface ReplayPolicy {
    /** No agent: every attach is an ordinary guest user. */
    ReplayPolicy NONE = new ReplayPolicy() {
        @Override
        public boolean isAgent(String share, int uid) {
            return false;
        }

        @Override
        public boolean isHidden(String share, String path) {
            return false;
        }

        @Override
        public Ghost ghost(String share, String path) {
            return null;
        }

        @Override
        public void completed(String share, String path) {
        }
    };

    /** Whether the attach of guest uid {@code uid} to {@code share} is the agent's. */
    boolean isAgent(String share, int uid);

    /** True when the agent's lookup of {@code path} (relative to the share root) must fail with ENOENT. */
    boolean isHidden(String share, String path);

    /** The entry the agent must still find at {@code path}, or null. */
    Ghost ghost(String share, String path);

    /** The agent's call on {@code path} is done: its expectation is met. */
    void completed(String share, String path);

    /**
     * An entry gone from the host as the agent must still see it: the identity its qid derives from
     * ({@code dev} in glibc's {@code makedev} encoding, {@code ino}) and the attributes getattr shows.
     * {@code mode} includes the file type bits.
     */
    record Ghost(long dev, long ino, int mode, int uid, int gid, long size, long mtimeNanos, long ctimeNanos) {
    }
}
