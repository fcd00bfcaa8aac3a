package dev.gangway.launcher.vmm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a VM is made of, independent of the program that runs it: {@link QemuCommandLine} and
 * {@link VfkitCommandLine} turn it into an argument vector. Every spec is valid as a whole (the constructor
 * rejects a bad one with a message that names the problem and its fix); what one hypervisor cannot do
 * (a qcow2 disk under vfkit, virtio-fs under QEMU) is rejected by that hypervisor's command line.
 *
 * <p>The console is not in {@link #kernelArgs}: its device differs per target ({@code ttyS0},
 * {@code ttyAMA0}, {@code hvc0}), so each command line puts the right {@code console=} first and its output
 * goes to {@link #consoleLog}.
 *
 * @param name short name of the VM ({@code [A-Za-z0-9._-]{1,64}}), QEMU's process title is {@code gangway-NAME}
 * @param cpus virtual CPUs, 1 to 255
 * @param memoryBytes guest memory, a whole number of MiB, at least 64 MiB
 * @param accelerator how the CPU runs
 * @param kernel the kernel image (an uncompressed one for vfkit and for arm64)
 * @param initrd the initial ram disk, if any
 * @param kernelArgs kernel command-line words after {@code console=}; no spaces or quotes inside a word
 * @param disks block devices, in order ({@code /dev/vda}, {@code /dev/vdb}, ...)
 * @param network the guest's one virtio-net and where its frames go, if any
 * @param consoleLog the file that receives the guest's console
 * @param commandChannel the host-to-agent byte stream, if any
 * @param shares host folders given to the guest as file-system devices
 * @param entropy whether the guest gets a virtio-rng fed from the host's entropy (early boot, TLS keys)
 */
public record VmSpec(String name, int cpus, long memoryBytes, Accelerator accelerator, Path kernel,
        Optional<Path> initrd, List<String> kernelArgs, List<Disk> disks, Optional<Network> network,
        Path consoleLog, Optional<CommandChannel> commandChannel, List<Share> shares, boolean entropy) {
    public static final long MIB = 1L << 20;
    static final long MIN_MEMORY = 64 * MIB;
    static final int MAX_CPUS = 255;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-]{1,31}");
    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");

    public VmSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("VM name '" + name + "' is not 1-64 of [A-Za-z0-9._-]"
                    + "; fix: choose a name like 'docker-vm'");
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException(cpus + " CPUs is out of range; fix: give 1 to " + MAX_CPUS + " CPUs");
        }
        if (memoryBytes % MIB != 0) {
            throw new IllegalArgumentException("memory of " + memoryBytes + " bytes is not a whole number of MiB"
                    + "; fix: give the memory in MiB (e.g. 2048M) or GiB (e.g. 2G)");
        }
        if (memoryBytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memory of " + (memoryBytes / MIB) + " MiB is too small for a Linux guest"
                    + "; fix: give at least " + (MIN_MEMORY / MIB) + " MiB");
        }
        if (accelerator == null) {
            throw new IllegalArgumentException("no accelerator; fix: choose KVM, HVF or TCG (HostPlatform.choose picks one)");
        }
        if (kernel == null) {
            throw new IllegalArgumentException("no kernel; fix: give the path of the guest's kernel image");
        }
        kernel = kernel.toAbsolutePath();
        initrd = Objects.requireNonNull(initrd, "initrd").map(Path::toAbsolutePath);
        kernelArgs = List.copyOf(kernelArgs);
        for (var word : kernelArgs) {
            if (word.isEmpty() || word.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"')) {
                throw new IllegalArgumentException("kernel argument '" + word + "' is empty or holds a space or a quote"
                        + "; fix: give one word per argument, without quotes");
            }
            if (word.startsWith("console=")) {
                throw new IllegalArgumentException("kernel argument '" + word + "' sets the console, which the command"
                        + " line chooses for its target (ttyS0, ttyAMA0 or hvc0); fix: leave console= out");
            }
        }
        disks = List.copyOf(disks);
        network = Objects.requireNonNull(network, "network");
        if (consoleLog == null) {
            throw new IllegalArgumentException("no console log; fix: give the file that receives the guest's console");
        }
        consoleLog = consoleLog.toAbsolutePath();
        commandChannel = Objects.requireNonNull(commandChannel, "commandChannel");
        shares = List.copyOf(shares);
        var tags = new HashSet<String>();
        for (var share : shares) {
            if (!tags.add(share.tag())) {
                throw new IllegalArgumentException("two shares have the mount tag '" + share.tag()
                        + "'; fix: give every share its own tag");
            }
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Checks that the files this spec names are there: the kernel, the initrd and the disk images are
     * readable files (and writable unless read-only), the shared folders are folders, and the folders of the
     * console log and of the sockets exist. Returns this spec; a missing piece is an
     * {@link IllegalArgumentException} naming it.
     */
    public VmSpec requireHostFiles() {
        requireReadableFile(kernel, "kernel");
        initrd.ifPresent(file -> requireReadableFile(file, "initrd"));
        for (var disk : disks) {
            requireReadableFile(disk.path(), "disk image");
            if (disk.access() == DiskAccess.READ_WRITE && !Files.isWritable(disk.path())) {
                throw new IllegalArgumentException("disk image " + disk.path() + " is not writable"
                        + "; fix: make it writable, or attach it read-only or as a snapshot");
            }
        }
        for (var share : shares) {
            if (!Files.isDirectory(share.hostDir())) {
                throw new IllegalArgumentException("shared folder " + share.hostDir() + " is not a folder"
                        + "; fix: give an existing folder");
            }
        }
        requireFolderOf(consoleLog, "console log");
        network.ifPresent(net -> requireFolderOf(net.stackSocket(), "network socket"));
        commandChannel.ifPresent(channel -> requireFolderOf(channel.hostSocket(), "command channel socket"));
        return this;
    }

    private static void requireReadableFile(Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " " + file + (Files.exists(file) ? " is not a readable file"
                    : " does not exist") + "; fix: give the path of a readable " + what);
        }
    }

    private static void requireFolderOf(Path file, String what) {
        var parent = file.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("the folder of the " + what + " " + file + " does not exist"
                    + "; fix: create it first");
        }
    }

    /** {@link #memoryBytes} in MiB. */
    public long memoryMiB() {
        return memoryBytes / MIB;
    }

    /**
     * Reads a memory size as a user writes it: {@code 2G}, {@code 2GiB}, {@code 1536M}, {@code 1536MiB},
     * {@code 524288K}; a bare number is MiB (as QEMU's {@code -m}). Units are binary and case-insensitive.
     */
    public static long parseMemory(String text) {
        var matcher = MEMORY.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("memory size '" + text + "' is not a number with an optional unit"
                    + "; fix: write it like 2G or 1536M");
        }
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "g" -> 30;
            case "t" -> 40;
            default -> 20;
        };
        try {
            long value = Long.parseLong(matcher.group(1));
            if (value > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("memory size '" + text + "' is too large; fix: write it like 2G or 1536M");
        }
    }

    /** A disk image. */
    public record Disk(Path path, DiskFormat format, DiskAccess access) {
        public Disk {
            if (path == null) {
                throw new IllegalArgumentException("a disk has no image path; fix: give the image file");
            }
            path = path.toAbsolutePath();
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(access, "access");
        }
    }

    /** What the guest may do to a disk image. */
    public enum DiskAccess {
        /** Reads and writes reach the image; a guest's discard (TRIM) frees space in a sparse image. */
        READ_WRITE,
        /** The guest cannot write. */
        READ_ONLY,
        /** The guest writes, but into a throw-away overlay: the image is unchanged when the VM ends (QEMU only). */
        SNAPSHOT
    }

    /** How a disk image is laid out. */
    public enum DiskFormat {
        RAW, QCOW2;

        /** The name QEMU's {@code format=} takes. */
        public String qemuName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The guest's network card and where its Ethernet frames go: to the stack's link socket (see
     * {@code dev.gangway.stack.link.LinkSpec}), which must be listening before the VM starts.
     */
    public sealed interface Network permits StreamSocket, DatagramSocket {
        /** The address of the guest's virtio-net. */
        MacAddress mac();

        /** The stack's socket. */
        Path stackSocket();
    }

    /**
     * QEMU's {@code -netdev stream} to a unix stream socket: each frame preceded by its 4-byte big-endian
     * length (the stack's {@code qemu:unix:PATH} link). QEMU only.
     */
    public record StreamSocket(Path stackSocket, MacAddress mac) implements Network {
        public StreamSocket {
            if (stackSocket == null) {
                throw new IllegalArgumentException("a stream network has no socket; fix: give the stack's qemu:unix socket");
            }
            stackSocket = stackSocket.toAbsolutePath();
            Objects.requireNonNull(mac, "mac");
        }
    }

    /**
     * Unix datagrams, one frame per datagram (the stack's {@code vfkit:PATH} link): QEMU's {@code -netdev
     * dgram} or vfkit's {@code virtio-net,unixSocketPath=}.
     *
     * @param stackSocket where the stack listens
     * @param vmSocket where QEMU binds its own end (the stack answers to it); empty for vfkit, which binds
     *     {@code vfkit-PID-RANDOM.sock} beside the stack's socket by itself
     * @param mac the guest's address
     */
    public record DatagramSocket(Path stackSocket, Optional<Path> vmSocket, MacAddress mac) implements Network {
        public DatagramSocket {
            if (stackSocket == null) {
                throw new IllegalArgumentException("a datagram network has no socket; fix: give the stack's vfkit: socket");
            }
            stackSocket = stackSocket.toAbsolutePath();
            vmSocket = Objects.requireNonNull(vmSocket, "vmSocket").map(Path::toAbsolutePath);
            Objects.requireNonNull(mac, "mac");
        }

        /** For QEMU: the stack's socket and the one QEMU binds. */
        public static DatagramSocket qemu(Path stackSocket, Path vmSocket, MacAddress mac) {
            return new DatagramSocket(stackSocket, Optional.of(vmSocket), mac);
        }

        /** For vfkit: only the stack's socket. */
        public static DatagramSocket vfkit(Path stackSocket, MacAddress mac) {
            return new DatagramSocket(stackSocket, Optional.empty(), mac);
        }
    }

    /**
     * The agent's command channel: a byte stream between the guest's agent and a unix socket on which the
     * host listens before the VM starts (the hypervisor connects to it). Under QEMU it is a virtio-serial
     * port named {@code serialPortName}; under vfkit, which has no named serial ports, the guest connects to
     * vsock port {@code vsockPort} of the host (CID 2) and vfkit carries each connection to the socket.
     */
    public record CommandChannel(Path hostSocket, String serialPortName, int vsockPort) {
        /** The lab agent's port name ({@code init.sh} looks for it). */
        public static final String DEFAULT_PORT_NAME = "gangway.cmd";
        /** The vsock port the agent dials under vfkit. */
        public static final int DEFAULT_VSOCK_PORT = 1024;

        public CommandChannel {
            if (hostSocket == null) {
                throw new IllegalArgumentException("the command channel has no socket; fix: give a unix socket path");
            }
            hostSocket = hostSocket.toAbsolutePath();
            if (serialPortName == null || !serialPortName.matches("[A-Za-z0-9._-]{1,63}")) {
                throw new IllegalArgumentException("virtio-serial port name '" + serialPortName
                        + "' is not 1-63 of [A-Za-z0-9._-]; fix: use e.g. " + DEFAULT_PORT_NAME);
            }
            if (vsockPort < 1) {
                throw new IllegalArgumentException("vsock port " + vsockPort + " is out of range; fix: use e.g. "
                        + DEFAULT_VSOCK_PORT);
            }
        }

        /** The default port name and vsock port. */
        public static CommandChannel at(Path hostSocket) {
            return new CommandChannel(hostSocket, DEFAULT_PORT_NAME, DEFAULT_VSOCK_PORT);
        }
    }

    /** Which file-system device carries a share. */
    public enum ShareDevice {
        /** virtio-9p (QEMU's {@code -fsdev local} + {@code virtio-9p-pci}); {@code mount -t 9p -o trans=virtio TAG DIR}. */
        VIRTIO_9P,
        /** virtio-fs (vfkit's {@code virtio-fs}); {@code mount -t virtiofs TAG DIR}. */
        VIRTIO_FS
    }

    /** A host folder given to the guest as a device with a mount tag. */
    public record Share(Path hostDir, String tag, ShareDevice device, boolean readOnly) {
        public Share {
            if (hostDir == null) {
                throw new IllegalArgumentException("a share has no host folder; fix: give the folder to share");
            }
            hostDir = hostDir.toAbsolutePath();
            if (tag == null || !TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("mount tag '" + tag + "' is not 1-31 of [A-Za-z0-9._-]"
                        + "; fix: choose a short tag like 'share0'");
            }
            Objects.requireNonNull(device, "device");
        }
    }

    /** Collects the parts of a spec; {@link #build()} checks them. */
    public static final class Builder {
        private final String name;
        private int cpus = 1;
        private long memoryBytes = 512 * MIB;
        private Accelerator accelerator;
        private Path kernel;
        private Path initrd;
        private final List<String> kernelArgs = new ArrayList<>();
        private final List<Disk> disks = new ArrayList<>();
        private Network network;
        private Path consoleLog;
        private CommandChannel commandChannel;
        private final List<Share> shares = new ArrayList<>();
        private boolean entropy;

        private Builder(String name) {
            this.name = name;
        }

        public Builder cpus(int count) {
            this.cpus = count;
            return this;
        }

        /** Memory in bytes (a whole number of MiB); default 512 MiB. */
        public Builder memoryBytes(long bytes) {
            this.memoryBytes = bytes;
            return this;
        }

        public Builder memoryMiB(long mib) {
            return memoryBytes(mib * MIB);
        }

        public Builder accelerator(Accelerator accel) {
            this.accelerator = accel;
            return this;
        }

        public Builder kernel(Path image) {
            this.kernel = image;
            return this;
        }

        public Builder initrd(Path image) {
            this.initrd = image;
            return this;
        }

        public Builder kernelArgs(String... words) {
            this.kernelArgs.addAll(List.of(words));
            return this;
        }

        public Builder kernelArgs(List<String> words) {
            this.kernelArgs.addAll(words);
            return this;
        }

        public Builder disk(Path image, DiskFormat format, DiskAccess access) {
            this.disks.add(new Disk(image, format, access));
            return this;
        }

        public Builder network(Network attachment) {
            this.network = attachment;
            return this;
        }

        public Builder consoleLog(Path file) {
            this.consoleLog = file;
            return this;
        }

        public Builder commandChannel(CommandChannel channel) {
            this.commandChannel = channel;
            return this;
        }

        public Builder share(Path hostDir, String tag, ShareDevice device, boolean readOnly) {
            this.shares.add(new Share(hostDir, tag, device, readOnly));
            return this;
        }

        /** Gives the guest a virtio-rng (default: none, like the lab guest). */
        public Builder entropy(boolean enabled) {
            this.entropy = enabled;
            return this;
        }

        public VmSpec build() {
            return new VmSpec(name, cpus, memoryBytes, accelerator, kernel, Optional.ofNullable(initrd), kernelArgs,
                    disks, Optional.ofNullable(network), consoleLog, Optional.ofNullable(commandChannel), shares, entropy);
        }
    }
}
