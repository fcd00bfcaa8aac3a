/**
 * Starting QEMU so that it cannot outlive the JVM, and finding the QEMU binary.
 *
 * <p>Data path: {@link dev.gangway.launcher.qemu.JvmBoundProcess#start} runs the command through
 * {@code setpriv --pdeathsig KILL} (util-linux), which sets {@code PR_SET_PDEATHSIG} and then execs QEMU,
 * so the kernel sends QEMU {@code SIGKILL} the moment its parent goes away, even when the JVM itself is
 * killed with {@code SIGKILL}. The kernel ties that signal to the parent <em>thread</em>, not the process,
 * so every such child is spawned from one platform thread that lives as long as the JVM; a child started
 * from a short-lived test thread would otherwise die with that thread. A shutdown hook also kills every
 * live child on an orderly JVM exit.
 *
 * <p>Limits: between the fork and the {@code prctl} in setpriv there is a window of a few microseconds in
 * which a JVM death is not noticed; without setpriv on the machine only the shutdown hook remains
 * (a {@code SIGKILL}ed JVM then leaves QEMU running until its guest powers off on a closed channel).
 */
package dev.gangway.launcher.qemu;
