/**
 * The lab: a small Linux guest for tests and for {@code gangway vm run --lab}. A Debian kernel, a busybox
 * initramfs, QEMU, and a command channel to run shell commands in the guest.
 *
 * <p>The image ({@link dev.gangway.launcher.lab.LabImage}): the kernel of Debian's {@code linux-image-amd64}
 * (downloaded with {@code apt-get download}, unpacked with {@code dpkg-deb -x}, never installed; its xz
 * payload is unpacked to an ELF that QEMU boots through the PVH entry, because decompressing a bzImage
 * under TCG takes seconds), and an
 * uncompressed newc initramfs holding busybox-static, the kernel modules for virtio (pci, console, net,
 * blk, rng), 9P (9pnet, fd, virtio), ext4 and vsock with their dependencies (from {@code modprobe
 * --show-depends}), the host's {@code inotifywait}, {@code sqlite3} and {@code git} with their libraries,
 * {@code /etc/udhcpc.script} and {@code /init}. It is cached per hash of its inputs; builders take a file
 * lock, so parallel test JVMs build it once.
 *
 * <p>Boot and data path ({@link dev.gangway.launcher.lab.GuestVm}): the host listens on a unix socket,
 * starts QEMU (KVM only when {@link dev.gangway.launcher.lab.KvmVerdict} has seen a KVM guest boot here,
 * else TCG) with the serial console in a log file and a virtio-serial port {@code gangway.cmd} whose
 * chardev connects to that socket. {@code /init} mounts proc, sys, devtmpfs, devpts and tmpfs, loads the
 * modules with {@code insmod}, brings up {@code lo}, finds the port in {@code /sys/class/virtio-ports},
 * opens it once and runs the agent loop; the framing is described in {@code GuestChannel}. When the host
 * end closes, the agent powers the guest off.
 *
 * <p>Limits: commands run one at a time. {@code exec} buffers the output in the guest's tmpfs and sends it
 * whole (at most 64 MiB), and processes a command leaves in the background keep running (that is how a
 * test starts a guest daemon); {@code execStreaming} sends the output in chunks as it is written and ends
 * the command's whole session with it. A command is killed at its time limit. Under TCG on a loaded
 * host the kernel's IO-APIC timer check can fail, so guests boot with {@code no_timer_check}. x86-64
 * and Debian/Ubuntu hosts only.
 */
package dev.gangway.launcher.lab;
