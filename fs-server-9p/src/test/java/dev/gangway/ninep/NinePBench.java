package dev.gangway.ninep;

import static dev.gangway.posix.FileCalls.O_RDONLY;
import static dev.gangway.posix.FileCalls.O_RDWR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage.*;
import dev.gangway.ninep.server.Limits;
import dev.gangway.ninep.server.NinePServer;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.ninep.transport.NinePListener;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Side-by-side figures, not a test (the name keeps it out of the default run): the same raw 9P client
 * against this server and against diod over loopback TCP, msize 1 MiB. Run with
 * {@code ./mvnw -B -pl fs-server-9p test -Dtest=NinePBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class NinePBench {
    private static final int MSIZE = 1 << 20;
    private static final long FILE = 256L << 20;
    private static final int DEPTH = 4;

    @Test
    void throughputAndMetadataAgainstDiod() throws Exception {
        var dir = Files.createTempDirectory("gangway-9p-bench-");
        try {
            var data = new byte[1 << 20];
            new Random(1).nextBytes(data);
            try (var out = Files.newOutputStream(dir.resolve("big"))) {
                for (long n = 0; n < FILE; n += data.length) {
                    out.write(data);
                }
            }
            for (int i = 0; i < 1000; i++) {
                Files.createFile(dir.resolve("m" + i));
            }
            try (var server = NinePServer.builder().share("b", dir, false).ownership(Ownership.passthrough())
                    .limits(new Limits(MSIZE, 65536, 256, 1 << 20, 256L << 20)).build();
                    var listener = new NinePListener(server)) {
                var address = listener.listenTcp(new InetSocketAddress("127.0.0.1", 0));
                report("gangway", address, "b");
            }
            int port;
            try (var probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            var diod = new ProcessBuilder("/usr/sbin/diod", "-f", "-n", "-N", "-l", "127.0.0.1:" + port, "-e",
                    dir.toString(), "-L", "stderr").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("diod.log").toFile()).start();
            try {
                for (int i = 0; i < 100 && !reachable(port); i++) {
                    Thread.sleep(100);
                }
                report("diod", new InetSocketAddress("127.0.0.1", port), dir.toString());
            } finally {
                diod.destroy();
                diod.waitFor();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean reachable(int port) {
        try (var s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void report(String name, InetSocketAddress address, String aname) throws Exception {
        var reads = new ArrayList<Double>();
        var writes = new ArrayList<Double>();
        var stats = new ArrayList<Double>();
        for (int run = 0; run < 3; run++) {
            try (var c = new NinePTestClient(address)) {
                var v = c.call(new Tversion(MSIZE, "9P2000.L"), Rversion.class);
                c.call(new Tattach(0, -1, "root", aname, 0), Rattach.class);
                int chunk = v.msize() - 24;
                reads.add(stream(c, chunk, false));
                writes.add(stream(c, chunk, true));
                stats.add(metadata(c));
            }
        }
        System.out.printf("%s: sequential read %.0f MB/s, sequential write %.0f MB/s, walk+getattr+clunk %.0f /s"
                + " (medians of 3; reads %s writes %s meta %s)%n", name, median(reads), median(writes),
                median(stats), reads, writes, stats);
    }

    /** Streams the 256 MiB file with DEPTH requests outstanding; returns MB/s. */
    private static double stream(NinePTestClient c, int chunk, boolean write) throws Exception {
        c.call(new Twalk(0, 1, List.of("big")), Rwalk.class);
        c.call(new Tlopen(1, write ? O_RDWR : O_RDONLY), Rlopen.class);
        var payload = new byte[chunk];
        long start = System.nanoTime();
        long sent = 0;
        long done = 0;
        int outstanding = 0;
        while (done < FILE) {
            while (outstanding < DEPTH && sent < FILE) {
                int n = (int) Math.min(chunk, FILE - sent);
                if (write) {
                    c.send(c.nextTag(), new Twrite(1, sent, Unpooled.wrappedBuffer(payload, 0, n)));
                } else {
                    c.send(c.nextTag(), new Tread(1, sent, n));
                }
                sent += n;
                outstanding++;
            }
            var r = c.receive().message();
            outstanding--;
            if (r instanceof Rread rr) {
                done += rr.data().readableBytes();
                rr.data().release();
            } else if (r instanceof Rwrite w) {
                done += w.count();
            } else {
                throw new AssertionError(r);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        c.call(new Tclunk(1), Rclunk.class);
        return FILE / 1e6 / seconds;
    }

    /** One round trip at a time: walk to a file, getattr, clunk; returns operations (of three) per second. */
    private static double metadata(NinePTestClient c) throws Exception {
        long start = System.nanoTime();
        int n = 3000;
        for (int i = 0; i < n; i++) {
            c.call(new Twalk(0, 2, List.of("m" + (i % 1000))), Rwalk.class);
            var a = c.call(new Tgetattr(2, Rgetattr.BASIC), Rgetattr.class);
            assertThat(a.size()).isZero();
            c.call(new Tclunk(2), Rclunk.class);
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
