package dev.gangway.launcher.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.lab.LabGuestExtension;
import dev.gangway.launcher.lab.LabImage;
import dev.gangway.launcher.qemu.JvmBoundProcess;
import dev.gangway.launcher.qemu.QemuBinary;
import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The Linux TCG command line from {@link QemuCommandLine}, unchanged, boots the lab image: the kernel's
 * banner reaches the console log (so {@code -append} and {@code -serial} are right), the lab agent answers
 * on the virtio-serial command channel, the guest's virtio-net gets its DHCP lease from the stack through
 * QEMU's {@code -netdev dgram} to the stack's unix datagram link, and the guest powers off on request
 * (QEMU exits 0 thanks to {@code -no-reboot}). One boot.
 */
class QemuCommandLineIT {
    private static final Duration BOOT_LIMIT = Duration.ofMinutes(3);

    @Test
    void theLinuxTcgCommandLineBootsTheLabImage() throws Exception {
        LabGuestExtension.requirePrerequisites();
        var image = LabImage.ensure();
        var logs = Files.createDirectories(LabGuestExtension.logDir());
        var consoleLog = Files.createTempFile(logs, "vmm-it-", ".console.log");
        var qemuLog = Path.of(consoleLog.toString().replace(".console.log", ".qemu.log"));
        // A short private folder: unix socket paths are limited to 107 bytes.
        var dir = Files.createTempDirectory("gw-vmm-");
        var events = new CopyOnWriteArrayList<String>();
        Process qemu = null;
        try (var stack = NetworkStack.start(NetworkConfig.defaults().withMtu(1500), null, events::add);
             var link = LinkServer.open(LinkSpec.parse("vfkit:" + dir.resolve("net.sock")), stack, stack.group(),
                     stack.epoll());
             var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("cmd.sock")));
            var spec = VmSpec.builder("vmm-it")
                    .accelerator(Accelerator.TCG)
                    .memoryMiB(512)
                    .kernel(image.kernel())
                    .initrd(image.initrd())
                    // No "quiet": the kernel's banner must reach the console.
                    .kernelArgs("panic=-1", "no_timer_check")
                    .consoleLog(consoleLog)
                    .commandChannel(VmSpec.CommandChannel.at(dir.resolve("cmd.sock")))
                    .network(VmSpec.DatagramSocket.qemu(dir.resolve("net.sock"), dir.resolve("vm.sock"),
                            MacAddress.derivedFrom("vmm-it")))
                    .build()
                    .requireHostFiles();
            var argv = QemuCommandLine.argv(QemuBinary.require().path(), HostPlatform.detect(), spec);
            Files.writeString(qemuLog, String.join(" ", argv) + "\n");
            qemu = JvmBoundProcess.start(argv, qemuLog);

            try (var guest = accept(server, qemu, Instant.now().plus(BOOT_LIMIT))) {
                checkGuest(guest, qemu, image, consoleLog, qemuLog);
            }
            assertThat(events).as("the stack saw QEMU's datagram socket").anyMatch(e -> e.contains("vm.sock"));
        } finally {
            if (qemu != null && qemu.isAlive()) {
                qemu.destroyForcibly();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void checkGuest(SocketChannel guest, Process qemu, LabImage image, Path consoleLog, Path qemuLog)
            throws Exception {
        var conversation = CompletableFuture.supplyAsync(() -> converse(guest), task -> Thread.ofVirtual().start(task));
        String answer;
        try {
            answer = conversation.get(BOOT_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            qemu.destroyForcibly();
            throw new AssertionError("no answer from the guest; console:\n" + tail(consoleLog) + "\nQEMU:\n"
                    + tail(qemuLog));
        }
        assertThat(answer).as("the guest's answer; console:\n%s", tail(consoleLog))
                .startsWith("0\n" + image.kernelVersion() + "\n")
                .contains("inet 192.168.65.2/24");
        assertThat(qemu.waitFor(60, TimeUnit.SECONDS)).as("QEMU exits after the guest powers off").isTrue();
        assertThat(qemu.exitValue()).as(tail(qemuLog)).isZero();
        assertThat(Files.readString(consoleLog)).contains("Linux version " + image.kernelVersion())
                .contains("gangway-init: ready");
    }

    /** QEMU connects the command channel's chardev to our socket once it has started. */
    private static SocketChannel accept(ServerSocketChannel server, Process qemu, Instant deadline) throws Exception {
        server.configureBlocking(false);
        while (true) {
            var socket = server.accept();
            if (socket != null) {
                socket.configureBlocking(true);
                return socket;
            }
            if (!qemu.isAlive()) {
                throw new AssertionError("QEMU exited with code " + qemu.exitValue() + " before connecting");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("QEMU did not connect the command channel");
            }
            Thread.sleep(20);
        }
    }

    /**
     * The lab agent's protocol ({@code GuestChannel}): wait for its hello, run one command, then ask for
     * power-off. Returns the command's status and output as "STATUS\nOUTPUT".
     */
    private static String converse(SocketChannel guest) {
        try {
            InputStream in = Channels.newInputStream(guest);
            var hello = readLine(in);
            if (!hello.equals("H 1")) {
                throw new IOException("expected the agent's hello, got '" + hello + "'");
            }
            var command = "uname -r && udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 10 -T 2 >/dev/null 2>&1"
                    + " && ip -4 addr show eth0";
            write(guest, "x 1 120 " + Base64.getEncoder().encodeToString(command.getBytes(StandardCharsets.UTF_8)) + "\n");
            var header = readLine(in).split(" ");
            if (header.length != 4 || !header[0].equals("R") || !header[1].equals("1")) {
                throw new IOException("expected the answer to command 1, got '" + String.join(" ", header) + "'");
            }
            var output = in.readNBytes(Integer.parseInt(header[3]));
            write(guest, "p 0 0 -\n");
            return header[2] + "\n" + new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the command channel closed");
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            line.write(b);
        }
    }

    private static void write(SocketChannel socket, String line) throws IOException {
        var buffer = java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        while (buffer.hasRemaining()) {
            socket.write(buffer);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(" + log + ": " + e.getMessage() + ")";
        }
    }
}
