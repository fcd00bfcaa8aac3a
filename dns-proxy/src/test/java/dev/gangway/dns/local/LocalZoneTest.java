package dev.gangway.dns.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gangway.dns.host.HostsFile;
import dev.gangway.dns.host.WatchedFile;
import dev.gangway.dns.lab.Messages;
import dev.gangway.dns.wire.Query;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalZoneTest {
    long now;

    @Test
    void builtInsStaticRecordsHostsFileAndReverseNames() throws Exception {
        var hosts = Files.createTempFile("gangway-hosts-", "");
        Files.writeString(hosts, "10.0.0.7 web.local web # comment\n::1 localhost6\n192.168.65.254 hostfile-alias\n"
                + "10.0.0.9 bad..name " + "x".repeat(70) + " \u00e9t\u00e9\n");
        var fixed = new ArrayList<>(LocalZone.builtIns(InetAddress.getByName("192.168.65.254"),
                InetAddress.getByName("192.168.65.1"), "docker-vm", InetAddress.getByName("192.168.65.2")));
        fixed.add(LocalRecord.parse("db.test A 10.0.0.5"));
        fixed.add(LocalRecord.parse("alias.test CNAME db.test."));
        fixed.add(LocalRecord.parse("_pg._tcp.test SRV 10 5 5432 db.test"));
        fixed.add(LocalRecord.parse("note.test TXT \"hello there\""));
        var zone = new LocalZone(fixed, new WatchedFile<>(hosts, HostsFile::parse, () -> now));

        assertThat(addresses(zone, "host.docker.internal", Query.TYPE_A)).containsExactly("192.168.65.254");
        assertThat(addresses(zone, "GATEWAY.docker.internal", Query.TYPE_A)).containsExactly("192.168.65.1");
        assertThat(addresses(zone, "docker-vm", Query.TYPE_A)).containsExactly("192.168.65.2");
        assertThat(addresses(zone, "web", Query.TYPE_A)).containsExactly("10.0.0.7");
        assertThat(addresses(zone, "localhost6", Query.TYPE_AAAA)).containsExactly("0:0:0:0:0:0:0:1");
        assertThat(zone.lookup(key("host.docker.internal", Query.TYPE_AAAA)).records()).isEmpty();
        assertThat(zone.lookup(key("elsewhere.example", Query.TYPE_A))).isNull();

        var cname = zone.lookup(key("alias.test", Query.TYPE_A)).records();
        assertThat(cname).extracting(LocalRecord::type).containsExactly(Query.TYPE_CNAME, Query.TYPE_A);
        assertThat(zone.lookup(key("_pg._tcp.test", Query.TYPE_SRV)).records()).hasSize(1);
        assertThat(zone.lookup(key("note.test", Query.TYPE_TXT)).records().getFirst().rdata())
                .startsWith(11, 'h', 'e');
        // the built-in name wins the reverse name of an address the hosts file also lists
        var ptr = zone.lookup(key("254.65.168.192.in-addr.arpa", Query.TYPE_PTR)).records();
        assertThat(ptr).hasSize(1);
        assertThat(ptr.getFirst().rdata()).startsWith(4, 'h', 'o', 's', 't');

        Files.writeString(hosts, "10.0.0.8 web\n");
        assertThat(addresses(zone, "web", Query.TYPE_A)).containsExactly("10.0.0.7");
        now += 2_000_000_000L;
        assertThat(addresses(zone, "web", Query.TYPE_A)).containsExactly("10.0.0.8");
        assertThat(zone.lookup(key("web.local", Query.TYPE_A))).isNull();
    }

    @Test
    void badStaticRecordsAreExplained() {
        assertThatThrownBy(() -> LocalRecord.parse("x.test A ::1")).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> LocalRecord.parse("x.test MX 10 m")).hasMessageContaining("A, AAAA, CNAME, TXT, SRV");
        assertThatThrownBy(() -> LocalRecord.parse("x.test SRV 1 2 x t")).hasMessageContaining("0-65535");
        assertThatThrownBy(() -> LocalRecord.parse("x..test A 1.2.3.4")).hasMessageContaining("not a valid DNS name");
        assertThatThrownBy(() -> LocalRecord.parse("x.test")).hasMessageContaining("NAME TYPE DATA");
    }

    private static dev.gangway.dns.wire.QuestionKey key(String name, int type) {
        return ((Query) Query.parse(Messages.query(1, name, type))).key();
    }

    private static List<String> addresses(LocalZone zone, String name, int type) throws Exception {
        var out = new ArrayList<String>();
        for (LocalRecord r : zone.lookup(key(name, type)).records()) {
            out.add(InetAddress.getByAddress(r.rdata()).getHostAddress());
        }
        return out;
    }
}
