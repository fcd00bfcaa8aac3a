package dev.gangway.launcher.up;

import dev.gangway.launcher.image.DockerImage;
import dev.gangway.launcher.qemu.JvmBoundProcess;
import dev.gangway.launcher.qemu.QemuBinary;
import dev.gangway.launcher.vmm.Accelerator;
import dev.gangway.launcher.vmm.HostPlatform;
import dev.gangway.launcher.vmm.MacAddress;
import dev.gangway.launcher.vmm.QemuCommandLine;
import dev.gangway.launcher.vmm.VmSpec;
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

    /**
     * The QEMU command line, from a {@link VmSpec} ({@code vmm}): the image's kernel and initramfs, the root
     * disk as a snapshot, the data disk, virtio-net on the stack's link socket, the command channel, entropy,
     * and any folders given to QEMU's own virtio-9p (for side-by-side benchmarks).
     */
    static List<String> commandLine(QemuBinary qemu, Accelerator accelerator, DockerImage image, GangwayHome home,
            UpConfig config) {
        var spec = VmSpec.builder("docker-vm")
                .cpus(config.cpus())
                .memoryMiB(config.memoryMiB())
                .accelerator(accelerator)
                .kernel(image.kernel())
                .initrd(image.initrd())
                .kernelArgs("panic=-1", "quiet", "no_timer_check", "apparmor=0")
                .disk(image.rootfs(), VmSpec.DiskFormat.RAW, VmSpec.DiskAccess.SNAPSHOT)
                .disk(home.dataDisk(), VmSpec.DiskFormat.RAW, VmSpec.DiskAccess.READ_WRITE)
                .network(new VmSpec.StreamSocket(home.linkSocket(), MacAddress.derivedFrom(home.dir().toString())))
                .consoleLog(home.consoleLog())
                .commandChannel(VmSpec.CommandChannel.at(home.channelSocket()))
                .entropy(true);
        for (int i = 0; i < config.virtio9p().size(); i++) {
            spec.share(Path.of(config.virtio9p().get(i)), "virtio9p" + i, VmSpec.ShareDevice.VIRTIO_9P, false);
        }
        return QemuCommandLine.argv(qemu.path(), HostPlatform.detect(), spec.build());
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
