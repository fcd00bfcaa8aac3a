package dev.gangway.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TAP interface opened through {@code /dev/net/tun} with {@code TUNSETIFF} and
 * {@code IFF_TAP | IFF_NO_PI}: each {@link #read} returns one Ethernet frame, each {@link #write} sends
 * one. The interface is created in the network namespace of the calling thread (see {@link Netns}).
 * Reads block; a closed device makes them fail with {@code EBADF}.
 */
public final class TapDevice implements AutoCloseable {
    private static final MethodHandle OPEN = Libc.downcallVariadic("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), 2);
    private static final MethodHandle IOCTL = Libc.downcallVariadic("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final MethodHandle READ = Libc.downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = Libc.downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_NONBLOCK = 0x800;
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;

    private final int fd;
    private final String name;
    private volatile boolean closed;

    private TapDevice(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** Creates (or attaches to) the TAP interface {@code name} in the calling thread's namespace; reads block. */
    public static TapDevice open(String name) throws PosixException {
        return open(name, false);
    }

    /**
     * Creates (or attaches to) the TAP interface {@code name} in the calling thread's namespace. With
     * {@code nonBlocking}, {@link #read} returns -1 instead of waiting (for a caller that polls the
     * descriptor, {@link #fd()}).
     */
    public static TapDevice open(String name, boolean nonBlocking) throws PosixException {
        if (name.isEmpty() || name.length() >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must have 1 to 15 characters: " + name);
        }
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            int fd = Libc.check("open /dev/net/tun",
                    (int) OPEN.invokeExact(state, arena.allocateFrom("/dev/net/tun"),
                            O_RDWR | O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)), state);
            var ifreq = arena.allocate(IFREQ_SIZE);
            var bytes = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(bytes, 0, ifreq, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifreq.set(JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI));
            int rc = (int) IOCTL.invokeExact(state, fd, TUNSETIFF, ifreq);
            if (rc < 0) {
                int errno = Libc.errno(state);
                int ignored = (int) CLOSE.invokeExact(state, fd);
                throw new PosixException("ioctl TUNSETIFF " + name, errno);
            }
            return new TapDevice(fd, ifreq.getString(0, StandardCharsets.US_ASCII));
        } catch (PosixException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    public String name() {
        return name;
    }

    /** The descriptor, for polling; it stays owned by this device. */
    public int fd() {
        return fd;
    }

    /**
     * Reads one frame into {@code buffer} (native memory); returns its length. Blocks, unless the device
     * was opened non-blocking: then -1 when no frame is waiting.
     */
    public int read(MemorySegment buffer) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            for (;;) {
                long n = (long) READ.invokeExact(state, fd, buffer, buffer.byteSize());
                if (n >= 0) {
                    return (int) n;
                }
                if (Libc.errno(state) == Errno.EAGAIN) {
                    return -1;
                }
                if (Libc.errno(state) != Errno.EINTR) {
                    throw new PosixException("read " + name, Libc.errno(state));
                }
            }
        } catch (PosixException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** Writes one frame of {@code length} bytes from {@code frame} (native memory). */
    public void write(MemorySegment frame, long length) throws PosixException {
        try (var arena = Arena.ofConfined()) {
            var state = Libc.errnoState(arena);
            Libc.check("write " + name, (long) WRITE.invokeExact(state, fd, frame, length), state);
        } catch (PosixException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (var arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(Libc.errnoState(arena), fd);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
