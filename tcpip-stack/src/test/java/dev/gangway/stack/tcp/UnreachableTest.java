package dev.gangway.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gangway.stack.wire.IcmpPacket;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How a failed host connect is classified, and the tunables that decide what the guest then gets. */
class UnreachableTest {
    @Test
    void refusalIsNotUnreachable() {
        assertThat(Handshake.unreachableCode(new ConnectException("finishConnect(..) failed: Connection refused")))
                .isEqualTo(-1);
        assertThat(Handshake.unreachableCode(new IOException("the host channel closed"))).isEqualTo(-1);
        assertThat(Handshake.unreachableCode(null)).isEqualTo(-1);
    }

    @Test
    void noRouteAndTimeoutAreHostUnreachable() {
        assertThat(Handshake.unreachableCode(new NoRouteToHostException("No route to host")))
                .isEqualTo(IcmpPacket.CODE_HOST_UNREACHABLE);
        assertThat(Handshake.unreachableCode(new ConnectException("finishConnect(..) failed: No route to host")))
                .isEqualTo(IcmpPacket.CODE_HOST_UNREACHABLE);
        assertThat(Handshake.unreachableCode(new ConnectTimeoutException("connection timed out after 30000 ms")))
                .isEqualTo(IcmpPacket.CODE_HOST_UNREACHABLE);
    }

    @Test
    void networkUnreachableKeepsItsCode() {
        assertThat(Handshake.unreachableCode(new ConnectException("connect(..) failed: Network is unreachable")))
                .isEqualTo(IcmpPacket.CODE_NET_UNREACHABLE);
    }

    @Test
    void defaultsAnswerWithIcmpAndKeepIdleConnections() {
        var defaults = TcpConfig.defaults();
        assertThat(defaults.unreachable()).isEqualTo(TcpConfig.Unreachable.ICMP);
        assertThat(defaults.idleTimeout()).isNull();
        assertThat(defaults.withUnreachable(TcpConfig.Unreachable.RST).unreachable()).isEqualTo(TcpConfig.Unreachable.RST);
        assertThat(defaults.withConnectTimeout(Duration.ofSeconds(3)).connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void badTunablesAreRefused() {
        assertThatThrownBy(() -> TcpConfig.defaults().withConnectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> TcpConfig.defaults().withIdleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> TcpConfig.defaults().withMaxFlows(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFlows");
    }
}
