package dev.gangway.ninep.server;

/**
 * The seam for the file-events bridge: the server calls {@link #mutated} after every change a guest makes
 * through a share, on the request's thread, after the change succeeded and before the reply is sent. The
 * bridge uses it to suppress the echo of the guest's own changes, and can tell its dedicated guest agent's
 * requests apart by {@link Mutation#uid()} (the Linux client attaches once per guest uid).
 *
 * <p>Implementations must be quick and must not block: they run on the path of every mutating request.
 */
@FunctionalInterface
public interface MutationListener {
    MutationListener NONE = m -> { };

    void mutated(Mutation mutation);

    /**
     * One change. {@code path} is relative to the share root ({@code ""} for the root itself);
     * {@code toPath} is the destination of a rename or link and {@code null} otherwise.
     */
    record Mutation(String share, Kind kind, int uid, String path, String toPath) {
    }

    enum Kind { CREATE, MKDIR, SYMLINK, MKNOD, LINK, REMOVE, RENAME, WRITE, TRUNCATE, ATTRIBUTES, XATTR }
}
