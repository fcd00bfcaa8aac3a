package dev.gangway.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gangway.launcher.up.GangwayHome;
import dev.gangway.launcher.up.Launcher;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gangway status}: the Docker VM, its services, shares, forwards and counters. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Show the Docker VM's state, services, shares, forwarded ports and counters. Exit code 0"
                + " when it is ready, 3 when it is not running (a dead VM's leftovers are removed).")
public final class StatusCommand implements Callable<Integer> {
    static final int NOT_RUNNING = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the status as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        var home = GangwayHome.resolve();
        var status = new Launcher(home, spec.commandLine().getOut()).status();
        var out = spec.commandLine().getOut();
        var state = status.path("state").asText();
        if (json) {
            out.println(status.toString());
            return state.equals("ready") ? 0 : NOT_RUNNING;
        }
        row(out, "VM", state + describe(status));
        if (status.has("problem")) {
            row(out, "problem", status.get("problem").asText());
        }
        if (status.has("pid")) {
            row(out, "daemon", "pid " + status.get("pid").asText() + ", home " + home.dir());
            row(out, "QEMU", "pid " + status.path("qemuPid").asText() + (status.path("vmAlive").asBoolean()
                    ? " (running)" : " (not running)"));
            row(out, "services", "network 192.168.65.0/24 (DHCP), DNS, 9P, port forwarder, Docker API on "
                    + status.path("dockerSocket").asText());
            for (var share : status.path("shares")) {
                row(out, "share", share.asText() + " (9P, same path in the VM)");
            }
            for (var forward : status.path("forwards")) {
                row(out, "forward", forward.path("protocol").asText() + " " + forward.path("host").asText() + " -> "
                        + forward.path("guest").asText() + " (" + forward.path("origin").asText() + ")");
            }
            var counters = new StringBuilder();
            status.path("counters").properties().forEach(entry -> {
                if (entry.getValue().asLong() != 0) {
                    counters.append(counters.isEmpty() ? "" : ", ").append(entry.getKey()).append('=')
                            .append(entry.getValue().asText());
                }
            });
            row(out, "counters", counters.isEmpty() ? "(none)" : counters.toString());
        }
        return state.equals("ready") ? 0 : NOT_RUNNING;
    }

    private static String describe(JsonNode status) {
        if (!status.has("pid")) {
            return "";
        }
        var text = new StringBuilder(" (").append(status.path("accel").asText("?")).append(", ")
                .append(status.path("cpus").asText()).append(" CPUs, ").append(status.path("memoryMiB").asText())
                .append(" MiB");
        if (status.hasNonNull("guestAddress")) {
            text.append(", address ").append(status.get("guestAddress").asText());
        }
        if (status.hasNonNull("readySeconds")) {
            text.append(String.format(Locale.ROOT, ", ready after %.1f s", status.get("readySeconds").asDouble()));
        }
        return text.append(')').toString();
    }

    private static void row(java.io.PrintWriter out, String name, String value) {
        out.printf(Locale.ROOT, "%-9s %s%n", name, value);
    }
}
