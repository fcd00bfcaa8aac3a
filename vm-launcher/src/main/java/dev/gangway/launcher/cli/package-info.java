/**
 * The {@code gangway} command line: one picocli command per file, registered in {@link
 * dev.gangway.launcher.cli.GangwayCommand}.
 *
 * <p>Errors a user can fix (a bad flag, a missing file, a busy port) are a {@link
 * dev.gangway.launcher.cli.UserError}: {@link dev.gangway.launcher.cli.Main} prints them as one line
 * naming the problem and the fix, and exits with code 2. Anything else is a bug and prints a stack trace
 * with exit code 1.
 */
package dev.gangway.launcher.cli;
