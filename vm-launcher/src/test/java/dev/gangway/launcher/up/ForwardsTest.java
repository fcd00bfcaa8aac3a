package dev.gangway.launcher.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ForwardsTest {
    @Test
    void portAloneIsLoopbackToTheSameGuestPort() throws Exception {
        var spec = Forwards.parse("8080", InetAddress.getByName("192.168.65.2"));
        assertThat(spec.hostText()).isEqualTo("127.0.0.1:8080");
        assertThat(spec.guestText()).isEqualTo("192.168.65.2:8080");
    }

    @Test
    void twoPortsAreHostThenGuest() throws Exception {
        var spec = Forwards.parse("8080:80", InetAddress.getByName("192.168.65.2"));
        assertThat(spec.hostText()).isEqualTo("127.0.0.1:8080");
        assertThat(spec.guestText()).isEqualTo("192.168.65.2:80");
    }

    @Test
    void addressAndPortsAreAllKept() throws Exception {
        var spec = Forwards.parse("0.0.0.0:9000:90", InetAddress.getByName("192.168.65.2"));
        assertThat(spec.hostText()).isEqualTo("0.0.0.0:9000");
        assertThat(spec.guestText()).isEqualTo("192.168.65.2:90");
        var addressOnly = Forwards.parse("127.0.0.2:9001", InetAddress.getByName("192.168.65.2"));
        assertThat(addressOnly.hostText()).isEqualTo("127.0.0.2:9001");
        assertThat(addressOnly.guestText()).isEqualTo("192.168.65.2:9001");
    }

    @Test
    void badPortsAreRefused() {
        assertThatThrownBy(() -> Forwards.host("70000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Forwards.host("http")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Forwards.host("1:2:3:4")).isInstanceOf(IllegalArgumentException.class);
    }
}
