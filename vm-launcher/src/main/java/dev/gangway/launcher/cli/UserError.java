package dev.gangway.launcher.cli;

/**
 * A problem the user can fix. The message is one line that names the problem and the fix; the CLI prints
 * it without a stack trace and exits with code 2.
 */
public final class UserError extends RuntimeException {
    public UserError(String problemAndFix) {
        super(problemAndFix);
    }

    public UserError(String problemAndFix, Throwable cause) {
        super(problemAndFix, cause);
    }
}
