package dev.gangway.integration.stack;

import dev.gangway.launcher.lab.GuestVm;
import dev.gangway.launcher.lab.LabGuestExtension;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A lab VM with virtio-net on {@code -netdev stream} (QEMU's length-prefixed frames) to the stack. */
class VmStreamLinkIT extends VmLinkContract {
    @RegisterExtension
    @Order(1)
    static StackFixture stack = new StackFixture();

    @RegisterExtension
    @Order(2)
    static LabGuestExtension guest = LabGuestExtension.withQemuArgs(() -> List.of(
            "-netdev", "stream,id=n0,server=off,addr.type=unix,addr.path=" + stack.streamSocket(),
            "-device", "virtio-net-pci,netdev=n0,romfile="));

    @Override
    GuestVm vm() {
        return guest.vm();
    }
}
