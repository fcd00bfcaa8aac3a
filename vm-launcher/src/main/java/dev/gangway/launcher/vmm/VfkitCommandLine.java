package dev.gangway.launcher.vmm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link VmSpec} as vfkit's argument vector (vfkit drives Apple's Virtualization.framework on macOS).
 *
 * <pre>
 * vfkit --cpus N --memory MiB
 *       --bootloader linux,kernel=K,initrd=I,cmdline="console=hvc0 ..."
 *       --device virtio-serial,logFilePath=LOG                      the console (hvc0 in the guest)
 *       --device virtio-vsock,port=P,socketURL=SOCK,listen          the command channel (guest dials CID 2)
 *       --device virtio-net,unixSocketPath=STACK,mac=MAC            frames as unix datagrams
 *       --device virtio-blk,path=IMG[,readonly]                     raw images only
 *       --device virtio-fs,sharedDir=DIR,mountTag=TAG
 *       --device virtio-rng                                         when the spec asks for entropy
 *       --restful-uri none
 * </pre>
 *
 * vfkit splits a {@code --device} value at every comma and has no escape, and keeps quotes in bootloader
 * paths, so paths holding {@code ,} or {@code "} are rejected. Its REST service would listen on
 * {@code tcp://localhost:8081} by default, open to every local user and clashing between two VMs; it is
 * turned off ({@code --restful-uri none}): the guest is stopped through its agent.
 */
public final class VfkitCommandLine {
    /** macOS's {@code sun_path} is 104 bytes; vfkit refuses a datagram path of 104 bytes or more. */
    static final int MAX_SOCKET_PATH = 103;
    /** vfkit binds {@code vfkit-<pid hex>-<random hex>.sock} beside the stack's socket: at most this long. */
    static final int VFKIT_LOCAL_NAME = "/vfkit-ffffffff-ffff.sock".length();

    private VfkitCommandLine() {
    }

    /**
     * The argument vector, {@code vfkit} first. Fails with an {@link IllegalArgumentException} that names
     * the fix when the spec asks for what vfkit cannot do: an accelerator other than HVF, a qcow2 image, a
     * snapshot disk, virtio-9p, a stream socket, a read-only virtio-fs share, a path with a comma or a quote.
     */
    public static List<String> argv(Path vfkit, VmSpec spec) {
        check(spec);
        var argv = new ArrayList<String>();
        argv.add(vfkit.toString());
        argv.addAll(List.of("--cpus", Integer.toString(spec.cpus()), "--memory", Long.toString(spec.memoryMiB())));
        var bootloader = new StringBuilder("linux,kernel=").append(spec.kernel());
        spec.initrd().ifPresent(initrd -> bootloader.append(",initrd=").append(initrd));
        bootloader.append(",cmdline=\"").append(commandLine(spec)).append('"');
        argv.addAll(List.of("--bootloader", bootloader.toString()));
        argv.addAll(List.of("--device", "virtio-serial,logFilePath=" + spec.consoleLog()));
        spec.commandChannel().ifPresent(channel -> argv.addAll(List.of("--device",
                "virtio-vsock,port=" + channel.vsockPort() + ",socketURL=" + channel.hostSocket() + ",listen")));
        spec.network().ifPresent(network -> argv.addAll(List.of("--device",
                "virtio-net,unixSocketPath=" + network.stackSocket() + ",mac=" + network.mac())));
        for (var disk : spec.disks()) {
            argv.addAll(List.of("--device", "virtio-blk,path=" + disk.path()
                    + (disk.access() == VmSpec.DiskAccess.READ_ONLY ? ",readonly" : "")));
        }
        for (var share : spec.shares()) {
            argv.addAll(List.of("--device", "virtio-fs,sharedDir=" + share.hostDir() + ",mountTag=" + share.tag()));
        }
        if (spec.entropy()) {
            argv.addAll(List.of("--device", "virtio-rng"));
        }
        argv.addAll(List.of("--restful-uri", "none"));
        return List.copyOf(argv);
    }

    static String commandLine(VmSpec spec) {
        var words = new ArrayList<String>();
        words.add("console=hvc0");
        words.addAll(spec.kernelArgs());
        return String.join(" ", words);
    }

    private static void check(VmSpec spec) {
        if (spec.accelerator() != Accelerator.HVF) {
            throw new IllegalArgumentException("vfkit runs guests only with Virtualization.framework (HVF), not "
                    + spec.accelerator() + "; fix: build the spec with accelerator HVF");
        }
        requirePlainPath(spec.kernel(), "kernel");
        spec.initrd().ifPresent(initrd -> requirePlainPath(initrd, "initrd"));
        requirePlainPath(spec.consoleLog(), "console log");
        spec.commandChannel().ifPresent(channel -> {
            requirePlainPath(channel.hostSocket(), "command channel socket");
            requireSocketLength(channel.hostSocket(), 0);
        });
        spec.network().ifPresent(network -> {
            switch (network) {
                case VmSpec.StreamSocket stream -> throw new IllegalArgumentException("vfkit carries frames only as"
                        + " unix datagrams, not over the stream socket " + stream.stackSocket()
                        + "; fix: give a datagram network (the stack's vfkit:PATH link)");
                case VmSpec.DatagramSocket dgram -> {
                    if (dgram.vmSocket().isPresent()) {
                        throw new IllegalArgumentException("vfkit binds its own datagram socket beside the stack's, not "
                                + dgram.vmSocket().get() + "; fix: leave the datagram network's vmSocket empty");
                    }
                }
            }
            requirePlainPath(network.stackSocket(), "network socket");
            requireSocketLength(network.stackSocket(), 0);
            var folder = network.stackSocket().getParent();
            requireSocketLength(folder == null ? Path.of("/") : folder, VFKIT_LOCAL_NAME);
        });
        for (var disk : spec.disks()) {
            if (disk.format() != VmSpec.DiskFormat.RAW) {
                throw new IllegalArgumentException("disk " + disk.path() + " is " + disk.format().qemuName()
                        + ", and Virtualization.framework reads raw images only; fix: qemu-img convert -O raw "
                        + disk.path() + " IMAGE.raw");
            }
            if (disk.access() == VmSpec.DiskAccess.SNAPSHOT) {
                throw new IllegalArgumentException("disk " + disk.path() + " is to be a snapshot, which vfkit cannot"
                        + " make; fix: attach a copy-on-write clone of it (cp -c IMAGE CLONE) read-write");
            }
            requirePlainPath(disk.path(), "disk image");
        }
        for (var share : spec.shares()) {
            if (share.device() != VmSpec.ShareDevice.VIRTIO_FS) {
                throw new IllegalArgumentException("share '" + share.tag() + "' asks for virtio-9p, which vfkit does"
                        + " not have; fix: serve it with Gangway's 9P server over the network (mount -t 9p -o"
                        + " trans=tcp in the guest), or share it as virtio-fs");
            }
            if (share.readOnly()) {
                throw new IllegalArgumentException("share '" + share.tag() + "' is read-only, and vfkit's virtio-fs has"
                        + " no read-only option; fix: share it writable, or serve it read-only with Gangway's 9P server");
            }
            requirePlainPath(share.hostDir(), "shared folder");
        }
        int length = commandLine(spec).length();
        if (length >= QemuCommandLine.MAX_KERNEL_COMMAND_LINE) {
            throw new IllegalArgumentException("the kernel command line is " + length + " bytes, Linux takes at most "
                    + (QemuCommandLine.MAX_KERNEL_COMMAND_LINE - 1) + "; fix: pass fewer kernel arguments");
        }
    }

    private static void requirePlainPath(Path path, String what) {
        var text = path.toString();
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0) {
            throw new IllegalArgumentException("the " + what + " path " + text + " holds a comma or a quote, which"
                    + " vfkit cannot take in its options; fix: move it to a path without them");
        }
    }

    private static void requireSocketLength(Path path, int extra) {
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length + extra;
        if (length > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("socket path " + path + (extra > 0 ? " (with vfkit's own socket beside"
                    + " it)" : "") + " is " + length + " bytes, longer than macOS takes (" + MAX_SOCKET_PATH
                    + "); fix: put the socket in a shorter folder");
        }
    }
}
