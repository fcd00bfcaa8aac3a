package dev.gangway.launcher.agent;

import dev.gangway.launcher.host.HostCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One build of the agent runtime into a folder that must not exist yet (see the package documentation). */
final class AgentRuntimeBuild {
    /** {@code ldd} lines naming a resolved library: {@code libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)}. */
    private static final Pattern LDD_LINE = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+(/\\S+)\\s+\\(0x[0-9a-f]+\\)$");
    /** The dynamic loader and the libc it belongs to are the guest's own; never carried. */
    private static final Set<String> GUEST_OWN = Set.of("ld-linux-x86-64.so.2", "libc.so.6");

    private final AgentRuntimeInputs inputs;
    private final Consumer<String> progress;

    AgentRuntimeBuild(AgentRuntimeInputs inputs, Consumer<String> progress) {
        this.inputs = inputs;
        this.progress = progress;
    }

    void buildInto(Path out) throws IOException {
        progress.accept("jlink " + String.join(",", AgentRuntimeInputs.MODULES) + " from " + inputs.jdk());
        // Linking from the JDK's run-time image; the default CDS archive makes the guest's JVM start from
        // mapped classes instead of parsing java.base under emulation.
        HostCommand.of(inputs.jdk().resolve("bin/jlink").toString(),
                "--add-modules", String.join(",", AgentRuntimeInputs.MODULES),
                "--strip-debug", "--no-man-pages", "--no-header-files", "--generate-cds-archive",
                "--output", out.toString()).timeout(Duration.ofMinutes(5)).run();
        // The archive for heaps beyond 32 GiB (uncompressed oops); the agent's heap is 64 MiB.
        Files.deleteIfExists(out.resolve("lib/server/classes_nocoops.jsa"));
        // jlink's own helpers the agent never runs (it starts no processes and no jexec binaries).
        Files.deleteIfExists(out.resolve("lib/jexec"));
        Files.deleteIfExists(out.resolve("lib/jspawnhelper"));

        var sysroot = Files.createDirectories(out.resolve("lib/sysroot"));
        var libraries = libraries(out);
        progress.accept("carrying " + libraries.size() + " C libraries: " + String.join(" ", libraries.keySet()));
        for (var library : libraries.entrySet()) {
            Files.copy(library.getValue(), sysroot.resolve(library.getKey()), StandardCopyOption.COPY_ATTRIBUTES);
        }

        var agent = Files.createDirectories(out.resolve("agent"));
        var names = List.of("gangway-fsevents-bridge.jar", "gangway-posix.jar");
        for (int i = 0; i < names.size(); i++) {
            var source = inputs.classPath().get(i);
            if (Files.isDirectory(source)) {
                jar(source, agent.resolve(names.get(i)));
            } else {
                Files.copy(source, agent.resolve(names.get(i)));
            }
        }

        var launcher = out.resolve("bin/gangway-agent");
        Files.writeString(launcher, inputs.script());
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        smokeTest(launcher);
        Files.writeString(out.resolve(AgentRuntime.COMPLETE), inputs.describe());
    }

    /** The agent with no arguments must get as far as its usage line (exit 2): classes load, the JVM runs. */
    private void smokeTest(Path launcher) throws IOException {
        var result = HostCommand.of(launcher.toString()).timeout(Duration.ofMinutes(1)).execute();
        if (result.exitCode() != 2 || !result.stderr().contains("usage:")) {
            throw new IOException("the agent runtime does not run the agent: " + launcher + " exited with "
                    + result.exitCode() + ": " + result.stderr().strip() + result.stdout().strip());
        }
        progress.accept("smoke test: the agent answers with its usage line");
    }

    /** The C libraries every ELF file of the runtime needs, by soname, except the guest's own libc and loader. */
    private static TreeMap<String, Path> libraries(Path runtime) throws IOException {
        var elfs = new ArrayList<Path>();
        try (Stream<Path> files = Files.walk(runtime)) {
            for (var file : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (isElf(file)) {
                    elfs.add(file);
                }
            }
        }
        var bySoname = new TreeMap<String, Path>();
        for (var elf : elfs) {
            for (var line : HostCommand.of("ldd", elf.toString()).run().lines().toList()) {
                var m = LDD_LINE.matcher(line);
                if (m.matches() && !GUEST_OWN.contains(m.group(1)) && !m.group(2).startsWith(runtime.toString())) {
                    bySoname.put(m.group(1), Path.of(m.group(2)).toRealPath());
                }
            }
        }
        return bySoname;
    }

    /** The resolved paths of the libraries {@code elfs} link against (for the inputs' fingerprint). */
    static List<Path> linkedLibraries(List<Path> elfs) throws IOException {
        var found = new TreeSet<Path>();
        for (var elf : elfs) {
            if (!Files.isRegularFile(elf)) {
                continue;
            }
            for (var line : HostCommand.of("ldd", elf.toString()).run().lines().toList()) {
                var m = LDD_LINE.matcher(line);
                if (m.matches()) {
                    found.add(Path.of(m.group(2)).toRealPath());
                }
            }
        }
        return List.copyOf(found);
    }

    private static boolean isElf(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            var magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        }
    }

    /** A jar of a classes folder, entries sorted and time-stamped at the epoch so the bytes are reproducible. */
    static void jar(Path classes, Path jar) throws IOException {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar); var out = new JarOutputStream(file, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (var path : files.filter(Files::isRegularFile).sorted().toList()) {
                var name = classes.relativize(path).toString().replace('\\', '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                var entry = new JarEntry(name);
                entry.setLastModifiedTime(FileTime.fromMillis(0));
                out.putNextEntry(entry);
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }

}
