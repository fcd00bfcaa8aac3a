package dev.gangway.integration.up;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gangway.launcher.image.DockerImage;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #9's acceptance, as a user runs it: {@code gangway up} with a share, the host's Docker CLI through
 * the {@code gangway} context, published ports, bind mounts, inotify in a container on a host edit, DNS and
 * the outside from a container, {@code down} and {@code up} again, bad input, a VM that dies. One VM for the whole class (TCG: a boot and dockerd's start take
 * about a minute), in a private {@code GANGWAY_HOME} and {@code DOCKER_CONFIG}, on free host ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerVmIT {
    private static final Duration UP_LIMIT = Duration.ofMinutes(12);
    private static final Duration DOCKER_LIMIT = Duration.ofMinutes(5);

    private Path home;
    private Path share;
    private GangwayCli cli;
    private String firstUp;

    @BeforeAll
    void up() throws Exception {
        boolean root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        Assumptions.assumeTrue(root, "the Docker VM image is built with debootstrap, which needs root");
        for (var tool : List.of("docker", "qemu-system-x86_64", "debootstrap", "mke2fs", "tar", "inotifywait", "ldd")) {
            assertThat(onPath(tool)).as(tool + " on PATH (scripts/test installs it)").isTrue();
        }
        home = Files.createTempDirectory(Path.of("/tmp"), "gw-up-");
        share = Files.createDirectory(home.resolve("share"));
        Files.copy(Path.of(System.getProperty("user.dir")).getParent().resolve("README.md"), share.resolve("README.md"));
        cli = new GangwayCli(home);
        var run = cli.gangway(UP_LIMIT, "up", "--share", share.toString(), "--memory", "1536M", "--cpus", "2");
        firstUp = run.output();
        System.out.println("gangway up:\n" + firstUp);
        assertThat(run.exitCode()).as(firstUp + logs()).isZero();
    }

    @AfterAll
    void down() throws Exception {
        if (cli == null) {
            return;
        }
        try {
            cli.gangway(Duration.ofMinutes(2), "down");
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void upReachesReadyPrintsItsTimeAndIsIdempotent() throws Exception {
        assertThat(firstUp).contains("ready").containsPattern("time to ready \\d+\\.\\d s");
        var again = cli.gangway(Duration.ofMinutes(1), "up", "--share", share.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.output()).contains("already running");
        var status = cli.gangway(Duration.ofMinutes(1), "status", "--json");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("\"state\":\"ready\"").contains(share.toString());
    }

    @Test
    @Order(2)
    void importedBusyboxRunsEcho() throws Exception {
        var tar = busyboxTar();
        var imported = cli.docker(DOCKER_LIMIT, "import", tar.toString(), "busybox:local");
        assertThat(imported.exitCode()).as(imported.output()).isZero();
        var run = cli.docker(DOCKER_LIMIT, "run", "--rm", "busybox:local", "echo", "hi");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output().strip()).isEqualTo("hi");
    }

    @Test
    @Order(3)
    void publishedPortServesTheHostAndClosesAfterStop() throws Exception {
        int port = freePort();
        var started = cli.docker(DOCKER_LIMIT, "run", "-d", "--name", "gw-httpd", "-p", port + ":80", "busybox:local",
                "sh", "-c", "mkdir -p /www && echo gangway-page > /www/index.html && exec httpd -f -p 80 -h /www");
        assertThat(started.exitCode()).as(started.output()).isZero();
        var page = poll(Duration.ofSeconds(90), () -> get("http://127.0.0.1:" + port + "/"));
        assertThat(page).isEqualTo("gangway-page\n");
        var stopped = cli.docker(DOCKER_LIMIT, "stop", "-t", "1", "gw-httpd");
        assertThat(stopped.exitCode()).as(stopped.output()).isZero();
        var closed = poll(Duration.ofSeconds(30), () -> refused(port) ? "closed" : null);
        assertThat(closed).isEqualTo("closed");
        cli.docker(DOCKER_LIMIT, "rm", "-f", "gw-httpd");
    }

    @Test
    @Order(4)
    void bindMountReadsAndWritesTheShareAtTheSamePath() throws Exception {
        var dir = share.toString();
        var readme = share.resolve("README.md");
        var sum = cli.docker(DOCKER_LIMIT, "run", "--rm", "-v", dir + ":" + dir, "busybox:local", "sha256sum",
                readme.toString());
        assertThat(sum.exitCode()).as(sum.output()).isZero();
        assertThat(sum.output().strip().split("\\s+")[0]).isEqualTo(sha256(Files.readAllBytes(readme)));
        var written = share.resolve("from-container.txt");
        var write = cli.docker(DOCKER_LIMIT, "run", "--rm", "-v", dir + ":" + dir, "busybox:local", "sh", "-c",
                "seq 1 5000 > " + written);
        assertThat(write.exitCode()).as(write.output()).isZero();
        var expected = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            expected.append(i).append('\n');
        }
        assertThat(Files.readString(written)).isEqualTo(expected.toString());
    }

    /**
     * The watch is on the shared folder, as file watchers (webpack, nodemon, inotifywait -r) set theirs: the
     * events agent keeps the share's folders pinned in the guest, while a file's own inode on a
     * {@code cache=none} 9P mount is looked up afresh, so a watch on the file alone does not see the replay.
     */
    @Test
    @Order(5)
    void aHostEditFiresInotifywaitInAContainer() throws Exception {
        var tar = inotifyTar();
        var imported = cli.docker(DOCKER_LIMIT, "import", tar.toString(), "inotify:local");
        assertThat(imported.exitCode()).as(imported.output()).isZero();
        var watched = share.resolve("watched.txt");
        Files.writeString(watched, "first\n");
        var dir = share.toString();
        var started = cli.docker(DOCKER_LIMIT, "run", "-d", "--name", "gw-inotify", "-v", dir + ":" + dir,
                "inotify:local", "/usr/bin/inotifywait", "-m", "-e", "modify,close_write", "--format", "%e %w%f",
                dir);
        assertThat(started.exitCode()).as(started.output()).isZero();
        try {
            var established = poll(Duration.ofSeconds(60), () -> {
                var logs = cli.docker(DOCKER_LIMIT, "logs", "gw-inotify").output();
                return logs.contains("Watches established") ? logs : null;
            });
            assertThat(established).contains("Watches established");
            Files.writeString(watched, "edited on the host\n", java.nio.file.StandardOpenOption.APPEND);
            var fired = poll(Duration.ofSeconds(60), () -> {
                var logs = cli.docker(DOCKER_LIMIT, "logs", "gw-inotify").output();
                return logs.contains("MODIFY " + watched) ? logs : null;
            });
            assertThat(fired).contains("MODIFY " + watched);
        } finally {
            cli.docker(DOCKER_LIMIT, "rm", "-f", "gw-inotify");
        }
    }

    @Test
    @Order(6)
    void containersResolveHostDockerInternalAndReachHostServers() throws Exception {
        var lookup = cli.docker(DOCKER_LIMIT, "run", "--rm", "busybox:local", "nslookup", "host.docker.internal");
        assertThat(lookup.exitCode()).as(lookup.output()).isZero();
        assertThat(lookup.output()).contains("192.168.65.254");
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), 8);
        server.createContext("/", exchange -> {
            var body = ("host-page from " + exchange.getLocalAddress().getAddress().getHostAddress() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            var viaAlias = cli.docker(DOCKER_LIMIT, "run", "--rm", "busybox:local", "wget", "-qO-",
                    "http://host.docker.internal:" + port + "/");
            assertThat(viaAlias.exitCode()).as(viaAlias.output()).isZero();
            assertThat(viaAlias.output()).contains("host-page from 127.0.0.1");
            var other = hostAddress();
            Assumptions.assumeTrue(other != null, "this host has no non-loopback IPv4 address");
            var viaOther = cli.docker(DOCKER_LIMIT, "run", "--rm", "busybox:local", "wget", "-qO-",
                    "http://" + other + ":" + port + "/");
            assertThat(viaOther.exitCode()).as(viaOther.output()).isZero();
            assertThat(viaOther.output()).contains("host-page from " + other);
        } finally {
            server.stop(0);
        }
    }

    @Test
    @Order(7)
    void downLeavesNothingAndUpAgainKeepsTheImages() throws Exception {
        var down = cli.gangway(Duration.ofMinutes(2), "down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        var left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(home.toString()))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
        assertThat(left).as("processes of this home after down").isEmpty();
        try (Stream<Path> run = Files.list(home.resolve("run"))) {
            assertThat(run.filter(p -> p.getFileName().toString().endsWith(".sock")).toList()).isEmpty();
        }
        var status = cli.gangway(Duration.ofMinutes(1), "status");
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.output()).contains("stopped");

        var up = cli.gangway(UP_LIMIT, "up", "--share", share.toString(), "--memory", "1536M");
        assertThat(up.exitCode()).as(up.output() + logs()).isZero();
        var images = cli.docker(DOCKER_LIMIT, "images", "-q", "busybox:local");
        assertThat(images.exitCode()).as(images.output()).isZero();
        assertThat(images.output().strip()).isNotEmpty();
    }

    @Test
    @Order(8)
    void badInputGivesOneLineWithTheFixAndStartsNothing() throws Exception {
        var other = new GangwayCli(Files.createDirectory(home.resolve("bad")));
        var noShare = other.gangway(Duration.ofMinutes(2), "up", "--share", home.resolve("missing").toString());
        assertOneLineProblem(noShare, "is not an existing folder");

        try (var busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var run = other.gangway(Duration.ofMinutes(2), "up", "--forward", Integer.toString(busy.getLocalPort()));
            assertOneLineProblem(run, "is busy");
        }

        var noQemu = new GangwayCli(other.home()).env("GANGWAY_QEMU", "/nonexistent/qemu-system-x86_64")
                .gangway(Duration.ofMinutes(2), "up");
        assertOneLineProblem(noQemu, "QEMU is not at");

        var cache = Files.createDirectory(home.resolve("cache"));
        var image = DockerImage.existing().orElseThrow();
        damagedCopy(image, cache);
        var corrupt = new GangwayCli(other.home()).env("XDG_CACHE_HOME", cache.toString())
                .gangway(Duration.ofMinutes(2), "up");
        assertOneLineProblem(corrupt, "damaged");
        assertThat(Files.exists(other.home().resolve("run/daemon.pid"))).isFalse();
    }

    @Test
    @Order(9)
    void aVmThatDiesIsReportedItsPortsReleasedAndUpRecovers() throws Exception {
        int port = freePort();
        var started = cli.docker(DOCKER_LIMIT, "run", "-d", "-p", port + ":80", "busybox:local",
                "sh", "-c", "mkdir -p /www && echo before-death > /www/index.html && exec httpd -f -p 80 -h /www");
        assertThat(started.exitCode()).as(started.output()).isZero();
        assertThat(poll(Duration.ofSeconds(90), () -> get("http://127.0.0.1:" + port + "/"))).isEqualTo("before-death\n");

        var json = cli.gangway(Duration.ofMinutes(1), "status", "--json").output();
        var matcher = java.util.regex.Pattern.compile("\"qemuPid\":(\\d+)").matcher(json);
        assertThat(matcher.find()).as(json).isTrue();
        var qemu = ProcessHandle.of(Long.parseLong(matcher.group(1))).orElseThrow();
        assertThat(qemu.info().command().orElse("")).contains("qemu");
        qemu.destroyForcibly();

        var dead = poll(Duration.ofSeconds(60), () -> {
            var status = cli.gangway(Duration.ofMinutes(1), "status");
            return status.exitCode() == 3 ? status.output() : null;
        });
        assertThat(dead).contains("dead").contains("stopped unexpectedly");
        assertThat(poll(Duration.ofSeconds(30), () -> refused(port) ? "closed" : null)).isEqualTo("closed");
        assertThat(home.resolve("run/docker.sock")).doesNotExist();

        var up = cli.gangway(UP_LIMIT, "up", "--share", share.toString(), "--memory", "1536M");
        assertThat(up.exitCode()).as(up.output() + logs()).isZero();
        var run = cli.docker(DOCKER_LIMIT, "run", "--rm", "busybox:local", "echo", "recovered");
        assertThat(run.output().strip()).isEqualTo("recovered");
    }

    private void assertOneLineProblem(GangwayCli.Run run, String problem) {
        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        var lines = run.output().strip().lines().filter(l -> l.startsWith("gangway:")).toList();
        assertThat(lines).as(run.output()).hasSize(1);
        assertThat(lines.getFirst()).contains(problem).contains("fix:");
        var daemons = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(home.resolve("bad").toString()))
                .toList();
        assertThat(daemons).isEmpty();
    }

    /** The lab and Docker VM images seen through links, with a root disk that is not ext4. */
    private static void damagedCopy(DockerImage image, Path cache) throws IOException {
        var gangway = Files.createDirectories(cache.resolve("gangway"));
        var real = image.dir().getParent().getParent();
        Files.createSymbolicLink(gangway.resolve("lab"), real.resolve("lab"));
        Files.createSymbolicLink(gangway.resolve("downloads"), real.resolve("downloads"));
        var copy = Files.createDirectories(gangway.resolve("docker-vm").resolve(image.dir().getFileName()));
        try (Stream<Path> files = Files.list(image.dir())) {
            for (var file : files.toList()) {
                if (!file.getFileName().toString().equals("rootfs.img")) {
                    Files.createSymbolicLink(copy.resolve(file.getFileName()), file);
                }
            }
        }
        Files.write(copy.resolve("rootfs.img"), new byte[64 << 10]);
    }

    private Path busyboxTar() throws Exception {
        var root = Files.createDirectories(home.resolve("busybox-root"));
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox").toRealPath(), root.resolve("bin/busybox"));
        root.resolve("bin/busybox").toFile().setExecutable(true, false);
        var list = new ProcessBuilder("/bin/busybox", "--list").start();
        var applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        list.waitFor();
        for (var applet : applets) {
            if (!applet.equals("busybox") && !applet.isBlank()) {
                Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
            }
        }
        for (var dir : List.of("tmp", "etc", "proc", "sys", "dev", "www")) {
            Files.createDirectories(root.resolve(dir));
        }
        var tar = home.resolve("busybox.tar");
        var packed = cli.run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."), Duration.ofMinutes(1), null);
        assertThat(packed.exitCode()).as(packed.output()).isZero();
        return tar;
    }

    /** busybox plus the host's inotifywait and the libraries it links (ldd), as a root file system tar. */
    private Path inotifyTar() throws Exception {
        var root = home.resolve("busybox-root");
        if (!Files.isDirectory(root)) {
            busyboxTar();
        }
        var ldd = cli.run(List.of("ldd", "/usr/bin/inotifywait"), Duration.ofMinutes(1), null);
        assertThat(ldd.exitCode()).as(ldd.output()).isZero();
        var files = new ArrayList<Path>(List.of(Path.of("/usr/bin/inotifywait")));
        var library = java.util.regex.Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");
        for (var line : ldd.output().lines().toList()) {
            var m = library.matcher(line);
            if (m.find()) {
                files.add(Path.of(m.group(1)));
            }
        }
        for (var file : files) {
            var target = root.resolve(file.toString().substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(file.toRealPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            target.toFile().setExecutable(true, false);
        }
        var tar = home.resolve("inotify.tar");
        var packed = cli.run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."), Duration.ofMinutes(1), null);
        assertThat(packed.exitCode()).as(packed.output()).isZero();
        return tar;
    }

    private String logs() {
        try {
            var log = home.resolve("run/daemon.log");
            var console = home.resolve("run/console.log");
            return "\n--- daemon.log\n" + (Files.exists(log) ? Files.readString(log) : "")
                    + "\n--- console.log (tail)\n" + (Files.exists(console) ? tail(console) : "");
        } catch (IOException e) {
            return "\n(no logs: " + e + ")";
        }
    }

    private static String tail(Path file) throws IOException {
        var lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private interface Probe {
        String attempt() throws Exception;
    }

    /** Repeats {@code probe} until it returns a value or the bound passes; the last failure is the answer. */
    private static String poll(Duration bound, Probe probe) throws Exception {
        var deadline = Instant.now().plus(bound);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                var value = probe.attempt();
                if (value != null) {
                    return value;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        return "no answer within " + bound.toSeconds() + " s" + (last == null ? "" : ": " + last);
    }

    private static String get(String url) throws IOException {
        var connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(10000);
        try (var in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    private static boolean refused(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String hostAddress() throws IOException {
        var found = new ArrayList<String>();
        for (var nif : NetworkInterface.networkInterfaces().toList()) {
            if (nif.isUp() && !nif.isLoopback()) {
                nif.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(a -> found.add(a.getHostAddress()));
            }
        }
        return found.isEmpty() ? null : found.getFirst();
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static boolean onPath(String tool) {
        var path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        return Stream.of(path.split(":")).filter(d -> !d.isEmpty()).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
