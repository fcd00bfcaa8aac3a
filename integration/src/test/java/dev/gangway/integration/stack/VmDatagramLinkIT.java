package dev.gangway.integration.stack;

import dev.gangway.launcher.lab.GuestVm;
import dev.gangway.launcher.lab.LabGuestExtension;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A lab VM with virtio-net on {@code -netdev dgram} (unix datagrams) to the stack. */
class VmDatagramLinkIT extends VmLinkContract {
    @RegisterExtension
    @Order(1)
    static StackFixture stack = new StackFixture();

    @RegisterExtension
    @Order(2)
    static LabGuestExtension guest = LabGuestExtension.withQemuArgs(() -> List.of(
            "-netdev", "dgram,id=n0,local.type=unix,local.path=" + stack.vmDatagramSocket()
                    + ",remote.type=unix,remote.path=" + stack.datagramSocket(),
            "-device", "virtio-net-pci,netdev=n0,romfile="));

    @Override
    GuestVm vm() {
        return guest.vm();
    }
}
