package dev.gangway.integration.ninep;

import static dev.gangway.integration.ninep.NinePGuest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.lab.LabGuestExtension;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.posix.FileCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance 2, 3 and 4 in a lab guest: byte-exact data both ways at the sizes around msize and 64 MiB,
 * git and SQLite (two guest writers and a host writer) on the share, and the escape attempts a guest can
 * make through its own kernel.
 */
class NinePWorkloadsIT {
    private static final String SECRET = "secret-beside-the-share-7f3a";

    @RegisterExtension
    static LabGuestExtension guest = LabGuestExtension.withQemuArgs(NinePGuest.QEMU_NET).name("ninep-workloads");

    static NinePGuest pass;

    @BeforeAll
    static void mount() throws Exception {
        pass = NinePGuest.start("s", Ownership.passthrough());
        Files.writeString(pass.outside.resolve("secret"), SECRET);
        Files.writeString(pass.root.resolve("secret"), SECRET);
        var vm = guest.vm();
        NinePGuest.network(vm);
        run(vm, pass.mountCommand("s", "/mnt/s", "none"));
    }

    @AfterAll
    static void unmount() throws Exception {
        if (pass != null) {
            pass.close();
        }
    }

    private static String sha256(Path file) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            var buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void dataIsByteExactBothWaysAroundMsizeAnd64MiB() throws Exception {
        long[] sizes = {0, 1, NinePGuest.MSIZE - 1, NinePGuest.MSIZE + 1, 64L << 20};
        var in = Files.createDirectory(pass.share.resolve("in"));
        var random = new Random(5);
        var expected = new LinkedHashMap<String, String>();
        for (long size : sizes) {
            var file = in.resolve("h" + size);
            try (var out = Files.newOutputStream(file)) {
                var buf = new byte[1 << 16];
                for (long left = size; left > 0; left -= buf.length) {
                    random.nextBytes(buf);
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                }
            }
            expected.put("h" + size, sha256(file));
        }
        // Large blocks (dd bs=1M): with cache=none each read(2)/write(2) is a round trip, and 4 KiB tools
        // would make 64 MiB cost 16,384 of them under emulation.
        var hostToGuest = new StringBuilder("cd /mnt/s/in");
        for (var name : expected.keySet()) {
            hostToGuest.append(" && echo \"$(dd if=").append(name).append(" bs=1M 2>/dev/null | sha256sum | cut -d' ' -f1)  ")
                    .append(name).append('"');
        }
        var guestSums = run(guest.vm(), hostToGuest.toString(), Duration.ofSeconds(300));
        for (var e : expected.entrySet()) {
            assertThat(guestSums).contains(e.getValue() + "  " + e.getKey());
        }
        // Written in the guest: fresh random bytes for the sizes around msize, a copy through the guest for 64 MiB.
        var script = new StringBuilder("mkdir -p /mnt/s/out && cd /mnt/s/out");
        for (long size : sizes) {
            if (size < (1 << 20)) {
                script.append(" && head -c ").append(size).append(" /dev/urandom > /tmp/g && dd if=/tmp/g of=g")
                        .append(size).append(" bs=1M 2>/dev/null");
            } else {
                script.append(" && dd if=/mnt/s/in/h").append(size).append(" of=g").append(size)
                        .append(" bs=1M 2>/dev/null");
            }
            script.append(" && echo \"$(dd if=/mnt/s/out/g").append(size)
                    .append(" bs=1M 2>/dev/null | sha256sum | cut -d' ' -f1)  g").append(size).append('"');
        }
        var written = run(guest.vm(), script.toString(), Duration.ofSeconds(300));
        for (long size : sizes) {
            var file = pass.share.resolve("out/g" + size);
            assertThat(Files.size(file)).isEqualTo(size);
            assertThat(written).contains(sha256(file) + "  g" + size);
        }
        assertThat(sha256(pass.share.resolve("out/g" + (64L << 20)))).isEqualTo(expected.get("h" + (64L << 20)));
    }

    @Test
    void gitCloneOntoTheShareIsClean() throws Exception {
        var out = run(guest.vm(), """
                set -e
                rm -rf /tmp/repo && mkdir /tmp/repo && cd /tmp/repo && git init -q
                i=1; while [ $i -le 30 ]; do echo "line $i" > f$i; i=$((i + 1)); done
                mkdir -p sub/deeper && echo x > sub/deeper/y && ln -s f1 link && chmod +x f2
                git add -A && git -c user.name=t -c user.email=t@example.com commit -qm init
                git clone -q /tmp/repo /mnt/s/clone && cd /mnt/s/clone
                git status --porcelain && echo status-done && { git fsck --no-progress 2>&1 | grep -v '^Checking' || true; } && echo fsck-done
                git log --oneline | wc -l
                """, Duration.ofSeconds(300));
        assertThat(out).isEqualTo("status-done\nfsck-done\n1\n");
        assertThat(Files.isSymbolicLink(pass.share.resolve("clone/link"))).isTrue();
        assertThat(Files.isExecutable(pass.share.resolve("clone/f2"))).isTrue();
        // A change made on the host shows up in the guest's git status.
        Files.writeString(pass.share.resolve("clone/f3"), "changed on the host\n");
        assertThat(run(guest.vm(), "cd /mnt/s/clone && git status --porcelain")).isEqualTo(" M f3\n");
    }

