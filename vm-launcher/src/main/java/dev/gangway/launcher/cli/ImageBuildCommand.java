package dev.gangway.launcher.cli;

import dev.gangway.launcher.lab.LabImage;
import dev.gangway.launcher.lab.LabRequirements;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gangway image build --lab}: builds (or confirms) the cached lab guest image. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, name = "build",
        description = "Build the lab guest image (Debian kernel + busybox initramfs) into the cache, "
                + "$XDG_CACHE_HOME/gangway/lab. It is rebuilt only when its inputs change.")
public final class ImageBuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--lab", description = "The lab guest image (the only image so far).")
    boolean lab;

    @Override
    public Integer call() throws IOException {
        if (!lab) {
            throw new UserError("image build needs an image name and only the lab image exists so far; fix: add --lab");
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
}
