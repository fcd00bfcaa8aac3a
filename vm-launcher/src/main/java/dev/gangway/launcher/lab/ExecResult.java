package dev.gangway.launcher.lab;

/**
 * What a command in the guest returned.
 *
 * @param exitCode its exit status (128 + N when signal N ended it)
 * @param output its stdout and stderr, interleaved as written, decoded as UTF-8
 */
public record ExecResult(int exitCode, String output) {
}
