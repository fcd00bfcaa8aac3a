package dev.gangway.forward.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.forward.table.ForwardException.Reason;
import io.netty.channel.unix.Errors;
import java.net.BindException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * How a refused bind reads to the user. Tests run as root in CI, where the kernel never refuses a low port,
 * so the privileged-port case is fed the errors epoll and the JDK raise for it.
 */
class BindFailuresTest {
    private static final PortHolders NO_PROC = new PortHolders(Path.of("/nonexistent"));

    @Test
    void aPrivilegedPortIsForbiddenWithTheFix() {
        var spec = ForwardSpec.parse("tcp", "127.0.0.1:80", "192.168.65.2:80");
        for (Throwable cause : new Throwable[] {new Errors.NativeIoException("bind", -13), new BindException("Permission denied")}) {
            var e = BindFailures.of(spec, cause, NO_PROC, s -> null);
            assertThat(e.reason()).isEqualTo(Reason.FORBIDDEN);
            assertThat(e.getMessage()).contains("binding port 80 needs privilege")
                    .contains("ports below " + BindFailures.unprivilegedStart())
                    .contains("fix: use a higher host port");
        }
    }

    @Test
    void inUseForeignAddressAndNoIpv6() {
        var spec = ForwardSpec.parse("udp", "127.0.0.1:5353", "192.168.65.2:53");
        var inUse = BindFailures.of(spec, new Errors.NativeIoException("bind", -98), NO_PROC, s -> null);
        assertThat(inUse.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(inUse.getMessage()).isEqualTo("127.0.0.1:5353/udp is in use by another process; fix: stop it or choose another host port");
        var own = BindFailures.of(spec, new BindException("Address already in use"), NO_PROC, s -> "the gangway forward X");
        assertThat(own.getMessage()).contains("in use by the gangway forward X");
        var foreign = BindFailures.of(spec, new BindException("Cannot assign requested address"), NO_PROC, s -> null);
        assertThat(foreign.reason()).isEqualTo(Reason.INVALID);
        var noV6 = BindFailures.of(spec, new Errors.NativeIoException("socket", -97), NO_PROC, s -> null);
        assertThat(noV6.reason()).isEqualTo(Reason.INVALID);
        assertThat(noV6.getMessage()).contains("no IPv6");
    }
}
