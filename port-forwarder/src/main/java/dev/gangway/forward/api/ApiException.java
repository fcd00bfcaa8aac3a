package dev.gangway.forward.api;

/** An error response from the control API: its HTTP status and its one-line message. */
public final class ApiException extends Exception {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
