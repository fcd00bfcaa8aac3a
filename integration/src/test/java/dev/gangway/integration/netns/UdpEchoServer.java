package dev.gangway.integration.netns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A plain host UDP echo server on 127.0.0.1 (a real host socket, the peer the stack's NAT talks to). */
final class UdpEchoServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;

    private UdpEchoServer(DatagramSocket socket) {
        this.socket = socket;
        this.thread = Thread.ofPlatform().daemon().name("udp-echo").start(this::serve);
    }

    static UdpEchoServer start() throws IOException {
        var socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(1 << 20);
        socket.setSendBufferSize(1 << 20);
        return new UdpEchoServer(socket);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        var buffer = new byte[65536];
        while (!socket.isClosed()) {
            var packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                socket.send(new DatagramPacket(buffer, packet.getLength(), packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
