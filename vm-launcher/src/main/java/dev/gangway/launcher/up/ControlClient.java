package dev.gangway.launcher.up;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The CLI's side of {@link ControlServer}. */
final class ControlClient {
    private ControlClient() {
    }

    /** Sends one request line and returns the first answer line. */
    static String request(GangwayHome home, String line) throws IOException {
        try (var channel = connect(home); var in = new BufferedInputStream(Channels.newInputStream(channel))) {
            Channels.newOutputStream(channel).write((line + "\n").getBytes(StandardCharsets.UTF_8));
            var answer = readLine(in);
            if (answer == null) {
                throw new IOException("the daemon closed the control connection without an answer");
            }
            return answer;
        }
    }

    /** Runs {@code command} in the VM, copying its output to {@code out}; returns its exit status. */
    static int exec(GangwayHome home, String command, long limitSeconds, OutputStream out) throws IOException {
        try (var channel = connect(home); var in = new BufferedInputStream(Channels.newInputStream(channel))) {
            var request = "exec " + limitSeconds + " "
                    + Base64.getEncoder().encodeToString(command.getBytes(StandardCharsets.UTF_8)) + "\n";
            Channels.newOutputStream(channel).write(request.getBytes(StandardCharsets.US_ASCII));
            while (true) {
                var header = readLine(in);
                if (header == null) {
                    throw new IOException("the daemon closed the connection before the command ended");
                }
                if (header.startsWith("O ")) {
                    var length = Integer.parseInt(header.substring(2));
                    out.write(in.readNBytes(length));
                    out.flush();
                } else if (header.startsWith("R ")) {
                    return Integer.parseInt(header.substring(2));
                } else {
                    throw new IOException("unexpected answer from the daemon: " + header);
                }
            }
        }
    }

    private static SocketChannel connect(GangwayHome home) throws IOException {
        var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(home.controlSocket()));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }
}
