package dev.gangway.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

class LibcTest {
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    @Test
    void failedCallReportsItsErrno() throws Throwable {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            int rc = (int) CLOSE.invokeExact(state, -1);
            assertThat(rc).isEqualTo(-1);
            assertThatThrownBy(() -> Libc.check("close", rc, state))
                    .isInstanceOf(PosixException.class)
                    .hasMessage("close: EBADF (9)")
                    .satisfies(e -> assertThat(((PosixException) e).errno()).isEqualTo(Errno.EBADF));
        }
    }

    @Test
    void absentSymbolFailsWhenCalledNotWhenLinked() {
        MethodHandle absent = Libc.downcall("gangway_no_such_function", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            assertThatThrownBy(() -> {
                int ignored = (int) absent.invokeExact(state, 1);
            }).isInstanceOf(UnsatisfiedLinkError.class).hasMessageContaining("gangway_no_such_function");
        }
    }
}
