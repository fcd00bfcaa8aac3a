package dev.gangway.launcher.cli;

import dev.gangway.launcher.image.DockerImage;
import dev.gangway.launcher.lab.LabImage;
import dev.gangway.launcher.lab.LabRequirements;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gangway image build}: builds (or confirms) the cached Docker VM image, or with {@code --lab} the lab
 * guest image.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, name = "build",
        description = "Build the Docker VM image (Debian with docker.io on an ext4 root disk, the lab's kernel, an"
                + " initramfs) into $XDG_CACHE_HOME/gangway/docker-vm, or with --lab the lab guest image (Debian"
                + " kernel + busybox initramfs) into $XDG_CACHE_HOME/gangway/lab. Each is rebuilt only when its"
                + " inputs change.")
public final class ImageBuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--lab", description = "The lab guest image instead of the Docker VM image.")
    boolean lab;

    @Option(names = "--rebuild", description = "Build the Docker VM image afresh even when one for the same inputs"
            + " exists (to take the mirror's updates, or to replace a damaged image).")
    boolean rebuild;

    @Override
    public Integer call() throws IOException {
        if (!lab) {
            return buildDockerImage();
        }
        var missing = LabRequirements.missingPackages();
        if (!missing.isEmpty()) {
            throw new UserError("the lab image needs packages " + String.join(", ", missing) + "; fix: "
                    + LabRequirements.installCommand(missing));
        }
        var out = spec.commandLine().getOut();
        var existing = LabImage.existing();
        if (existing.isPresent()) {
            out.println("lab image up to date: kernel " + existing.get().kernelVersion() + " in " + existing.get().dir());
            return 0;
        }
        LabImage image;
        try {
            image = LabImage.ensure(line -> out.println("lab image: " + line));
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("fix:")) {
                throw new UserError("could not build the lab image: " + e.getMessage(), e);
            }
            throw e;
        }
        out.println("lab image built: kernel " + image.kernelVersion() + " in " + image.dir());
        return 0;
    }

    private int buildDockerImage() throws IOException {
        var out = spec.commandLine().getOut();
        if (rebuild) {
            DockerImage.discard();
        }
        var started = System.nanoTime();
        try {
            var image = DockerImage.ensure(line -> {
                out.printf("image: [%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, line);
                out.flush();
            });
            out.println("Docker VM image ready: kernel " + image.kernelVersion() + " in " + image.dir());
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("fix:")) {
                throw new UserError("could not build the Docker VM image: " + e.getMessage(), e);
            }
            throw e;
        }
        return 0;
    }
}
