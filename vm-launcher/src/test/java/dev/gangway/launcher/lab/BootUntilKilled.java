package dev.gangway.launcher.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The child JVM of {@link GuestVmLifecycleIT#killingTheJvmMidBootLeavesNoQemu}: starts booting a lab guest,
 * prints {@code QEMU_PID <pid>} as soon as QEMU runs, and waits to be killed.
 */
public final class BootUntilKilled {
    private BootUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        var image = LabImage.ensure();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (var vm = GuestVm.builder(image).name("kill-mid-boot").start()) {
                System.out.println("BOOTED");
            } catch (IOException e) {
                e.printStackTrace(System.out);
            }
        });
        while (true) {
            // The guest's QEMU, not the short-lived "qemu-system-x86_64 --version" run before it.
            var qemu = ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().orElse("").contains("qemu-system"))
                    .filter(p -> List.of(p.info().arguments().orElse(new String[0])).contains("gangway-kill-mid-boot"))
                    .findFirst();
            if (qemu.isPresent()) {
                System.out.println("QEMU_PID " + qemu.get().pid());
                System.out.flush();
                Thread.sleep(Duration.ofHours(1));
            }
            Thread.sleep(10);
        }
    }
}
