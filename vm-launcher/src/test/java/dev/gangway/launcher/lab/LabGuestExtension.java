package dev.gangway.launcher.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Boots one lab guest for a test class and powers it off after the class; QEMU never outlives the run.
 *
 * <p>Register it on a <em>static</em> field (the guest lives from {@code beforeAll} to {@code afterAll}):
 * <pre>{@code
 * class NinePMountIT {
 *     @RegisterExtension
 *     static LabGuestExtension guest = LabGuestExtension.withQemuArgs(
 *             "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile=");
 *
 *     @Test
 *     void mounts() throws Exception {
 *         var result = guest.vm().exec("udhcpc -i eth0 -s /etc/udhcpc.script -q -n && mount -t 9p ...");
 *         assertThat(result.exitCode()).isZero();
 *     }
 * }
 * }</pre>
 * When the QEMU arguments depend on something that another extension starts first (a stack listening on
 * a socket: QEMU's {@code -netdev stream} must find it listening), pass a supplier; it is called in
 * {@code beforeAll}, after extensions registered on earlier fields (use {@code @Order} to be explicit):
 * {@code LabGuestExtension.withQemuArgs(() -> List.of("-netdev", "stream,...," + stack.socketPath()))}.
 *
 * <p>Test methods may also take a {@link GuestVm} parameter. Console and QEMU logs go to
 * {@code target/lab-logs/} (or the system property {@code gangway.lab.logs}). When the lab's host tools
 * are missing, the class is skipped with the install command, except as root (CI), where it fails.
 */
public final class LabGuestExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final Supplier<List<String>> qemuArgs;
    private int memoryMiB = 512;
    private int cpus = 1;
    private String name;
    private Duration bootTimeout = Duration.ofMinutes(3);
    private LabImage image;
    private GuestVm vm;

    private LabGuestExtension(Supplier<List<String>> qemuArgs) {
        this.qemuArgs = qemuArgs;
    }

    /** A guest with no devices beyond the command channel. */
    public static LabGuestExtension create() {
        return new LabGuestExtension(List::of);
    }

    /** A guest with these QEMU arguments appended verbatim. */
    public static LabGuestExtension withQemuArgs(String... args) {
        var fixed = List.of(args);
        return new LabGuestExtension(() -> fixed);
    }

    /** A guest whose QEMU arguments are computed in {@code beforeAll}, right before it boots. */
    public static LabGuestExtension withQemuArgs(Supplier<List<String>> args) {
        return new LabGuestExtension(args);
    }

    public LabGuestExtension memoryMiB(int mib) {
        this.memoryMiB = mib;
        return this;
    }

    public LabGuestExtension cpus(int count) {
        this.cpus = count;
        return this;
    }

    /** The guest's name in log file names (default: the test class's simple name). */
    public LabGuestExtension name(String guestName) {
        this.name = guestName;
        return this;
    }

    public LabGuestExtension bootTimeout(Duration limit) {
        this.bootTimeout = limit;
        return this;
    }

    /** The running guest (between {@code beforeAll} and {@code afterAll}). */
    public GuestVm vm() {
        if (vm == null) {
            throw new IllegalStateException("the lab guest is not running: register LabGuestExtension on a static field");
        }
        return vm;
    }

    /** The image the guest booted. */
    public LabImage image() {
        if (image == null) {
            throw new IllegalStateException("the lab guest is not running: register LabGuestExtension on a static field");
        }
        return image;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        requirePrerequisites();
        image = LabImage.ensure();
        var guestName = name != null ? name : context.getRequiredTestClass().getSimpleName();
        var args = new ArrayList<>(qemuArgs.get());
        vm = GuestVm.builder(image)
                .name(guestName)
                .memoryMiB(memoryMiB)
                .cpus(cpus)
                .bootTimeout(bootTimeout)
                .logDir(logDir())
                .qemuArgs(args.toArray(String[]::new))
                .start();
        System.out.printf("lab guest %s: boot to first command %d ms (%s)%n", guestName, vm.bootTime().toMillis(),
                vm.accelKvm() ? "KVM" : "TCG");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (vm != null) {
            vm.close();
            vm = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == GuestVm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return vm();
    }

    /** Skips (not root) or fails (root, i.e. CI) when a host tool the lab needs is missing. */
    public static void requirePrerequisites() {
        var missing = LabRequirements.missingPackages();
        if (missing.isEmpty()) {
            return;
        }
        var message = "the lab guest needs Debian packages " + missing + "; fix: "
                + LabRequirements.installCommand(missing);
        if (LabRequirements.runningAsRoot()) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
    }

    /** Where guest logs of tests go: {@code gangway.lab.logs}, else {@code target/lab-logs}. */
    public static Path logDir() {
        var property = System.getProperty("gangway.lab.logs");
        return property != null && !property.isBlank() ? Path.of(property) : Path.of("target", "lab-logs").toAbsolutePath();
    }
}
