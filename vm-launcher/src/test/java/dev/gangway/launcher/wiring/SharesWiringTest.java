package dev.gangway.launcher.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gangway.ninep.share.Ownership;
import dev.gangway.stack.service.NetworkServices;
import dev.gangway.stack.service.Protocol;
import dev.gangway.stack.service.ServiceBinding;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SharesWiring binds on the gateway and what it tells the guest; the data path is FsEventsIT's. */
class SharesWiringTest {
    @TempDir
    Path tmp;

    private final List<String> bound = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();

    private final NetworkServices services = new NetworkServices() {
        @Override
        public ServiceBinding listen(InetAddress gateway, int port, Protocol protocol, ChannelInitializer<Channel> init) {
            var name = gateway.getHostAddress() + ":" + port + "/" + protocol;
            bound.add(name);
            return new ServiceBinding() {
                @Override
                public InetSocketAddress localAddress() {
                    return new InetSocketAddress(gateway, port);
                }

                @Override
                public Protocol protocol() {
                    return protocol;
                }

                @Override
                public void close() {
                    closed.add(name);
                }
            };
        }

        @Override
        public Future<Channel> dial(InetAddress guest, int port, Protocol protocol, InetSocketAddress source,
                ChannelInitializer<Channel> init) {
            throw new UnsupportedOperationException("the shares never dial");
        }
    };

    @Test
    void bindsNinePAndTheEventStreamOnTheGatewayAndDescribesTheGuestSide() throws Exception {
        var src = Files.createDirectory(tmp.resolve("src"));
        var runtime = Files.createDirectory(tmp.resolve("runtime"));
        var options = SharesWiring.Options.defaults().withOwnership(Ownership.mapped());
        try (var wiring = SharesWiring.start(services, List.of(SharesWiring.Share.watched("src", src),
                SharesWiring.Share.readOnly("gangway-agent", runtime)), options)) {
            assertThat(bound).containsExactly("192.168.65.1:564/TCP", "192.168.65.1:5640/TCP");
            assertThat(wiring.bridge()).isPresent();
            assertThat(wiring.ninePServer().shares()).containsOnlyKeys("src", "gangway-agent");
            assertThat(wiring.mountOptions("src"))
                    .isEqualTo("trans=tcp,port=564,version=9p2000.L,msize=1048576,cache=none,aname=src");
            assertThat(wiring.mountOptions("gangway-agent")).contains(",ro,cache=loose,aname=gangway-agent");
            assertThat(wiring.agentArguments(Map.of("src", "/mnt/src"), "/run/agent.state")).containsExactly(
                    "--connect", "192.168.65.1:5640", "--state", "/run/agent.state", "--fsuid", "64999:64999",
                    "--share", "src=/mnt/src");
            assertThatThrownBy(() -> wiring.agentArguments(Map.of(), "/run/agent.state"))
                    .hasMessageContaining("watched share src has no guest mount");
        }
        assertThat(closed).containsExactlyInAnyOrder("192.168.65.1:564/TCP", "192.168.65.1:5640/TCP");
    }

    @Test
    void withoutAWatchedShareThereIsNoBridgeAndNoStream() throws Exception {
        var ro = Files.createDirectory(tmp.resolve("ro"));
        try (var wiring = SharesWiring.start(services, List.of(SharesWiring.Share.readOnly("ro", ro)),
                SharesWiring.Options.defaults())) {
            assertThat(bound).containsExactly("192.168.65.1:564/TCP");
            assertThat(wiring.bridge()).isEmpty();
        }
    }

    @Test
    void aWatchedShareMustBeWritableAndNamesAreUnique() throws Exception {
        assertThatThrownBy(() -> new SharesWiring.Share("s", tmp, true, true)).hasMessageContaining("writable");
        assertThatThrownBy(() -> SharesWiring.start(services, List.of(SharesWiring.Share.readOnly("s", tmp),
                SharesWiring.Share.readOnly("s", tmp)), SharesWiring.Options.defaults()))
                .hasMessageContaining("given twice");
        assertThat(bound).isEmpty();
    }
}
