package dev.gangway.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Network namespaces: runs a task on a fresh platform thread that has joined a namespace with
 * {@code setns(2)}, so that sockets and TAP interfaces it creates belong to that namespace, while the
 * rest of the process stays where it is. Needs {@code CAP_SYS_ADMIN}.
 */
public final class Netns {
    private static final MethodHandle OPEN = Libc.downcallVariadic("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), 2);
    private static final MethodHandle SETNS = Libc.downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private Netns() {
    }

    /** Runs {@code task} inside the namespace at {@code path} (e.g. {@code /run/netns/NAME}). */
    public static <T> T call(String path, Callable<T> task) throws Exception {
        var future = new FutureTask<T>(() -> {
            enter(path);
            return task.call();
        });
        var thread = Thread.ofPlatform().name("netns-" + path).start(future);
        thread.join();
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void enter(String path) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            int fd = Libc.check("open " + path,
                    (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY_CLOEXEC), state);
            int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
            int errno = Libc.errno(state);
            int ignored = (int) CLOSE.invokeExact(state, fd);
            if (rc < 0) {
                throw new PosixException("setns " + path, errno);
            }
        } catch (PosixException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
