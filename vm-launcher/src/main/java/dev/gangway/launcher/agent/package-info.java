/**
 * The guest agent's runtime: what a guest needs to run the file-events agent
 * ({@code dev.gangway.fsevents.agent.GuestAgent}), built on the host and carried into the guest.
 *
 * <h2>API</h2>
 * {@link dev.gangway.launcher.agent.AgentRuntime#ensure()} returns a cached, complete, immutable folder
 * ({@link dev.gangway.launcher.agent.AgentRuntime#dir()}):
 * <pre>
 *   bin/java              the runtime's launcher (java.base only)
 *   bin/gangway-agent     the launch script; its arguments are the agent's:
 *                         --connect HOST:PORT --share NAME=MOUNT... --state FILE --fsuid UID:GID
 *   lib/                  the jlink image, with its default CDS archive
 *   lib/sysroot/          the C libraries the JVM links against, except libc and the loader
 *   agent/                gangway-fsevents-bridge.jar, gangway-posix.jar (the agent's whole class path)
 *   runtime-inputs.txt    what it was built from
 * </pre>
 * The folder can live anywhere in the guest (the script finds its home from its own path) and read-only;
 * {@link dev.gangway.launcher.agent.AgentRuntime#GUEST_PATH} is the conventional place. {@code gangway up}
 * copies it into the Docker VM's root file system; the lab exports it read-only (below). The guest's init
 * starts the script as root in a respawn loop (the agent exits only on bad arguments, code 2, and keeps its
 * position in the {@code --state} file, so a restart resumes).
 *
 * <h2>How it is built</h2>
 * {@code jlink --add-modules java.base --strip-debug --no-man-pages --no-header-files
 * --generate-cds-archive}, linked from the run-time image of the JDK this JVM runs on (Temurin 25 ships no
 * {@code jmods}; {@code -Dgangway.agent.jdk} names another JDK). The agent needs nothing beyond
 * {@code java.base}: it talks to the host over a plain blocking {@code Socket} and makes its system calls
 * through {@code java.lang.foreign}; Netty, directory-watcher and the rest of the bridge's host side are on
 * the host's class path only, and the agent never loads them. The CDS archive for uncompressed oops and
 * jlink's process helpers are dropped (64 MiB heap, no child processes). About 65 MiB on disk; the JVM maps
 * what it touches. The libraries {@code ldd} names for the runtime's ELF files (libdl, libpthread, librt,
 * libm, libz...) are copied into {@code lib/sysroot}, and the script puts that folder on
 * {@code LD_LIBRARY_PATH}: the lab's initramfs carries only the libraries of its own tools. The
 * build ends with a smoke test (the agent, run with no arguments, must print its usage line), and the
 * result is cached under {@code $XDG_CACHE_HOME/gangway/agent/HASH/}, the hash covering the JDK's
 * {@code release} file, the launch script, the agent's classes and the host C libraries, with the same
 * file lock and atomic rename as the lab image.
 *
 * <h2>Delivery into the lab VM: a read-only share of our own 9P server</h2>
 * The lab guest mounts the runtime from the same 9P server that serves the user's shares, as one more
 * share exported read-only ({@code SharesWiring}'s extra shares, mounted with {@code ro,cache=loose}):
 * <ul>
 *   <li>it needs nothing a guest lacks: the 9P client and the network to the gateway are there for the
 *       user's shares anyway, so it works the same on QEMU and on vfkit (Apple's Virtualization.framework
 *       has no virtio-9p, so QEMU's {@code -virtfs readonly=on} would be QEMU-only);</li>
 *   <li>read-only is enforced twice: the server refuses every change on a read-only share (EROFS) and the
 *       guest mounts it {@code ro};</li>
 *   <li>the files are immutable for the runtime's lifetime, so {@code cache=loose} is safe and lets the
 *       guest page cache keep what the JVM maps (the CDS archive, {@code lib/modules}); nothing is copied
 *       into guest memory up front, unlike an extra initramfs (65 MiB of tmpfs per boot) or an ext4 image
 *       built per change of the agent.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * x86-64 Linux guests with glibc. The guest's own loader and libc are used, and the carried libraries
 * come from the host that built the runtime: the guest's glibc must be the same release (true for
 * the lab and for the Docker VM, both built from the host's Debian release). Building needs a JDK 25 with
 * {@code jlink} and {@code ldd} on the host; about 15 s once per set of inputs.
 */
package dev.gangway.launcher.agent;
