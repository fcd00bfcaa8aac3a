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
 * Path-based calls that act on one entry without opening it, so that the only inotify event they cause
 * is the one the call itself stands for: {@code mknod} (IN_CREATE), {@code truncate} (IN_MODIFY),
 * {@code chmod} (IN_ATTRIB). The guest agent of the events bridge replays host changes with them.
 */
public final class PathCalls {
    private static final MethodHandle MKNOD =
            Libc.downcall("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle TRUNCATE =
            Libc.downcall("truncate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CHMOD =
            Libc.downcall("chmod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /** {@code S_IFREG}: a regular file, for {@link #mknod}. */
    public static final int S_IFREG = 0100000;

    private PathCalls() {
    }

    public static void mknod(Path path, int mode, long device) throws PosixException {
        call("mknod", (state, arena) -> (int) MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), mode, device));
    }

    public static void truncate(Path path, long length) throws PosixException {
        call("truncate", (state, arena) -> (int) TRUNCATE.invokeExact(state, arena.allocateFrom(path.toString()), length));
    }

    public static void chmod(Path path, int mode) throws PosixException {
        call("chmod", (state, arena) -> (int) CHMOD.invokeExact(state, arena.allocateFrom(path.toString()), mode));
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
