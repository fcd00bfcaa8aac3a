package dev.gangway.launcher.up;

import dev.gangway.launcher.image.DockerImage;
import dev.gangway.launcher.qemu.JvmBoundProcess;
import dev.gangway.launcher.qemu.QemuBinary;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * QEMU running the Docker VM: the {@link DockerImage} (root disk as a snapshot, so the cached image is never
 * written), the data disk, virtio-net on the stack's link socket, the serial console in a log file, and the
 * command channel ({@link VmChannel}). QEMU dies with the daemon JVM ({@link JvmBoundProcess}).
 */
final class DockerVm implements AutoCloseable {
    private final Process qemu;
    private final VmChannel channel;
    private final Duration bootTime;

    private DockerVm(Process qemu, VmChannel channel, Duration bootTime) {
        this.qemu = qemu;
        this.channel = channel;
        this.bootTime = bootTime;
    }

    /** The QEMU command line (accelerator arguments first, e.g. {@code -accel tcg -cpu max}). */
    static List<String> commandLine(QemuBinary qemu, List<String> accel, DockerImage image, GangwayHome home,
            UpConfig config) {
        var command = new ArrayList<String>(List.of(qemu.path().toString(), "-name", "gangway-docker-vm",
                "-machine", "pc"));
        command.addAll(accel);
        command.addAll(List.of(
                "-m", Integer.toString(config.memoryMiB()),
                "-smp", Integer.toString(config.cpus()),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-kernel", image.kernel().toString(),
                "-initrd", image.initrd().toString(),
                "-append", "console=ttyS0 panic=-1 quiet no_timer_check apparmor=0",
                "-serial", "file:" + qemuPath(home.consoleLog()),
                "-drive", "file=" + qemuPath(image.rootfs()) + ",if=virtio,format=raw,snapshot=on",
                "-drive", "file=" + qemuPath(home.dataDisk()) + ",if=virtio,format=raw,discard=unmap",
                "-netdev", "stream,id=n0,server=off,addr.type=unix,addr.path=" + qemuPath(home.linkSocket()),
                "-device", "virtio-net-pci,netdev=n0,romfile=",
                "-device", "virtio-rng-pci",
                "-device", "virtio-serial-pci,id=gwserial",
                "-chardev", "socket,id=gwcmd,path=" + qemuPath(home.channelSocket()),
                "-device", "virtserialport,bus=gwserial.0,chardev=gwcmd,name=gangway.cmd"));
        return command;
    }

    /** Launches QEMU and returns once the guest's init holds the command channel. */
    static DockerVm boot(List<String> command, GangwayHome home, Duration limit) throws IOException {
        Files.deleteIfExists(home.channelSocket());
        Files.writeString(home.consoleLog(), "");
        Files.writeString(home.qemuLog(), String.join(" ", command) + "\n");
        var deadline = Instant.now().plus(limit);
        var started = Instant.now();
        Process qemu;
        SocketChannel socket;
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(home.channelSocket()));
            qemu = JvmBoundProcess.start(command, home.qemuLog());
            server.configureBlocking(false);
            while (true) {
                socket = server.accept();
                if (socket != null) {
                    break;
                }
                if (!qemu.isAlive()) {
                    throw new IOException("QEMU exited with code " + qemu.exitValue() + " at start: "
                            + lastLines(home.qemuLog()));
                }
                if (Instant.now().isAfter(deadline)) {
                    qemu.destroyForcibly();
                    throw new IOException("QEMU did not connect the command channel within " + limit.toSeconds() + " s");
                }
                sleep(20);
            }
        } finally {
            Files.deleteIfExists(home.channelSocket());
        }
        socket.configureBlocking(true);
        var channel = new VmChannel(socket);
        try {
            while (true) {
                try {
                    channel.hello().get(200, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (!qemu.isAlive()) {
                        throw new IOException("the VM stopped while booting: " + lastLines(home.consoleLog()));
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new IOException("the VM did not answer within " + limit.toSeconds()
                                + " s; its console: " + lastLines(home.consoleLog()));
                    }
                }
            }
        } catch (ExecutionException e) {
            channel.close();
            qemu.destroyForcibly();
            throw new IOException("the VM's command channel failed while booting: " + lastLines(home.consoleLog()), e);
        } catch (InterruptedException e) {
            channel.close();
            qemu.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the VM boots");
        } catch (IOException e) {
            channel.close();
            qemu.destroyForcibly();
            throw e;
        }
        return new DockerVm(qemu, channel, Duration.between(started, Instant.now()));
    }

    /** Runs a shell command in the guest and waits for it (up to {@code limitSeconds} plus a grace period). */
    VmChannel.Result exec(String command, long limitSeconds) throws IOException {
        try {
            return channel.exec(command, limitSeconds).get(limitSeconds + 15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the command channel failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer from the VM within " + (limitSeconds + 15) + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the VM");
        }
    }

    VmChannel channel() {
        return channel;
    }

    Process process() {
        return qemu;
    }

    Duration bootTime() {
        return bootTime;
    }

    /** Asks the guest to stop dockerd and power off; kills QEMU when it has not exited within {@code grace}. */
    void powerOff(Duration grace) {
        if (qemu.isAlive()) {
            try {
                channel.powerOff();
            } catch (IOException e) {
                qemu.destroyForcibly();
            }
        }
        try {
            if (!qemu.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                qemu.destroyForcibly();
                qemu.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            qemu.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        channel.close();
    }

    @Override
    public void close() {
        powerOff(Duration.ofSeconds(30));
    }

    static String lastLines(Path log) {
        try {
            var lines = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size())).strip();
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static String qemuPath(Path path) {
        return path.toString().replace(",", ",,");
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the VM boots");
        }
    }
}
