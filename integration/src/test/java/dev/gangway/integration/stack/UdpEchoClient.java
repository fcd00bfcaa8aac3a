package dev.gangway.integration.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The guests' UDP client ({@code udpecho IP PORT SIZE}, from {@code stack/udpecho.c}): one datagram, one
 * echo awaited for 5 s and checked byte for byte; prints {@code ok}, {@code refused}, {@code timeout},
 * {@code short} or {@code differs}. Built once per JVM with gcc, without libc, so that it runs in a lab
 * VM as well as in a namespace.
 */
public final class UdpEchoClient {
    private static Path binary;

    private UdpEchoClient() {
    }

    /** The compiled client (gcc must be on the PATH). */
    public static synchronized Path binary() throws IOException, InterruptedException {
        if (binary != null && Files.isExecutable(binary)) {
            return binary;
        }
        var dir = Files.createTempDirectory("udpecho-");
        dir.toFile().deleteOnExit();
        var source = dir.resolve("udpecho.c");
        try (var in = UdpEchoClient.class.getResourceAsStream("/stack/udpecho.c")) {
            Files.write(source, in.readAllBytes());
        }
        var out = dir.resolve("udpecho");
        var build = new ProcessBuilder("gcc", "-Os", "-s", "-static", "-nostdlib", "-fno-stack-protector",
                "-fno-builtin", "-fno-tree-loop-distribute-patterns", "-o", out.toString(), source.toString())
                .redirectErrorStream(true).start();
        var log = new String(build.getInputStream().readAllBytes());
        if (build.waitFor() != 0) {
            throw new IOException("gcc failed to build udpecho: " + log);
        }
        source.toFile().delete();
        out.toFile().deleteOnExit();
        binary = out;
        return out;
    }
}
