package dev.gangway.launcher.cli;

import dev.gangway.launcher.lab.GuestException;
import dev.gangway.launcher.lab.GuestVm;
import dev.gangway.launcher.lab.LabImage;
import dev.gangway.launcher.lab.LabRequirements;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gangway vm run --lab [--net user] -- CMD...}: boots the lab guest, runs CMD in it, prints its
 * output, powers the guest off and exits with CMD's exit code. Like {@code docker run}, exit code 125 means
 * Gangway itself failed (the guest did not boot or stopped answering).
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, name = "run",
        description = {"Boot the lab guest, run CMD in it, print its output and exit with its exit code.",
            "CMD's words reach the guest as separate arguments; for pipes or redirections in the guest use "
                    + "-- sh -c 'CMD | ...'.",
            "Exit code 125: the guest did not boot or stopped answering."})
public final class VmRunCommand implements Callable<Integer> {
    /** Exit code when the guest could not boot or run the command (Docker's convention for its own failures). */
    static final int GUEST_FAILED = 125;

    @Spec
    CommandSpec spec;

    @Option(names = "--lab", description = "Boot the lab guest (busybox initramfs, built on demand).")
    boolean lab;

    @Option(names = "--net", defaultValue = "none", paramLabel = "MODE",
            description = "Guest network: none, or user (QEMU user networking, set up by DHCP; "
                    + "the host's loopback is 10.0.2.2). Default: ${DEFAULT-VALUE}.")
    NetMode net;

    @Option(names = "--memory", defaultValue = "512", paramLabel = "MIB", description = "Guest memory in MiB (default ${DEFAULT-VALUE}).")
    int memoryMiB;

    @Option(names = "--cpus", defaultValue = "1", paramLabel = "N", description = "Guest CPUs (default ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "Kill CMD after this many seconds (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command;

    /** The guest networks {@code vm run} can give the lab guest. */
    enum NetMode {
        none,
        user
    }

    @Override
    public Integer call() throws IOException {
        if (!lab) {
            throw new UserError("vm run needs a guest and only the lab guest exists so far; fix: add --lab");
        }
        if (memoryMiB < 64 || cpus < 1 || timeoutSeconds < 1) {
            throw new UserError("--memory must be at least 64, --cpus and --timeout at least 1; fix: raise them");
        }
        var missing = LabRequirements.missingPackages();
        if (!missing.isEmpty()) {
            throw new UserError("the lab guest needs packages " + String.join(", ", missing) + "; fix: "
                    + LabRequirements.installCommand(missing));
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        LabImage image;
        try {
            image = LabImage.ensure(line -> err.println("gangway: lab image: " + line));
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("fix:")) {
                throw new UserError("could not build the lab image: " + e.getMessage(), e);
            }
            throw e;
        }
        var builder = GuestVm.builder(image).name("vm-run").memoryMiB(memoryMiB).cpus(cpus);
        if (net == NetMode.user) {
            builder.qemuArgs("-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile=");
        }
        try (var vm = builder.start()) {
            if (net == NetMode.user) {
                var dhcp = vm.exec("udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 5", Duration.ofSeconds(60));
                if (dhcp.exitCode() != 0) {
                    err.println("gangway: the guest got no DHCP lease on eth0 (exit " + dhcp.exitCode() + "): "
                            + dhcp.output().strip());
                    return GUEST_FAILED;
                }
            }
            var text = new Utf8Text(out);
            int exitCode = vm.execStreaming(shellWords(command), Duration.ofSeconds(timeoutSeconds), text);
            text.finish();
            return exitCode;
        } catch (GuestException e) {
            err.println("gangway: " + e.getMessage());
            return GUEST_FAILED;
        }
    }

    /**
     * Prints byte chunks as UTF-8 text as they arrive; a character split between two chunks is held back
     * until its last byte comes, and bytes that are not UTF-8 print as U+FFFD.
     */
    static final class Utf8Text implements Consumer<byte[]> {
        private final PrintWriter out;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer held = ByteBuffer.allocate(0);
        private final CharBuffer chars = CharBuffer.allocate(8192);

        Utf8Text(PrintWriter out) {
            this.out = out;
        }

        @Override
        public synchronized void accept(byte[] chunk) {
            var input = ByteBuffer.allocate(held.remaining() + chunk.length).put(held).put(chunk).flip();
            decode(input, false);
            held = ByteBuffer.allocate(input.remaining()).put(input).flip();
            out.flush();
        }

        /** Prints what is held back (as U+FFFD if incomplete) and flushes. */
        synchronized void finish() {
            decode(held, true);
            decoder.flush(chars);
            drain();
            out.flush();
        }

        private void decode(ByteBuffer input, boolean endOfInput) {
            while (true) {
                var result = decoder.decode(input, chars, endOfInput);
                drain();
                if (!result.isOverflow()) {
                    return;
                }
            }
        }

        private void drain() {
            chars.flip();
            out.append(chars);
            chars.clear();
        }
    }

    /** Quotes each word for sh so that the guest runs exactly these arguments. */
    static String shellWords(List<String> words) {
        return words.stream().map(VmRunCommand::shellQuote).collect(Collectors.joining(" "));
    }

    static String shellQuote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
