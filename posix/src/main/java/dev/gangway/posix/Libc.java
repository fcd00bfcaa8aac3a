package dev.gangway.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Links C library functions with {@code errno} captured. Each linked handle takes a capture segment as
 * its first argument; {@link #errno(MemorySegment)} reads it after a failed call.
 *
 * <p>Typical use, in the class that owns a call:
 * <pre>{@code
 * private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
 * try (var arena = Arena.ofConfined()) {
 *     var state = Libc.errnoState(arena);
 *     int rc = (int) CLOSE.invokeExact(state, fd);
 *     if (rc < 0) throw new PosixException("close", Libc.errno(state));
 * }
 * }</pre>
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            MemoryLayout.PathElement.groupElement("errno"));

    private Libc() {
    }

    /** True on Linux, where the struct layouts in this package hold. */
    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    /**
     * A handle to {@code name} whose first parameter is the errno capture segment. Returns a handle that
     * throws {@link UnsatisfiedLinkError} when invoked if the symbol is absent, so that classes load on
     * systems without it.
     */
    public static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LOOKUP.find(name)
                .map(symbol -> LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO))
                .orElseGet(() -> missing(name, descriptor));
    }

    /** A handle to a variadic function whose fixed part has {@code fixedArgs} parameters. */
    public static MethodHandle downcallVariadic(String name, FunctionDescriptor descriptor, int fixedArgs) {
        return LOOKUP.find(name)
                .map(symbol -> LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO,
                        Linker.Option.firstVariadicArg(fixedArgs)))
                .orElseGet(() -> missing(name, descriptor));
    }

    /** A fresh errno capture segment. */
    public static MemorySegment errnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** Fails with {@link PosixException} when {@code rc} is negative; returns {@code rc} otherwise. */
    public static int check(String call, int rc, MemorySegment state) throws PosixException {
        if (rc < 0) {
            throw new PosixException(call, errno(state));
        }
        return rc;
    }

    /** Same as {@link #check(String, int, MemorySegment)} for calls returning {@code ssize_t}. */
    public static long check(String call, long rc, MemorySegment state) throws PosixException {
        if (rc < 0) {
            throw new PosixException(call, errno(state));
        }
        return rc;
    }

    private static MethodHandle missing(String name, FunctionDescriptor descriptor) {
        var type = descriptor.toMethodType().insertParameterTypes(0, MemorySegment.class);
        var thrower = MethodHandles.throwException(type.returnType(), UnsatisfiedLinkError.class);
        var error = MethodHandles.dropArguments(
                MethodHandles.constant(UnsatisfiedLinkError.class, new UnsatisfiedLinkError("no symbol " + name)),
                0, type.parameterList());
        return MethodHandles.foldArguments(MethodHandles.dropArguments(thrower, 1, type.parameterList()), error);
    }
}
