/**
 * Every POSIX call the JDK lacks, made through {@code java.lang.foreign} and kept in this one package.
 *
 * <p>{@link dev.gangway.posix.Libc} links functions from the C library with the calling thread's
 * {@code errno} captured, so a failed call becomes a {@link dev.gangway.posix.PosixException} that
 * carries the Linux errno a protocol can send back unchanged (9P's Rlerror, ICMP errors).
 *
 * <p>Limits: Linux x86_64 and aarch64 layouts only; on other systems the classes load but every call
 * fails with {@code ENOSYS}, and callers fall back to what the JDK offers.
 */
package dev.gangway.posix;
