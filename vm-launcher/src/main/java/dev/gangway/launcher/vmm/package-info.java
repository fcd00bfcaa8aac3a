/**
 * VM command lines for every hypervisor Gangway drives: one {@link dev.gangway.launcher.vmm.VmSpec} (CPUs,
 * memory, kernel and initrd, kernel arguments, disks, the network attachment and MAC, the console log,
 * the agent's command channel, shared folders, the accelerator) turned into the argument vector of QEMU
 * ({@link dev.gangway.launcher.vmm.QemuCommandLine}) or vfkit
 * ({@link dev.gangway.launcher.vmm.VfkitCommandLine}), and
 * {@link dev.gangway.launcher.vmm.HostPlatform}, which detects the host and picks the hypervisor.
 *
 * <p>Data path: the caller ({@code gangway up}, tests) starts the stack's link and the command-channel
 * listener first, asks {@code HostPlatform.detect().choose(Probe.host())} for the hypervisor, builds the
 * spec with the chosen accelerator, and starts {@code choice.argv(host, spec)} (through
 * {@code JvmBoundProcess}, so the VM dies with the JVM). Nothing here starts a process.
 *
 * <p>The targets:
 * <ul>
 * <li><b>Linux, QEMU with KVM or TCG</b> ({@code qemu-system-x86_64 -machine pc}): the same argument
 *     vector as the lab's {@code GuestVm} — {@code -nodefaults -no-user-config}, direct kernel boot (PVH for
 *     an ELF kernel), console on {@code ttyS0} into a file, the command channel as a virtio-serial port
 *     whose chardev connects to the host's socket — plus {@code virtio-net-pci} on {@code -netdev stream}
 *     (the stack's {@code qemu:unix:PATH} link, 4-byte length before each frame) or {@code -netdev dgram}
 *     (its {@code vfkit:PATH} link, one frame per datagram), {@code virtio-blk-pci} disks and
 *     {@code virtio-9p-pci} shares. KVM only when a KVM guest has really booted here.</li>
 * <li><b>macOS, QEMU with HVF</b>: {@code -accel hvf -cpu host}; on x86_64 {@code -machine pc} and
 *     {@code ttyS0}, on arm64 {@code qemu-system-aarch64 -machine virt} and {@code ttyAMA0}; the same
 *     {@code virtio-*-pci} devices (the virt board has a PCIe host bridge).</li>
 * <li><b>macOS, vfkit</b> (Virtualization.framework): {@code --bootloader linux} with an uncompressed
 *     kernel, console on {@code hvc0} ({@code virtio-serial,logFilePath=}), the command channel over
 *     vsock (vfkit has no named serial ports: the agent dials vsock CID 2, port {@code vsockPort}, and
 *     vfkit carries the connection to the host's unix socket), {@code virtio-net,unixSocketPath=} to the
 *     stack's datagram link (vfkit binds its own socket beside it and first sends a 4-byte {@code VFKT}
 *     datagram, which the stack's {@code DatagramPeerHandler} drops after learning the peer), raw
 *     {@code virtio-blk} images and {@code virtio-fs} shares.</li>
 * </ul>
 *
 * <p>Shares under vfkit: Virtualization.framework has virtio-fs and vsock but no virtio-9p, so a 9P share
 * reaches a vfkit guest the way it reaches any guest of Gangway's own: the 9P server listens on the
 * stack's gateway address and the guest mounts it over the virtual network
 * ({@code mount -t 9p -o trans=tcp,port=564,version=9p2000.L GATEWAY DIR}). A spec that asks vfkit for
 * virtio-9p is rejected with that fix; virtio-fs ({@code mount -t virtiofs TAG DIR}) bypasses Gangway's
 * share boundary and its file events, and is there for completeness only.
 *
 * <p>What is tested: every command line, argument by argument, for Linux TCG, Linux KVM, macOS x86_64 and
 * arm64 QEMU HVF, and vfkit, and the rejection of bad specs (unit tests); the Linux TCG command line
 * booting the lab image here, its guest answering on the command channel and carrying DHCP through the
 * stack's datagram link ({@code QemuCommandLineIT}); the macOS x86_64 and arm64 QEMU command lines, with
 * TCG swapped in for HVF, built by the real {@code qemu-system-x86_64} and {@code qemu-system-aarch64}
 * into a paused machine whose PCI bus holds exactly the spec's virtio devices ({@code
 * MacQemuCommandLineIT}). What is not: none of the macOS command lines has run on a Mac with HVF, and
 * vfkit has not run at all (these machines are Linux only); vfkit's {@code readonly} disk option needs a vfkit whose
 * storage devices take it; on arm64 QEMU with HVF some older macOS versions need {@code highmem=off},
 * which is not set; the lab agent speaks virtio-serial only, so a vfkit guest needs an agent that dials
 * vsock. {@link dev.gangway.launcher.vmm.HostPlatform.Probe#host()} judges KVM with the lab's x86_64 image.
 */
package dev.gangway.launcher.vmm;
