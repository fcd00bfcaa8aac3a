/**
 * Facts about the host machine and the host tools the launcher drives: running a tool and reading its
 * output ({@link dev.gangway.launcher.host.HostCommand}), the cache folder
 * ({@link dev.gangway.launcher.host.CacheDir}).
 *
 * <p>Data path: the lab image builder, the KVM probe and {@code gangway doctor} call host tools
 * (apt-get, dpkg-deb, depmod, modprobe, cpio, ldd, qemu-system-x86_64, ip) through {@code HostCommand},
 * which runs them with a fixed argument vector (never a shell), collects stdout and stderr, and turns a
 * non-zero exit or a timeout into an {@link java.io.IOException} that quotes the command and the tail of
 * its stderr.
 *
 * <p>Limits: output is held in memory and capped (a tool that prints more is stopped); commands run with
 * the JVM's environment plus {@code LC_ALL=C} so their output parses the same everywhere.
 */
package dev.gangway.launcher.host;
