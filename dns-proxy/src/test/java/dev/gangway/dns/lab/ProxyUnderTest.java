package dev.gangway.dns.lab;

import dev.gangway.dns.server.DnsConfig;
import dev.gangway.dns.server.DnsServer;
import dev.gangway.dns.server.StandaloneDns;
import dev.gangway.dns.upstream.Transport;
import java.net.InetSocketAddress;

/** A {@link DnsServer} bound to a free loopback port, with its own event loop. */
public final class ProxyUnderTest implements AutoCloseable {
    public final Transport transport;
    public final DnsServer server;
    public final StandaloneDns bound;

    public ProxyUnderTest(DnsConfig config) {
        this.transport = Transport.create(1, "test-dns");
        this.server = new DnsServer(config, transport);
        this.bound = StandaloneDns.bind(server, transport, new InetSocketAddress("127.0.0.1", 0), 1);
    }

    public InetSocketAddress address() {
        return bound.address();
    }

    public String dig(String... args) {
        return Dig.ask(address(), args);
    }

    @Override
    public void close() {
        bound.close();
        server.close();
        transport.close();
    }
}
