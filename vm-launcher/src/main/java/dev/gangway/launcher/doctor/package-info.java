/**
 * {@code gangway doctor}: what this machine has and lacks for Gangway, each with the command that fixes it.
 *
 * <p>Data path: {@link dev.gangway.launcher.doctor.Doctor#run()} runs the checks in order (JDK, QEMU, the
 * lab's host tools, the lab image, KVM, {@code /dev/net/tun}, network namespaces,
 * {@code net.ipv4.ping_group_range}); each returns a {@link dev.gangway.launcher.doctor.Check} and none
 * throws. KVM is judged by booting the lab guest with {@code -accel kvm} (the verdict is cached per host
 * kernel, QEMU and guest kernel), because a {@code /dev/kvm} that exists may still abort or hang guests.
 *
 * <p>Limits: only {@code missing} fails the doctor. KVM that does not boot is a warning (guests fall back
 * to TCG emulation); an unbuilt lab image is information ({@code vm run --lab} builds it on demand); a
 * {@code ping_group_range} that excludes the user is a warning (only ICMP echo is affected). The network
 * namespace check creates and deletes a uniquely named namespace as root, or a rootless one otherwise.
 */
package dev.gangway.launcher.doctor;
