package dev.gangway.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * Per-thread file-system identity. The events bridge's guest agent must reach the 9P server through an
 * attach of its own (the Linux client attaches once per file-system uid) while keeping root's power to
 * act on any entry of the share: {@link #actAsFsUser} sets the calling thread's fsuid and fsgid, which
 * clears its file-system capabilities, then raises them again in the thread's effective set (they stay
 * in its permitted set, since the real and effective uids are still 0). Only the calling thread changes;
 * the rest of the process keeps its identity.
 */
public final class Credentials {
    private static final MethodHandle SETFSUID = Libc.downcall("setfsuid", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETFSGID = Libc.downcall("setfsgid", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CAPGET = Libc.downcall("capget", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CAPSET = Libc.downcall("capset", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final int CAP_CHOWN = 0;
    private static final int CAP_DAC_OVERRIDE = 1;
    private static final int CAP_DAC_READ_SEARCH = 2;
    private static final int CAP_FOWNER = 3;
    private static final int CAP_FSETID = 4;
    private static final int CAP_MKNOD = 27;
    /** The capabilities that changing the fsuid away from 0 clears (capabilities(7)), minus the rarely held. */
    private static final int FS_CAPS = 1 << CAP_CHOWN | 1 << CAP_DAC_OVERRIDE | 1 << CAP_DAC_READ_SEARCH
            | 1 << CAP_FOWNER | 1 << CAP_FSETID | 1 << CAP_MKNOD;

    private Credentials() {
    }

    /**
     * Makes the calling thread act on files as {@code uid}:{@code gid} with the file-system capabilities
     * of its permitted set effective. Fails with EPERM when the thread may not (not root).
     */
    public static void actAsFsUser(int uid, int gid) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            // setfsuid/setfsgid report the previous value, never an error: check by asking again.
            int ignored = (int) SETFSGID.invokeExact(state, gid);
            ignored = (int) SETFSUID.invokeExact(state, uid);
            if ((int) SETFSUID.invokeExact(state, -1) != uid || (int) SETFSGID.invokeExact(state, -1) != gid) {
                throw new PosixException("setfsuid", Errno.EPERM);
            }
            var header = arena.allocate(8, 4);
            header.set(JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0);
            var data = arena.allocate(24, 4);
            Libc.check("capget", (int) CAPGET.invokeExact(state, header, data), state);
            int permitted = data.get(JAVA_INT, 4);
            data.set(JAVA_INT, 0, data.get(JAVA_INT, 0) | (permitted & FS_CAPS));
            Libc.check("capset", (int) CAPSET.invokeExact(state, header, data), state);
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setfsuid/capset failed to link or run", t);
        }
    }
}
