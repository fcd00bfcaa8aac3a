package dev.gangway.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Calls that take a path and have no descriptor-based form that leaves the file unopened. {@code
 * truncate} on {@code /proc/self/fd/N} of an {@code O_PATH} descriptor changes a file's size without
 * opening it, so the only inotify event it causes is IN_MODIFY: the guest agent of the events bridge
 * replays host modifications with it.
 */
public final class PathCalls {
    private static final MethodHandle TRUNCATE =
            Libc.downcall("truncate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    private PathCalls() {
    }

    public static void truncate(Path path, long length) throws PosixException {
        call("truncate", (state, arena) -> (int) TRUNCATE.invokeExact(state, arena.allocateFrom(path.toString()), length));
    }

    private interface Call {
        int invoke(MemorySegment state, Arena arena) throws Throwable;
    }

    private static void call(String name, Call call) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            Libc.check(name, call.invoke(state, arena), state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + " failed to link or run", t);
        }
    }
}
