package dev.gangway.launcher.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gangway.launcher.host.HostCommand;
import dev.gangway.launcher.lab.LabGuestExtension;
import dev.gangway.launcher.lab.LabImage;
import dev.gangway.launcher.lab.LabRequirements;
import dev.gangway.launcher.qemu.JvmBoundProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The macOS QEMU command lines, run by the real QEMU here with TCG in place of HVF (only a Mac has HVF):
 * QEMU must build the machine ({@code pc} or {@code virt}) with every device of the spec — the virtio-serial
 * command channel, virtio-net on a datagram socket, two virtio-blk disks, a virtio-9p share, virtio-rng —
 * and show them on its PCI bus (QMP {@code query-pci}). The guest is created paused ({@code -S}) and never
 * runs: that the guest boots is {@link QemuCommandLineIT}'s job, on Linux's own command line.
 */
class MacQemuCommandLineIT {
    private static final int VIRTIO_VENDOR = 0x1af4;
    /** Transitional virtio PCI device ids: net, block, console (virtio-serial), rng, 9p. */
    private static final List<Integer> EXPECTED_DEVICES = List.of(0x1000, 0x1001, 0x1001, 0x1003, 0x1005, 0x1009);
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void appleSiliconVirtMachine() throws Exception {
        var qemu = require("qemu-system-aarch64", "qemu-system-arm");
        var dir = Files.createTempDirectory("gw-mac-");
        try {
            // The virt board loads any file as a raw Image; the paused guest never runs it.
            var kernel = Files.write(dir.resolve("Image"), new byte[1 << 20]);
            checkDevices(qemu, HostPlatform.of("Mac OS X", "aarch64"), kernel, dir);
        } finally {
            delete(dir);
        }
    }

    @Test
    void intelPcMachine() throws Exception {
        var qemu = require("qemu-system-x86_64", "qemu-system-x86");
        LabGuestExtension.requirePrerequisites();
        var kernel = LabImage.ensure().kernel();
        var dir = Files.createTempDirectory("gw-mac-");
        try {
            checkDevices(qemu, HostPlatform.of("Mac OS X", "x86_64"), kernel, dir);
        } finally {
            delete(dir);
        }
    }

    private static void checkDevices(Path qemuBinary, HostPlatform mac, Path kernel, Path dir) throws Exception {
        var data = sparseImage(dir.resolve("data.img"));
        var base = sparseImage(dir.resolve("base.img"));
        var share = Files.createDirectory(dir.resolve("share"));
        var spec = VmSpec.builder("mac-it")
                .accelerator(Accelerator.HVF)
                .memoryMiB(256)
                .cpus(2)
                .kernel(kernel)
                .kernelArgs("panic=-1")
                .consoleLog(dir.resolve("console.log"))
                .commandChannel(VmSpec.CommandChannel.at(dir.resolve("cmd.sock")))
                .network(VmSpec.DatagramSocket.qemu(dir.resolve("net.sock"), dir.resolve("vm.sock"),
                        MacAddress.derivedFrom("mac-it")))
                .disk(base, VmSpec.DiskFormat.RAW, VmSpec.DiskAccess.READ_ONLY)
                .disk(data, VmSpec.DiskFormat.RAW, VmSpec.DiskAccess.READ_WRITE)
                .share(share, "share0", VmSpec.ShareDevice.VIRTIO_9P, false)
                .entropy(true)
                .build()
                .requireHostFiles();
        var argv = new ArrayList<>(QemuCommandLine.argv(qemuBinary, mac, spec));
        int accel = Collections.indexOfSubList(argv, List.of("-accel", "hvf", "-cpu", "host"));
        assertThat(accel).as("the macOS command line asks for HVF: %s", argv).isPositive();
        argv.subList(accel, accel + 4).clear();
        argv.addAll(accel, List.of("-accel", "tcg", "-cpu", "max"));
        var qmp = dir.resolve("qmp.sock");
        argv.addAll(List.of("-S", "-qmp", "unix:" + qmp + ",server=on,wait=off"));
        var log = dir.resolve("qemu.log");

        try (var channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // QEMU connects the command channel's chardev at start-up and fails if nobody listens.
            channel.bind(UnixDomainSocketAddress.of(dir.resolve("cmd.sock")));
            var process = JvmBoundProcess.start(argv, log);
            try (var monitor = connect(qmp, process, log)) {
                var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(monitor), StandardCharsets.UTF_8));
                var out = new OutputStreamWriter(Channels.newOutputStream(monitor), StandardCharsets.UTF_8);
                assertThat(in.readLine()).as("QMP greeting").contains("\"QMP\"");
                execute(in, out, "qmp_capabilities");
                var devices = new ArrayList<Integer>();
                for (var bus : execute(in, out, "query-pci")) {
                    for (var device : bus.get("devices")) {
                        if (device.get("id").get("vendor").asInt() == VIRTIO_VENDOR) {
                            devices.add(device.get("id").get("device").asInt());
                        }
                    }
                }
                assertThat(devices).as("virtio PCI devices of %s", String.join(" ", argv))
                        .containsExactlyInAnyOrderElementsOf(EXPECTED_DEVICES);
                execute(in, out, "quit");
            } catch (IOException e) {
                throw new AssertionError("QMP failed (" + e.getMessage() + "); QEMU said: " + Files.readString(log), e);
            } finally {
                if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            assertThat(process.exitValue()).as(Files.readString(log)).isZero();
        }
    }

    private static Path sparseImage(Path file) throws IOException {
        try (var image = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            image.position((64 << 20) - 1).write(java.nio.ByteBuffer.wrap(new byte[1]));
        }
        return file;
    }

    /** The QMP socket appears once QEMU has parsed its options; it answers once the machine is built. */
    private static SocketChannel connect(Path qmp, Process process, Path log) throws Exception {
        var deadline = Instant.now().plus(LIMIT);
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("QEMU exited with code " + process.exitValue() + ": " + Files.readString(log));
            }
            if (Files.exists(qmp)) {
                try {
                    return SocketChannel.open(UnixDomainSocketAddress.of(qmp));
                } catch (IOException e) {
                    // Bound but not yet listening: try again.
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("QEMU opened no QMP socket: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    /** Runs one QMP command and returns its "return" value, skipping the events that come before it. */
    private static JsonNode execute(BufferedReader in, Writer out, String command) throws IOException {
        out.write("{\"execute\":\"" + command + "\"}\n");
        out.flush();
        while (true) {
            var line = in.readLine();
            if (line == null) {
                throw new IOException("QMP closed while waiting for the answer to " + command);
            }
            var reply = JSON.readTree(line);
            if (reply.has("error")) {
                throw new AssertionError(command + " failed: " + line);
            }
            if (reply.has("return")) {
                return reply.get("return");
            }
        }
    }

    /** The emulator, or a skip (not root) / failure (root, i.e. CI) naming the package. */
    private static Path require(String binary, String debianPackage) {
        var found = HostCommand.which(binary);
        if (found.isPresent()) {
            return found.get();
        }
        var message = binary + " is missing; fix: sudo apt-get install " + debianPackage;
        if (LabRequirements.runningAsRoot()) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
        return null;
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
