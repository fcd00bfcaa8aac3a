package dev.gangway.launcher.vmm;

import dev.gangway.launcher.vmm.HostPlatform.Arch;
import dev.gangway.launcher.vmm.HostPlatform.Os;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link VmSpec} as QEMU's argument vector, for Linux (KVM or TCG) and macOS (HVF), x86_64 or arm64.
 *
 * <p>The shape is the lab guest's ({@code GuestVm}): no default devices and no user config
 * ({@code -nodefaults -no-user-config}), no display, {@code -no-reboot} (a guest reboot ends QEMU), a
 * direct {@code -kernel}/{@code -initrd} boot (on x86 an uncompressed ELF kernel boots through its PVH
 * entry), the console on the first serial port written to a file, and the command channel as a
 * virtio-serial port whose chardev connects to the host's socket. Then the network, the disks and the
 * shares, each a {@code virtio-*-pci} device (and {@code virtio-rng-pci} when the spec asks for entropy),
 * on both architectures. Writable disks pass the guest's discards through ({@code discard=unmap}) so a
 * sparse image shrinks again; a snapshot disk writes into a temporary overlay ({@code snapshot=on}).
 * <ul>
 * <li>x86_64: {@code -machine pc}, console {@code ttyS0};</li>
 * <li>arm64: {@code -machine virt} (PCIe host bridge, PL011 UART), console {@code ttyAMA0};</li>
 * <li>KVM and HVF: {@code -cpu host}; TCG: {@code -cpu max}.</li>
 * </ul>
 */
public final class QemuCommandLine {
    /** Linux's {@code COMMAND_LINE_SIZE} on x86 and arm64, the terminating NUL included. */
    static final int MAX_KERNEL_COMMAND_LINE = 2048;

    private QemuCommandLine() {
    }

