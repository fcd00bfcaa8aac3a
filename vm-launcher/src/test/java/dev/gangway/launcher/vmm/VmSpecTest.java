package dev.gangway.launcher.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmSpecTest {
    @Test
    void memoryMustBeWholeMebibytes() {
        assertThatThrownBy(() -> Specs.docker(Accelerator.TCG).memoryBytes(VmSpec.MIB * 512 + 1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("memory of 536870913 bytes is not a whole number of MiB"
                        + "; fix: give the memory in MiB (e.g. 2048M) or GiB (e.g. 2G)");
        assertThatThrownBy(() -> Specs.docker(Accelerator.TCG).memoryMiB(32).build())
                .hasMessage("memory of 32 MiB is too small for a Linux guest; fix: give at least 64 MiB");
    }

    @Test
    void memorySizesReadAsUsersWriteThem() {
        assertThat(VmSpec.parseMemory("2G")).isEqualTo(2L << 30);
        assertThat(VmSpec.parseMemory("2GiB")).isEqualTo(2L << 30);
        assertThat(VmSpec.parseMemory("1536m")).isEqualTo(1536L << 20);
        assertThat(VmSpec.parseMemory("1536MB")).isEqualTo(1536L << 20);
        assertThat(VmSpec.parseMemory("512")).isEqualTo(512L << 20);
        assertThat(VmSpec.parseMemory("524288K")).isEqualTo(512L << 20);
        assertThatThrownBy(() -> VmSpec.parseMemory("two gigs"))
                .hasMessage("memory size 'two gigs' is not a number with an optional unit; fix: write it like 2G or 1536M");
        assertThatThrownBy(() -> VmSpec.parseMemory("99999999999T")).hasMessageContaining("is too large");
    }

    @Test
    void aKernelAConsoleLogAndAnAcceleratorAreRequired() {
        assertThatThrownBy(() -> Specs.docker(Accelerator.TCG).kernel(null).build())
                .hasMessage("no kernel; fix: give the path of the guest's kernel image");
        assertThatThrownBy(() -> Specs.docker(Accelerator.TCG).consoleLog(null).build())
                .hasMessage("no console log; fix: give the file that receives the guest's console");
        assertThatThrownBy(() -> Specs.docker(null).build()).hasMessageStartingWith("no accelerator; fix:");
    }

    @Test
    void cpusNameTagsAndKernelWordsAreChecked() {
        assertThatThrownBy(() -> Specs.docker(Accelerator.TCG).cpus(0).build())
                .hasMessage("0 CPUs is out of range; fix: give 1 to 255 CPUs");
        assertThatThrownBy(() -> VmSpec.builder("my vm").build()).hasMessageContaining("is not 1-64 of [A-Za-z0-9._-]");
        assertThatThrownBy(() -> Specs.docker(Accelerator.TCG).kernelArgs("a b").build())
                .hasMessageContaining("holds a space or a quote");
        assertThatThrownBy(() -> Specs.docker(Accelerator.TCG).kernelArgs("console=ttyS1").build())
                .hasMessageContaining("sets the console").hasMessageContaining("fix: leave console= out");
        assertThatThrownBy(() -> Specs.docker(Accelerator.TCG)
                .share(Path.of("/a"), "s", VmSpec.ShareDevice.VIRTIO_9P, false)
                .share(Path.of("/b"), "s", VmSpec.ShareDevice.VIRTIO_9P, false).build())
                .hasMessage("two shares have the mount tag 's'; fix: give every share its own tag");
        assertThatThrownBy(() -> Specs.docker(Accelerator.TCG)
                .share(Path.of("/a"), "a/b", VmSpec.ShareDevice.VIRTIO_9P, false).build())
                .hasMessageContaining("mount tag 'a/b'");
    }

    @Test
    void relativePathsBecomeAbsolute() {
        var spec = Specs.docker(Accelerator.TCG).kernel(Path.of("vmlinux")).build();
        assertThat(spec.kernel()).isEqualTo(Path.of("vmlinux").toAbsolutePath());
    }

    @Test
    void macAddressesAreUnicastAndDerivedStably() {
        assertThat(MacAddress.parse("52:54:00:AB:CD:EF").text()).isEqualTo("52:54:00:ab:cd:ef");
        assertThatThrownBy(() -> MacAddress.parse("01:00:5e:00:00:01")).hasMessageContaining("multicast");
        assertThatThrownBy(() -> MacAddress.parse("52-54-00-12-34-56")).hasMessageContaining("six hex pairs");
        var derived = MacAddress.derivedFrom("docker");
        assertThat(derived).isEqualTo(MacAddress.derivedFrom("docker")).isNotEqualTo(MacAddress.derivedFrom("lab"));
        int first = Integer.parseInt(derived.text().substring(0, 2), 16);
        assertThat(first & 0b11).as("locally administered unicast").isEqualTo(0b10);
    }

    @Test
    void hostFilesMustBeThere(@TempDir Path dir) throws Exception {
        var kernel = Files.writeString(dir.resolve("vmlinux"), "k");
        var base = VmSpec.builder("t").accelerator(Accelerator.TCG).kernel(kernel).consoleLog(dir.resolve("c.log"));
        assertThat(base.build().requireHostFiles().kernel()).isEqualTo(kernel);
        assertThatThrownBy(() -> VmSpec.builder("t").accelerator(Accelerator.TCG).kernel(dir.resolve("missing"))
                .consoleLog(dir.resolve("c.log")).build().requireHostFiles())
                .hasMessage("kernel " + dir.resolve("missing") + " does not exist; fix: give the path of a readable kernel");
        assertThatThrownBy(() -> base.share(dir.resolve("nope"), "s", VmSpec.ShareDevice.VIRTIO_9P, false).build()
                .requireHostFiles())
                .hasMessage("shared folder " + dir.resolve("nope") + " is not a folder; fix: give an existing folder");
        assertThatThrownBy(() -> VmSpec.builder("t").accelerator(Accelerator.TCG).kernel(kernel)
                .consoleLog(dir.resolve("no/c.log")).build().requireHostFiles())
                .hasMessageContaining("does not exist; fix: create it first");
    }
}
