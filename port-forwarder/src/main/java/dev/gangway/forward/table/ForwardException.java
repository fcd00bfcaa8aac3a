package dev.gangway.forward.table;

/** A forward could not be opened or found; {@link #reason()} says whose problem it is. */
public final class ForwardException extends Exception {
    /** Why the request failed; the control API maps each to one HTTP status. */
    public enum Reason {
        /** The request itself is wrong (400). */
        INVALID(400),
        /** The host endpoint is taken, by another forward or another process (409). */
        CONFLICT(409),
        /** The system refused the bind: a privileged port, a read-only path (403). */
        FORBIDDEN(403),
        /** No such forward (404). */
        NOT_FOUND(404),
        /** Anything else the system reported (500). */
        FAILED(500);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public ForwardException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ForwardException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