    /**
     * The argument vector, {@code qemu} first. Fails with an {@link IllegalArgumentException} that names
     * the fix when the spec asks for what QEMU on {@code host} cannot do: KVM off Linux, HVF off macOS,
     * virtio-fs (it needs a virtiofsd, which Gangway does not start), a socket path too long for the host.
     */
    public static List<String> argv(Path qemu, HostPlatform host, VmSpec spec) {
        check(host, spec);
        var argv = new ArrayList<String>();
        argv.add(qemu.toString());
        argv.addAll(List.of("-name", "gangway-" + spec.name()));
        argv.addAll(List.of("-machine", host.arch() == Arch.X86_64 ? "pc" : "virt"));
        argv.addAll(switch (spec.accelerator()) {
            case KVM -> List.of("-accel", "kvm", "-cpu", "host");
            case HVF -> List.of("-accel", "hvf", "-cpu", "host");
            case TCG -> List.of("-accel", "tcg", "-cpu", "max");
        });
        argv.addAll(List.of(
                "-m", Long.toString(spec.memoryMiB()),
                "-smp", Integer.toString(spec.cpus()),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-kernel", spec.kernel().toString()));
        spec.initrd().ifPresent(initrd -> argv.addAll(List.of("-initrd", initrd.toString())));
        argv.addAll(List.of(
                "-append", appendLine(host, spec),
                "-serial", "file:" + value(spec.consoleLog())));
        spec.commandChannel().ifPresent(channel -> argv.addAll(List.of(
                "-device", "virtio-serial-pci,id=gwserial",
                "-chardev", "socket,id=gwcmd,path=" + value(channel.hostSocket()),
                "-device", "virtserialport,bus=gwserial.0,chardev=gwcmd,name=" + channel.serialPortName())));
        spec.network().ifPresent(network -> {
            argv.add("-netdev");
            argv.add(switch (network) {
                case VmSpec.StreamSocket stream ->
                        "stream,id=net0,server=off,addr.type=unix,addr.path=" + value(stream.stackSocket());
                case VmSpec.DatagramSocket dgram ->
                        "dgram,id=net0,local.type=unix,local.path=" + value(dgram.vmSocket().orElseThrow())
                                + ",remote.type=unix,remote.path=" + value(dgram.stackSocket());
            });
            argv.addAll(List.of("-device", "virtio-net-pci,netdev=net0,mac=" + network.mac() + ",romfile="));
        });
        for (int i = 0; i < spec.disks().size(); i++) {
            var disk = spec.disks().get(i);
            argv.addAll(List.of(
                    "-drive", "file=" + value(disk.path()) + ",if=none,id=disk" + i + ",format=" + disk.format().qemuName()
                            + switch (disk.access()) {
                                case READ_WRITE -> ",discard=unmap";
                                case READ_ONLY -> ",readonly=on";
                                case SNAPSHOT -> ",snapshot=on";
                            },
                    "-device", "virtio-blk-pci,drive=disk" + i));
        }
        for (int i = 0; i < spec.shares().size(); i++) {
            var share = spec.shares().get(i);
            argv.addAll(List.of(
                    "-fsdev", "local,id=fs" + i + ",path=" + value(share.hostDir()) + ",security_model=mapped-xattr"
                            + (share.readOnly() ? ",readonly=on" : ""),
                    "-device", "virtio-9p-pci,fsdev=fs" + i + ",mount_tag=" + share.tag()));
        }
        if (spec.entropy()) {
            argv.addAll(List.of("-device", "virtio-rng-pci"));
        }
        return List.copyOf(argv);
    }

    /** The QEMU system emulator's name for the guest architecture. */
    public static String binaryName(Arch arch) {
        return arch.qemuBinary();
    }

    private static void check(HostPlatform host, VmSpec spec) {
        switch (spec.accelerator()) {
            case KVM -> {
                if (host.os() != Os.LINUX) {
                    throw new IllegalArgumentException("KVM exists only on Linux; fix: use HVF on macOS, or TCG");
                }
            }
            case HVF -> {
                if (host.os() != Os.MACOS) {
                    throw new IllegalArgumentException("HVF exists only on macOS; fix: use KVM on Linux, or TCG");
                }
            }
            case TCG -> { }
        }
        for (var share : spec.shares()) {
            if (share.device() != VmSpec.ShareDevice.VIRTIO_9P) {
                throw new IllegalArgumentException("share '" + share.tag() + "' asks for virtio-fs, which under QEMU"
                        + " needs a virtiofsd that Gangway does not start; fix: share it over virtio-9p, or serve it"
                        + " with Gangway's 9P server");
            }
        }
        spec.network().ifPresent(network -> {
            if (network instanceof VmSpec.DatagramSocket dgram && dgram.vmSocket().isEmpty()) {
                throw new IllegalArgumentException("QEMU's -netdev dgram needs a socket of its own to bind (the stack"
                        + " answers to it); fix: give the datagram network a vmSocket");
            }
            requireSocketPath(host, network.stackSocket());
            if (network instanceof VmSpec.DatagramSocket dgram) {
                requireSocketPath(host, dgram.vmSocket().orElseThrow());
            }
        });
        spec.commandChannel().ifPresent(channel -> requireSocketPath(host, channel.hostSocket()));
        int length = appendLine(host, spec).length();
        if (length >= MAX_KERNEL_COMMAND_LINE) {
            throw new IllegalArgumentException("the kernel command line is " + length + " bytes, Linux takes at most "
                    + (MAX_KERNEL_COMMAND_LINE - 1) + "; fix: pass fewer kernel arguments");
        }
    }

    /** {@code sun_path} holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
    static void requireSocketPath(HostPlatform host, Path socket) {
        int limit = host.os() == Os.LINUX ? 108 : 104;
        int length = socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (length >= limit) {
            throw new IllegalArgumentException("socket path " + socket + " is " + length + " bytes, longer than a unix"
                    + " socket address takes here (" + (limit - 1) + "); fix: put the socket in a shorter folder");
        }
    }

    static String appendLine(HostPlatform host, VmSpec spec) {
        var words = new ArrayList<String>();
        words.add(host.arch() == Arch.X86_64 ? "console=ttyS0" : "console=ttyAMA0");
        words.addAll(spec.kernelArgs());
        return String.join(" ", words);
    }

    /** QEMU option values use ',' as separator; a literal comma is written twice. */
    static String value(Path path) {
        return path.toString().replace(",", ",,");
    }
}
