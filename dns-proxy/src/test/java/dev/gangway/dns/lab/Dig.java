package dev.gangway.dns.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real {@code dig} (bind9-dnsutils) against a server and picks its output apart. */
public final class Dig {
    private static final Path BINARY = Path.of("/usr/bin/dig");
    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
    private static final Pattern FLAGS = Pattern.compile(";; flags: ([a-z ]*);");

    private Dig() {
    }

    /** dig's full output for {@code args} (e.g. "a.test", "MX") asked of {@code server}, one try, 5 s. */
    public static String ask(InetSocketAddress server, String... args) {
        Prerequisite.require(Files.isExecutable(BINARY), "dig (apt-get install bind9-dnsutils)");
        var cmd = new ArrayList<>(List.of(BINARY.toString(), "@" + server.getAddress().getHostAddress(),
                "-p", String.valueOf(server.getPort()), "+tries=1", "+time=5"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String status(String output) {
        Matcher m = STATUS.matcher(output);
        return m.find() ? m.group(1) : "NO-ANSWER: " + output;
    }

    public static String flags(String output) {
        Matcher m = FLAGS.matcher(output);
        return m.find() ? m.group(1).trim() : "";
    }

    /** The record lines (answer, authority, additional; no OPT, no comments) of {@code output}. */
    public static List<String> records(String output) {
        return output.lines().filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
    }

    /** {@link #records} with the TTL column blanked, to compare answers of different ages. */
    public static List<String> recordsWithoutTtl(String output) {
        return records(output).stream().map(l -> l.replaceFirst("^(\\S+)\\s+\\d+\\s+", "$1 TTL ")).toList();
    }

    /** The TTL of the first record line. */
    public static long firstTtl(String output) {
        String[] f = records(output).getFirst().split("\\s+");
        return Long.parseLong(f[1]);
    }
}
