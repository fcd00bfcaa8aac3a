package dev.gangway.launcher.agent;

import dev.gangway.fsevents.agent.GuestAgent;
import dev.gangway.launcher.host.FileTrees;
import dev.gangway.posix.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything the agent runtime is made from; it is rebuilt exactly when {@link #hash()} changes.
 *
 * @param jdk the JDK whose {@code jlink} links the runtime (linking from its run-time image: Temurin 25 ships
 *            no {@code jmods})
 * @param jdkRelease the text of its {@code release} file
 * @param script the launch script
 * @param classPath the agent's class path in order: the fsevents-bridge classes, then the posix classes (each a
 *                  jar, or a classes folder when running from a build tree)
 * @param classDigest a digest of the class path's contents
 * @param nativeLibraries the C libraries the JDK's launcher and VM link against, as {@code path@size:mtime}
 */
record AgentRuntimeInputs(Path jdk, String jdkRelease, String script, List<Path> classPath, String classDigest,
        List<String> nativeLibraries) {
    /** Raise when {@link AgentRuntimeBuild} makes a different runtime from the same inputs. */
    static final int RECIPE = 1;
    /** The modules the agent needs: sockets, files and {@code java.lang.foreign} are all in {@code java.base}. */
    static final List<String> MODULES = List.of("java.base");

    /** {@code gangway.agent.jdk} if set, else the JDK this JVM runs on. */
    static Path defaultJdk() {
        var property = System.getProperty("gangway.agent.jdk");
        return Path.of(property != null && !property.isBlank() ? property : System.getProperty("java.home"));
    }

    String hash() {
        return FileTrees.inputHash(List.of("recipe " + RECIPE, jdk.toString(), jdkRelease, script, classDigest,
                    String.join(",", MODULES), String.join(",", nativeLibraries)));
    }

    String describe() {
        return "jdk=" + jdk + "\nmodules=" + String.join(",", MODULES) + "\nclass-path=" + classPath
                + "\nclass-digest=" + classDigest + "\nnative-libraries=" + String.join(",", nativeLibraries)
                + "\nrecipe=" + RECIPE + "\nhash=" + hash() + "\n"
                + jdkRelease.lines().filter(l -> l.startsWith("JAVA_RUNTIME_VERSION") || l.startsWith("IMPLEMENTOR="))
                        .reduce("", (a, b) -> a + b + "\n");
    }

    static AgentRuntimeInputs resolve(Path jdk) throws IOException {
        var jlink = jdk.resolve("bin/jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IOException("the guest agent runtime is linked with jlink, and " + jdk
                    + " has none (a JRE?); fix: run with a JDK 25, or set -Dgangway.agent.jdk=/path/to/jdk-25");
        }
        var release = Files.readString(jdk.resolve("release"));
        var classPath = List.of(codeSource(GuestAgent.class), codeSource(Libc.class));
        var digest = digest(classPath);
        var libraries = new ArrayList<String>();
        for (var library : AgentRuntimeBuild.linkedLibraries(List.of(jdk.resolve("bin/java"),
                jdk.resolve("lib/libjli.so"), jdk.resolve("lib/server/libjvm.so"), jdk.resolve("lib/libnet.so")))) {
            libraries.add(library + "@" + Files.size(library) + ":" + Files.getLastModifiedTime(library).toMillis());
        }
        return new AgentRuntimeInputs(jdk, release, resource("gangway-agent.sh"), classPath, digest, libraries);
    }

    static String resource(String name) {
        try (InputStream in = AgentRuntimeInputs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar (or classes folder) {@code type} was loaded from. */
    static Path codeSource(Class<?> type) throws IOException {
        var source = type.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IOException("cannot tell where " + type.getName() + " was loaded from");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot tell where " + type.getName() + " was loaded from: " + e.getMessage(), e);
        }
    }

    private static String digest(List<Path> classPath) throws IOException {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            for (var entry : classPath) {
                if (Files.isDirectory(entry)) {
                    try (Stream<Path> files = Files.walk(entry)) {
                        for (var file : files.filter(Files::isRegularFile).sorted().toList()) {
                            digest.update(entry.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                            digest.update(Files.readAllBytes(file));
                        }
                    }
                } else {
                    digest.update(Files.readAllBytes(entry));
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
