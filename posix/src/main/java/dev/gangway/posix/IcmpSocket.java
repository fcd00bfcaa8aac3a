package dev.gangway.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * Unprivileged ICMP echo sockets ({@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}): the kernel sets
 * the echo identifier and checksum of what is sent and delivers only the matching replies. Allowed when
 * the caller's group lies in {@code net.ipv4.ping_group_range}; otherwise {@code EACCES}.
 */
public final class IcmpSocket {
    private static final MethodHandle SOCKET = Libc.downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_ICMP = 1;

    private IcmpSocket() {
    }

    /** A non-blocking ICMP echo socket; the caller owns the descriptor. */
    public static int open() throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            return Libc.check("socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)",
                    (int) SOCKET.invokeExact(state, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP),
                    state);
        } catch (PosixException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
