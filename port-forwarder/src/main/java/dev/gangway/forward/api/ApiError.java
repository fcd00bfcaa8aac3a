package dev.gangway.forward.api;

/** The body of every error response: one line naming the problem and, where there is one, the fix. */
public record ApiError(String error) {
}