    @Test
    void sqliteWithTwoGuestWritersAndAHostWriterStaysIntact() throws Exception {
        var db = pass.share.resolve("db.sqlite");
        run(guest.vm(), "cd /mnt/s && sqlite3 db.sqlite 'create table t(id integer primary key, who text, n int);'");
        // The host's own sqlite3 writes at the same time (classic fcntl locks on the host side).
        var host = new ProcessBuilder("bash", "-c", "for i in $(seq 1 50); do sqlite3 -cmd '.timeout 60000' \"$1\""
                + " \"insert into t(who, n) values ('host', $i);\" || exit 1; done; echo 'host done'", "host-writer",
                db.toString()).redirectErrorStream(true).start();
        var out = run(guest.vm(), """
                cd /mnt/s
                w() { i=1; while [ $i -le 50 ]; do sqlite3 -cmd '.timeout 60000' db.sqlite "insert into t(who, n) values('$1', $i);" || echo "insert failed $1 $i"; i=$((i + 1)); done; }
                w a & w b & wait
                sqlite3 -cmd '.timeout 60000' db.sqlite "select who, count(*) from t where who != 'host' group by who;"
                """, Duration.ofSeconds(600));
        assertThat(host.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(host.getInputStream().readAllBytes())).isEqualTo("host done\n");
        assertThat(out).isEqualTo("a|50\nb|50\n");
        assertThat(run(guest.vm(), "cd /mnt/s && sqlite3 db.sqlite 'select count(*) from t; pragma integrity_check;'"))
                .isEqualTo("150\nok\n");
    }

    @Test
    void escapeAttemptsFromTheGuestNeverReachOutside() throws Exception {
        var share = pass.share;
        Files.createSymbolicLink(share.resolve("abs"), pass.outside);
        Files.createSymbolicLink(share.resolve("rel"), Path.of("../outside"));
        Files.createSymbolicLink(share.resolve("absfile"), pass.outside.resolve("secret"));
        Files.createSymbolicLink(share.resolve("relfile"), Path.of("../secret"));
        FileCalls.mknodat(FileCalls.AT_FDCWD, share.resolve("fifo").toString(), FileCalls.S_IFIFO | 0666, 0);
        FileCalls.mknodat(FileCalls.AT_FDCWD, share.resolve("hostdev").toString(), FileCalls.S_IFCHR | 0666,
                FileCalls.makedev(1, 3));
        var out = run(guest.vm(), """
                cd /mnt/s
                for p in abs/secret rel/secret absfile relfile ../secret ../outside/secret /mnt/s/../secret; do
                  cat "$p" 2>/dev/null; done
                ls -a /mnt/s/.. 2>/dev/null | grep -c secret
                readlink absfile; readlink relfile
                ln absfile hardlink 2>/dev/null; ln relfile hardlink2 2>/dev/null; cat hardlink hardlink2 2>/dev/null
                ls -l fifo | cut -c1; (echo through-the-guest-pipe > fifo &); cat fifo
                ls -l hostdev | cut -c1; head -c 10 hostdev | wc -c
                """);
        assertThat(out).doesNotContain(SECRET);
        assertThat(out).isEqualTo("0\n" + pass.outside.resolve("secret") + "\n../secret\np\nthrough-the-guest-pipe\nc\n0\n");
        assertThat(Files.getAttribute(pass.outside.resolve("secret"), "unix:nlink")).isEqualTo(1);
        assertThat(Files.getAttribute(pass.root.resolve("secret"), "unix:nlink")).isEqualTo(1);

        // A directory swapped for a symlink to the outside, over and over, while the guest reads through it.
        var dir = Files.createDirectory(share.resolve("d"));
        Files.writeString(dir.resolve("secret"), "inside");
        var link = Files.createSymbolicLink(share.resolve("swap"), Path.of("../outside"));
        var stop = new AtomicBoolean();
        var swapper = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    FileCalls.renameat2(FileCalls.AT_FDCWD, dir.toString(), FileCalls.AT_FDCWD, link.toString(),
                            FileCalls.RENAME_EXCHANGE);
                } catch (Exception e) {
                    return;
                }
            }
        });
        String raced;
        try {
            raced = run(guest.vm(), "i=0; while [ $i -lt 150 ]; do cat /mnt/s/d/secret 2>/dev/null; echo; i=$((i + 1)); done"
                    + " | sort | uniq -c | sed 's/^ *//'", Duration.ofSeconds(300));
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertThat(raced).doesNotContain(SECRET).contains("inside");
    }
}
