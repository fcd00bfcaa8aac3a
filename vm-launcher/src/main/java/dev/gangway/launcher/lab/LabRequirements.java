package dev.gangway.launcher.lab;

import dev.gangway.launcher.host.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The host tools the lab needs to build its image and boot it, each with the Debian package that has it. */
public final class LabRequirements {
    /** Tool → Debian package. */
    static final Map<String, String> TOOLS = tools();

    private LabRequirements() {
    }

    private static Map<String, String> tools() {
        var tools = new LinkedHashMap<String, String>();
        tools.put("qemu-system-x86_64", "qemu-system-x86");
        tools.put("apt-get", "apt");
        tools.put("apt-cache", "apt");
        tools.put("dpkg-deb", "dpkg");
        tools.put("depmod", "kmod");
        tools.put("modprobe", "kmod");
        tools.put("cpio", "cpio");
        tools.put("ldd", "libc-bin");
        tools.put("inotifywait", "inotify-tools");
        tools.put("sqlite3", "sqlite3");
        tools.put("git", "git");
        tools.put("setpriv", "util-linux");
        return tools;
    }

    /** What is missing, as Debian package names (empty when the lab can run here). */
    public static List<String> missingPackages() {
        var missing = new ArrayList<String>();
        if (!Files.isExecutable(Path.of(LabImageInputs.BUSYBOX))) {
            missing.add("busybox-static");
        }
        TOOLS.forEach((tool, debianPackage) -> {
            if (HostCommand.which(tool).isEmpty() && !missing.contains(debianPackage)) {
                missing.add(debianPackage);
            }
        });
        return missing;
    }

    /** The command that installs {@code packages}. */
    public static String installCommand(List<String> packages) {
        return "sudo apt-get install " + String.join(" ", packages);
    }

    /** True when this process runs as root (then a missing prerequisite is a failure, not a skip). */
    public static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
