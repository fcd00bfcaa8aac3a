package dev.gangway.launcher.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gangway.launcher.host.CacheDir;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, failing, powering off and killing lab guests: QEMU never stays behind. */
class GuestVmLifecycleIT {
    private static LabImage image;

    @BeforeAll
    static void image() throws IOException {
        LabGuestExtension.requirePrerequisites();
        image = LabImage.ensure();
    }

    private static GuestVm.Builder guest(String name) {
        return GuestVm.builder(image).name(name).logDir(LabGuestExtension.logDir());
    }

    @Test
    void closePowersTheGuestOff() throws Exception {
        var vm = guest("power-off").start();
        var qemu = ProcessHandle.of(vm.pid()).orElseThrow();
        assertThat(vm.exec("echo up").output()).isEqualTo("up\n");
        vm.close();
        assertThat(qemu.isAlive()).isFalse();
        assertThat(Files.readString(vm.consoleLog())).contains("gangway-init: power off requested");
        vm.close();
        assertThatThrownBy(() -> vm.exec("true")).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void aKernelPanicEndsTheBootWithTheConsoleTail(@TempDir Path dir) throws IOException {
        // An initramfs of zeros unpacks to nothing: no /init, no root device, a panic; panic=-1 and
        // -no-reboot then end QEMU. The last -initrd on QEMU's command line wins.
        var empty = Files.write(dir.resolve("empty.img"), new byte[4096]);
        assertThatThrownBy(() -> guest("no-init").qemuArgs("-initrd", empty.toString()).start())
                .isInstanceOf(GuestException.class)
                .hasMessageContaining("exited with code 0 while")
                .hasMessageContaining("Kernel panic")
                .satisfies(e -> assertThat(((GuestException) e).consoleTail()).isNotEmpty());
    }

    @Test
    void aBadQemuArgumentQuotesQemu() {
        assertThatThrownBy(() -> guest("bad-arg").qemuArgs("-device", "no-such-gangway-device").start())
                .isInstanceOf(GuestException.class)
                .hasMessageContaining("QEMU said")
                .hasMessageContaining("no-such-gangway-device");
    }

    @Test
    void aBootThatOverrunsItsTimeoutFailsLoudly() {
        assertThatThrownBy(() -> guest("too-slow").bootTimeout(Duration.ofMillis(300)).start())
                .isInstanceOf(GuestException.class)
                .hasMessageMatching("(?s)(QEMU did not connect|no answer from guest too-slow).*--- (console: \\(empty\\)|last \\d+ console lines) ---.*");
        assertThat(ProcessHandle.current().children().filter(p -> p.info().command().orElse("").contains("qemu")))
                .isEmpty();
    }

    @Test
    void killingTheJvmMidBootLeavesNoQemu() throws Exception {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                "-Dgangway.cache=" + CacheDir.root(),
                "-Dgangway.accel=tcg",
                "-Dgangway.lab.logs=" + LabGuestExtension.logDir(),
                BootUntilKilled.class.getName())
                .redirectErrorStream(true)
                .start();
        var childOutput = new StringBuffer();
        var pidLine = new CompletableFuture<String>();
        Thread.ofPlatform().daemon(true).start(() -> readChild(child, childOutput, pidLine));
        try {
            long pid = Long.parseLong(pidLine.get(120, TimeUnit.SECONDS).substring("QEMU_PID ".length()).strip());
            var started = startTime(pid);
            assertThat(started).as("QEMU runs before the JVM is killed; child JVM said:%n%s", childOutput).isPresent();
            assertThat(running(pid, started.get())).as("QEMU runs before the JVM is killed").isTrue();

            child.destroyForcibly(); // SIGKILL: no shutdown hook runs, only PR_SET_PDEATHSIG can act
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(128 + 9);

            await().atMost(Duration.ofSeconds(30)).until(() -> !running(pid, started.get()));
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * True while the process that started at {@code startTime} exists and is not a zombie (a killed orphan
     * may wait for its reaper; a new process may reuse the pid).
     */
    private static boolean running(long pid, long startTime) {
        var fields = statFields(pid);
        return fields.length > 19 && !fields[0].equals("Z") && !fields[0].equals("X")
                && Long.parseLong(fields[19]) == startTime;
    }

    /** Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot. */
    private static Optional<Long> startTime(long pid) {
        var fields = statFields(pid);
        return fields.length > 19 ? Optional.of(Long.parseLong(fields[19])) : Optional.empty();
    }

    /** The fields of /proc/PID/stat after the command name, starting with the state (field 3). */
    private static String[] statFields(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        } catch (IOException e) {
            return new String[0];
        }
    }

    private static void readChild(Process process, StringBuffer output, CompletableFuture<String> pidLine) {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("QEMU_PID ")) {
                    pidLine.complete(line);
                }
            }
            pidLine.completeExceptionally(new IllegalStateException("the child JVM ended before QEMU started:\n" + output));
        } catch (IOException e) {
            pidLine.completeExceptionally(e);
        }
    }
}
