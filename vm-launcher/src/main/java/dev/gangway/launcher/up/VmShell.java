package dev.gangway.launcher.up;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Shell commands in the Docker VM, through the daemon's control socket and the guest's command channel.
 * The channel has no terminal and no stdin: the prompt runs one line at a time, keeping the working folder
 * between lines.
 */
public final class VmShell {
    private final GangwayHome home;
    private final long limitSeconds;

    public VmShell(GangwayHome home, long limitSeconds) {
        this.home = home;
        this.limitSeconds = limitSeconds;
    }

    public boolean running() {
        return DaemonProcess.live(home).isPresent();
    }

    /** Runs {@code script} with sh in the VM, its output (stdout and stderr) to {@code out}. */
    public int run(String script, PrintStream out) throws IOException {
        return ControlClient.exec(home, script, limitSeconds, out);
    }

    /** Reads lines at a {@code gangway#} prompt and runs each; ends at end of input or {@code exit}. */
    public int prompt(InputStream in, PrintStream out) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        var cwd = "/";
        int status = 0;
        while (true) {
            out.print("gangway:" + cwd + "# ");
            out.flush();
            var line = reader.readLine();
            if (line == null || line.strip().equals("exit")) {
                out.println();
                return status;
            }
            if (line.isBlank()) {
                continue;
            }
            var marker = "__gangway_cwd__";
            var script = "cd " + Daemon.quote(cwd) + " 2>/dev/null; " + line + "\nstatus=$?; echo " + marker
                    + "\"$(pwd)\"; exit $status";
            var captured = new java.io.ByteArrayOutputStream();
            status = ControlClient.exec(home, script, limitSeconds, captured);
            var text = captured.toString(StandardCharsets.UTF_8);
            int at = text.lastIndexOf(marker);
            if (at >= 0) {
                cwd = text.substring(at + marker.length()).strip();
                text = text.substring(0, at);
            }
            out.print(text);
            out.flush();
        }
    }
}
