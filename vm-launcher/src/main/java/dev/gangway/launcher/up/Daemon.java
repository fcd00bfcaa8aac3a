package dev.gangway.launcher.up;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gangway.dns.server.DnsConfig;
import dev.gangway.dns.server.DnsServer;
import dev.gangway.dns.upstream.Transport;
import dev.gangway.forward.ForwarderOptions;
import dev.gangway.forward.ForwarderService;
import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.docker.DockerOptions;
import dev.gangway.forward.relay.RelayLimits;
import dev.gangway.forward.table.ForwardSpec;
import dev.gangway.forward.table.Protocol;
import dev.gangway.launcher.agent.AgentRuntime;
import dev.gangway.launcher.host.HostCommand;
import dev.gangway.launcher.image.DockerImage;
import dev.gangway.launcher.lab.KvmVerdict;
import dev.gangway.launcher.lab.LabImage;
import dev.gangway.launcher.lab.LabRequirements;
import dev.gangway.launcher.qemu.QemuBinary;
import dev.gangway.launcher.vmm.Accelerator;
import dev.gangway.launcher.wiring.SharesWiring;
import dev.gangway.launcher.wiring.StackDialer;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.stack.NetworkConfig;
import dev.gangway.stack.NetworkStack;
import dev.gangway.stack.link.LinkServer;
import dev.gangway.stack.link.LinkSpec;
import dev.gangway.stack.service.ServiceBinding;
import dev.gangway.stack.wire.Ipv4Address;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one JVM behind {@code gangway up}: the stack with DHCP, DNS on the gateway, the 9P server for the
 * shares, the port forwarder (the Docker socket, Docker's published ports, {@code --forward}), and QEMU.
 * Started by {@link Launcher} as {@code java ... Daemon HOME}; it reads {@code run/config.json}, prints
 * progress lines ({@link Progress}) to its log, which {@code up} follows, and answers on its control socket
 * until {@code down}, a signal, or the VM's death ends it. Whatever it started is closed in reverse order.
 */
public final class Daemon implements ControlServer.Handler {
    /** The share that carries the events agent's runtime into the guest (read-only). */
    static final String AGENT_SHARE = "gangway-agent";
    static final String AGENT_LOG = "/var/log/gangway-agent.log";
    static final Duration AGENT_LIMIT = Duration.ofSeconds(120);
    static final int DOCKER_PORT = 2375;
    static final Duration BOOT_LIMIT = Duration.ofMinutes(4);
    static final Duration DOCKERD_LIMIT = Duration.ofMinutes(4);
    static final Duration POWEROFF_GRACE = Duration.ofSeconds(30);

    private final GangwayHome home;
    private final UpConfig config;
    private final PrintStream out;
    private final Instant started = Instant.now();
    private final Deque<AutoCloseable> closers = new ArrayDeque<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ObjectMapper json = new ObjectMapper();
    private volatile String state = "starting";
    private volatile NetworkStack stack;
    private volatile SharesWiring wiring;
    private volatile ForwarderService forwarder;
    private volatile DockerVm vm;
    private volatile String guestAddress;
    private volatile String accel;
    private volatile Duration readyAfter;

    private Daemon(GangwayHome home, UpConfig config, PrintStream out) {
        this.home = home;
        this.config = config;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Daemon HOME (started by 'gangway up')");
            System.exit(2);
        }
        var home = new GangwayHome(Path.of(args[0]));
        var config = new ObjectMapper().readValue(home.configFile().toFile(), UpConfig.class);
        var daemon = new Daemon(home, config, System.out);
        System.exit(daemon.run());
    }

    private int run() {
        try {
            Files.writeString(home.pidFile(), ProcessHandle.current().pid() + "\n");
            Files.deleteIfExists(home.lastExit());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop("signal"), "gangway-daemon-stop"));
            closers.push(ControlServer.start(home.controlSocket(), this));
            start();
        } catch (Exception e) {
            Progress.failed(out, oneLine(e));
            stop("failed to start: " + oneLine(e));
            return 1;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void start() throws Exception {
        var qemu = qemuBinary(Path.of(config.qemu()));
        var image = DockerImage.at(Path.of(config.image())).verified();

        var network = NetworkConfig.defaults();
        var gateway = Ipv4Address.toInet(network.gateway());
        stack = NetworkStack.start(network, null, line -> out.println("net: " + line));
        closers.push(stack);
        closers.push(LinkServer.open(LinkSpec.parse("qemu:unix:" + home.linkSocket()), stack, stack.group(),
                stack.epoll()));
        Progress.step(out, started, "network " + Ipv4Address.format(network.network()) + "/" + network.prefixLength()
                + ": gateway " + gateway.getHostAddress() + " with DHCP, host loopback at "
                + Ipv4Address.format(network.hostAlias()));

        var dnsConfig = DnsConfig.builder().gateway(gateway).hostAlias(Ipv4Address.toInet(network.hostAlias())).build();
        var dnsTransport = Transport.create(1, "gangway-dns");
        var dns = new DnsServer(dnsConfig, dnsTransport);
        closers.push(dnsTransport);
        closers.push(dns);
        closers.push(stack.services().listen(gateway, 53, dev.gangway.stack.service.Protocol.UDP,
                dns.datagramInitializer()));
        closers.push(stack.services().listen(gateway, 53, dev.gangway.stack.service.Protocol.TCP,
                dns.streamInitializer()));
        Progress.step(out, started, "DNS on " + gateway.getHostAddress() + ":53 (host.docker.internal, upstreams "
                + dns.upstreams() + ")");

        var shares = new LinkedHashMap<String, Path>();
        var exported = new ArrayList<SharesWiring.Share>();
        for (var share : config.shares()) {
            var name = "s" + shares.size();
            shares.put(name, Path.of(share));
            exported.add(SharesWiring.Share.watched(name, Path.of(share)));
        }
        AgentRuntime agent = null;
        if (!shares.isEmpty()) {
            agent = AgentRuntime.ensure(Path.of(System.getProperty("java.home")),
                    line -> Progress.step(out, started, "events agent: " + line));
            exported.add(SharesWiring.Share.readOnly(AGENT_SHARE, agent.dir()));
        }
        var wiring = SharesWiring.start(stack.services(), exported, SharesWiring.Options.defaults()
                .withGateway(gateway).withOwnership(LabRequirements.runningAsRoot() ? Ownership.passthrough() : Ownership.mapped()));
        closers.push(wiring);
        this.wiring = wiring;
        Progress.step(out, started, "9P server on " + gateway.getHostAddress() + ":" + SharesWiring.NINEP_PORT
                + (shares.isEmpty() ? " (no shares)" : " for " + String.join(", ",
                        shares.values().stream().map(Path::toString).toList()) + "; file events on "
                        + gateway.getHostAddress() + ":" + SharesWiring.AGENT_PORT));

        dataDisk();
        var command = DockerVm.commandLine(qemu, accel(qemu), image, home, config);
        Progress.step(out, started, "booting the VM (" + accel + ", " + config.cpus() + " CPUs, "
                + config.memoryMiB() + " MiB)");
        vm = DockerVm.boot(command, home, BOOT_LIMIT);
        closers.push(() -> vm.powerOff(POWEROFF_GRACE));
        vm.process().onExit().thenRun(this::vmExited);
        Progress.step(out, started, "VM booted in " + seconds(vm.bootTime()) + " (QEMU pid " + vm.process().pid() + ")");

        var address = vm.exec("ip -4 -o addr show dev eth0", 20).text();
        var matcher = java.util.regex.Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/").matcher(address);
        if (!matcher.find()) {
            throw new IOException("the VM got no address by DHCP: " + address.strip() + "; console: "
                    + DockerVm.lastLines(home.consoleLog()));
        }
        guestAddress = matcher.group(1);
        Progress.step(out, started, "VM address " + guestAddress + " (DHCP)");

        var mounts = new LinkedHashMap<String, String>();
        for (var share : shares.entrySet()) {
            var path = quote(share.getValue().toString());
            var result = vm.exec("mkdir -p " + path + " && mount -t 9p -o " + wiring.mountOptions(share.getKey())
                    + " " + gateway.getHostAddress() + " " + path, 60);
            if (result.status() != 0) {
                throw new IOException("mounting share " + share.getValue() + " in the VM failed: " + result.text().strip());
            }
            mounts.put(share.getKey(), share.getValue().toString());
            Progress.step(out, started, "share " + share.getValue() + " mounted at the same path in the VM (9P)");
        }

        var guest = InetAddress.getByName(guestAddress);
        var dialer = StackDialer.of(stack);
        closers.push(dialer);
        var sources = new SourceAddressPolicy(Ipv4Address.toInet(network.hostAlias()), null);
        forwarder = ForwarderService.start(dialer, home.apiSocket(),
                new ForwarderOptions(sources, RelayLimits.DEFAULT, null));
        closers.push(forwarder);
        forwarder.forwarder().open(new ForwardSpec(Protocol.UNIX, UnixDomainSocketAddress.of(home.dockerSocket()),
                new InetSocketAddress(guest, DOCKER_PORT)), "gangway up").get(30, TimeUnit.SECONDS);
        for (var forward : config.forwards()) {
            var spec = Forwards.parse(forward, guest);
            forwarder.forwarder().open(spec, "gangway up --forward").get(30, TimeUnit.SECONDS);
            Progress.step(out, started, "forward " + spec.hostText() + " -> " + spec.guestText());
        }

        waitForDockerd();
        if (agent != null) {
            // After dockerd: the agent's JVM starting beside dockerd's containerd slows both under TCG.
            startAgent(wiring, mounts);
        }
        var publisher = new dev.gangway.forward.docker.DockerPublisher(forwarder.forwarder(), dialer,
                DockerOptions.forGuest(guest), sources);
        publisher.start();
        closers.push(publisher);
        Progress.step(out, started, "Docker API on " + home.dockerSocket() + "; published ports follow the"
                + " containers");

        DockerContext.createOrUpdate(home.dockerSocket(), line -> Progress.step(out, started, line));
        readyAfter = Duration.between(started, Instant.now());
        state = "ready";
        Files.writeString(home.stateFile(), status() + "\n");
        Progress.ready(out, started, home.dockerSocket());
    }

    /**
     * Mounts the agent's runtime read-only at {@link AgentRuntime#GUEST_PATH} and starts the agent in a respawn
     * loop (it keeps its place in its state file); waits, within a bound, for it to connect to the bridge.
     * An agent that does not connect costs file events, not the VM: that is a progress line, not a failure.
     */
    private void startAgent(SharesWiring wiring, Map<String, String> mounts) throws IOException, InterruptedException {
        var gateway = wiring.ninePAddress().getAddress().getHostAddress();
        var mount = vm.exec("mkdir -p " + AgentRuntime.GUEST_PATH + " && mount -t 9p -o "
                + wiring.mountOptions(AGENT_SHARE) + " " + gateway + " " + AgentRuntime.GUEST_PATH, 60);
        if (mount.status() != 0) {
            throw new IOException("mounting the events agent's runtime in the VM failed: " + mount.text().strip());
        }
        var command = AgentRuntime.GUEST_PATH + "/bin/gangway-agent " + String.join(" ",
                wiring.agentArguments(mounts, "/var/lib/gangway-agent.state").stream().map(Daemon::quote).toList());
        vm.exec("cat >/run/gangway/agent-loop <<'EOF'\n"
                + "while true; do\n"
                + "  " + command + " >>" + AGENT_LOG + " 2>&1\n"
                + "  echo \"gangway-agent exited with $?\" >>" + AGENT_LOG + "\n"
                + "  sleep 1\n"
                + "done\n"
                + "EOF\n"
                + "setsid sh /run/gangway/agent-loop </dev/null >/dev/null 2>&1 &", 20);
        var bridge = wiring.bridge().orElseThrow();
        var deadline = Instant.now().plus(AGENT_LIMIT);
        while (bridge.streamService().stats().sessions() < 1) {
            if (Instant.now().isAfter(deadline)) {
                var log = vm.exec("tail -n 3 " + AGENT_LOG, 10).text().strip().replace('\n', '|');
                Progress.step(out, started, "events agent not connected within " + AGENT_LIMIT.toSeconds()
                        + " s (file events off until it does); its log: " + log);
                return;
            }
            Thread.sleep(200);
        }
        Progress.step(out, started, "events agent connected: host edits of the shares fire inotify in the VM");
    }

    /** Polls the forwarded Docker socket with {@code GET /_ping} until dockerd answers OK. */
    private void waitForDockerd() throws IOException, InterruptedException {
        var deadline = Instant.now().plus(DOCKERD_LIMIT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!vm.process().isAlive()) {
                throw new IOException("the VM stopped while dockerd started: " + DockerVm.lastLines(home.consoleLog()));
            }
            var answer = DockerPing.ping(home.dockerSocket());
            if (answer.ok()) {
                Progress.step(out, started, "dockerd answers (" + answer.detail() + ")");
                return;
            }
            last = answer.detail();
            Thread.sleep(500);
        }
        var log = vm.exec("tail -n 5 /var/log/dockerd.log", 10).text().strip().replace('\n', '|');
        throw new IOException("dockerd did not answer within " + DOCKERD_LIMIT.toSeconds() + " s (" + last
                + "); its log: " + log);
    }

    private void dataDisk() throws IOException {
        var disk = home.dataDisk();
        if (Files.isRegularFile(disk)) {
            if (!DockerImage.isExt4(disk)) {
                throw new IOException("the data disk " + disk + " is not ext4; fix: remove it (its images and volumes"
                        + " are lost) and run gangway up again");
            }
            Progress.step(out, started, "data disk " + disk + " (" + (Files.size(disk) >> 30) + " GiB, sparse)");
            return;
        }
        var staged = disk.resolveSibling("data.img.new");
        Files.deleteIfExists(staged);
        HostCommand.of("truncate", "-s", config.dataDiskGiB() + "G", staged.toString()).run();
        HostCommand.of("mke2fs", "-q", "-F", "-t", "ext4", "-L", "gangway-data", staged.toString()).run();
        Files.move(staged, disk, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Progress.step(out, started, "data disk " + disk + " created (" + config.dataDiskGiB() + " GiB, sparse, ext4)");
    }

    /** The binary {@code up} chose, with its version (the KVM verdict is cached per QEMU version). */
    static QemuBinary qemuBinary(Path path) throws IOException {
        var found = QemuBinary.find();
        if (found.isPresent() && found.get().path().equals(path)) {
            return found.get();
        }
        var first = HostCommand.of(path.toString(), "--version").timeout(Duration.ofSeconds(20)).run()
                .lines().findFirst().orElse("").strip();
        return new QemuBinary(path, first.replaceFirst("^QEMU emulator version\\s*", ""));
    }

    /** KVM when a lab guest really boots with it here (or GANGWAY_ACCEL says so), else TCG. */
    private Accelerator accel(QemuBinary qemu) throws IOException {
        var forced = System.getenv().getOrDefault("GANGWAY_ACCEL", "").strip().toLowerCase(java.util.Locale.ROOT);
        boolean kvm;
        if (!forced.isEmpty()) {
            kvm = forced.equals("kvm");
        } else {
            kvm = KvmVerdict.devKvmAccessible() && KvmVerdict.of(qemu, LabImage.ensure(line -> { })).usable();
        }
        accel = kvm ? "KVM" : "TCG";
        return kvm ? Accelerator.KVM : Accelerator.TCG;
    }

    private void vmExited() {
        if (stopping.get()) {
            return;
        }
        var code = vm.process().exitValue();
        var reason = "the VM stopped unexpectedly (QEMU exit code " + code + "); console: "
                + DockerVm.lastLines(home.consoleLog());
        out.println("vm: " + reason);
        Thread.ofPlatform().name("gangway-vm-died").start(() -> {
            stop(reason);
            System.exit(1);
        });
    }

    /** Closes everything in reverse order of start, once; {@code reason} is kept when it is not a down. */
    private void stop(String reason) {
        if (!stopping.compareAndSet(false, true)) {
            try {
                stopped.await(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        state = "stopping";
        out.println("daemon: stopping (" + reason + ")");
        try {
            if (!reason.equals("down")) {
                Files.writeString(home.lastExit(), Instant.now() + " " + reason + "\n");
            }
        } catch (IOException ignored) {
            // The reason is in the log too.
        }
        while (!closers.isEmpty()) {
            try {
                closers.pop().close();
            } catch (Exception e) {
                out.println("daemon: while stopping: " + oneLine(e));
            }
        }
        for (var file : List.of(home.dockerSocket(), home.apiSocket(), home.linkSocket(), home.channelSocket(),
                home.stateFile(), home.pidFile())) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Best effort: status treats stale files as such.
            }
        }
        out.println("daemon: stopped");
        out.flush();
        stopped.countDown();
    }

    @Override
    public void down() {
        Thread.ofPlatform().name("gangway-down").start(() -> {
            stop("down");
            System.exit(0);
        });
    }

    @Override
    public String status() {
        var status = new LinkedHashMap<String, Object>();
        status.put("state", state);
        status.put("pid", ProcessHandle.current().pid());
        var machine = vm;
        status.put("qemuPid", machine == null ? null : machine.process().pid());
        status.put("vmAlive", machine != null && machine.process().isAlive());
        status.put("accel", accel);
        status.put("cpus", config.cpus());
        status.put("memoryMiB", config.memoryMiB());
        status.put("guestAddress", guestAddress);
        status.put("dockerSocket", home.dockerSocket().toString());
        status.put("startedAt", started.toString());
        status.put("bootSeconds", machine == null ? null : machine.bootTime().toMillis() / 1000.0);
        status.put("readySeconds", readyAfter == null ? null : readyAfter.toMillis() / 1000.0);
        status.put("shares", config.shares());
        var forwards = new ArrayList<Map<String, Object>>();
        var service = forwarder;
        if (service != null) {
            for (var forward : service.forwarder().list()) {
                var entry = new LinkedHashMap<String, Object>();
                entry.put("protocol", forward.spec().protocol().wireName());
                entry.put("host", forward.spec().hostText());
                entry.put("guest", forward.spec().guestText());
                entry.put("origin", forward.origin());
                forwards.add(entry);
            }
        }
        status.put("forwards", forwards);
        var counters = new LinkedHashMap<String, Object>();
        var network = stack;
        if (network != null) {
            counters.putAll(network.counters().snapshot());
        }
        var shared = wiring;
        if (shared != null) {
            var files = shared.ninePServer();
            counters.put("9p.connections", files.stats().connections());
            counters.put("9p.requests", files.stats().requests());
            counters.put("9p.errors", files.stats().errors());
            shared.bridge().ifPresent(bridge -> counters.put("events.sessions",
                    bridge.streamService().stats().sessions()));
        }
        status.put("counters", counters);
        try {
            return json.writeValueAsString(status);
        } catch (IOException e) {
            return "{\"state\":\"" + state + "\"}";
        }
    }

    @Override
    public int exec(String command, long limitSeconds, OutputStream sink) throws IOException {
        var machine = vm;
        if (machine == null || !"ready".equals(state)) {
            var message = "the VM is not ready (" + state + ")\n";
            frame(sink, message.getBytes(StandardCharsets.UTF_8));
            return 125;
        }
        try {
            var result = machine.channel().stream(command, limitSeconds, chunk -> {
                try {
                    frame(sink, chunk);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(limitSeconds + 15, TimeUnit.SECONDS);
            return result.status();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            frame(sink, ("gangway: the command failed in the VM: " + e + "\n").getBytes(StandardCharsets.UTF_8));
            return 125;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static void frame(OutputStream sink, byte[] bytes) throws IOException {
        synchronized (sink) {
            sink.write(("O " + bytes.length + "\n").getBytes(StandardCharsets.US_ASCII));
            sink.write(bytes);
            sink.flush();
        }
    }

    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    static String oneLine(Throwable e) {
        var message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

}
