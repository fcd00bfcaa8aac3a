package dev.gangway.dns.lab;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A port free for both UDP and TCP on an address, found by binding port 0. */
public final class FreePort {
    private FreePort() {
    }

    public static int on(String ip) throws IOException {
        for (int i = 0; i < 50; i++) {
            try (var udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), 0))) {
                int port = udp.getLocalPort();
                try (var tcp = new ServerSocket(port, 1, InetAddress.getByName(ip))) {
                    return port;
                } catch (IOException busy) {
                    // try another
                }
            }
        }
        throw new IOException("no free port on " + ip);
    }
}
