package dev.gangway.launcher.lab;

import java.nio.charset.StandardCharsets;

/**
 * What a command in the guest returned, with its output as the exact bytes it wrote.
 *
 * @param exitCode its exit status (128 + N when signal N ended it)
 * @param output its stdout and stderr, interleaved as written
 */
public record RawExecResult(int exitCode, byte[] output) {
    public ExecResult decoded() {
        return new ExecResult(exitCode, new String(output, StandardCharsets.UTF_8));
    }
}
