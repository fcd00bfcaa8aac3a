package dev.gangway.integration.ninep;

import static dev.gangway.integration.ninep.NinePGuest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.launcher.lab.LabGuestExtension;
import dev.gangway.ninep.share.Ownership;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance 1: the guest kernel mounts shares over TCP and a POSIX behaviour suite runs on them, each
 * result checked on the host side too. {@code /mnt/s}: passthrough, cache=none; {@code /mnt/m}: the same share
 * with cache=mmap (for shared writable mappings); {@code /mnt/p}: a mapped-ownership share.
 */
class NinePPosixIT {
    @RegisterExtension
    static LabGuestExtension guest = LabGuestExtension.withQemuArgs(NinePGuest.QEMU_NET).name("ninep-posix");

    static NinePGuest pass;
    static NinePGuest mapped;

    @BeforeAll
    static void mount() throws Exception {
        pass = NinePGuest.start("s", Ownership.passthrough());
        mapped = NinePGuest.start("p", Ownership.mapped());
        NinePGuest.buildProbe(pass.share);
        var vm = guest.vm();
        NinePGuest.network(vm);
        run(vm, pass.mountCommand("s", "/mnt/s", "none"));
        run(vm, pass.mountCommand("s", "/mnt/m", "mmap"));
        run(vm, mapped.mountCommand("p", "/mnt/p", "none"));
    }

    @AfterAll
    static void unmount() throws Exception {
        if (guest != null) {
            try {
                guest.vm().exec("umount /mnt/s /mnt/m /mnt/p");
            } catch (RuntimeException | java.io.IOException ignored) {
                // The guest is shut down next anyway.
            }
        }
        if (pass != null) {
            pass.close();
        }
        if (mapped != null) {
            mapped.close();
        }
    }

    @Test
    void createReadWriteAppendTruncate() throws Exception {
        var out = run(guest.vm(), """
                cd /mnt/s && mkdir basic && cd basic
                echo hello > f && echo world >> f && cat f
                printf 'abcdef' > t && truncate -s 3 t && cat t && echo
                : > empty && stat -c %s empty
                """);
        assertThat(out).isEqualTo("hello\nworld\nabc\n0\n");
        assertThat(Files.readString(pass.share.resolve("basic/f"))).isEqualTo("hello\nworld\n");
        assertThat(Files.readString(pass.share.resolve("basic/t"))).isEqualTo("abc");
        Files.writeString(pass.share.resolve("basic/fromhost"), "host");
        assertThat(run(guest.vm(), "cat /mnt/s/basic/fromhost")).isEqualTo("host");
    }

    @Test
    void sparseFiles() throws Exception {
        var out = run(guest.vm(), """
                cd /mnt/s && dd if=/dev/zero of=sparse bs=1 count=1 seek=104857600 2>/dev/null
                stat -c '%s' sparse && head -c 4096 sparse | tr -d '\\0' | wc -c
                """);
        assertThat(out).isEqualTo("104857601\n0\n");
        var host = pass.share.resolve("sparse");
        assertThat(Files.size(host)).isEqualTo(104_857_601L);
        assertThat((Long) Files.getAttribute(host, "unix:size")).isEqualTo(104_857_601L);
        var blocks = new ProcessBuilder("stat", "-c", "%b", host.toString()).start();
        assertThat(Long.parseLong(new String(blocks.getInputStream().readAllBytes()).strip())).isLessThan(1024);
    }

    @Test
    void renameOverExistingAndAcrossDirectoriesHardLinksSymlinksDirectories() throws Exception {
        var out = run(guest.vm(), """
                cd /mnt/s && mkdir -p ren/a ren/b && cd ren
                echo one > a/x && echo two > a/y && mv a/x a/y && cat a/y && test ! -e a/x
                mv a/y b/z && cat b/z && test ! -e a/y
                mv a b/a2 && test -d b/a2 && test ! -e a
                ln b/z hard && stat -c %h b/z
                ln -s b/z soft && readlink soft && cat soft
                mkdir -p d1/d2/d3 && rmdir d1/d2/d3 d1/d2 d1 && test ! -e d1
                rm hard && stat -c %h b/z
                """);
        assertThat(out).isEqualTo("one\none\n2\nb/z\none\n1\n");
        assertThat(Files.readString(pass.share.resolve("ren/b/z"))).isEqualTo("one\n");
        assertThat(Files.readSymbolicLink(pass.share.resolve("ren/soft")).toString()).isEqualTo("b/z");
        assertThat(Files.isDirectory(pass.share.resolve("ren/b/a2"))).isTrue();
    }

    @Test
    void readdirOfTenThousandEntries() throws Exception {
        var big = Files.createDirectory(pass.share.resolve("big"));
        for (int i = 0; i < 10_000; i++) {
            Files.createFile(big.resolve("entry-" + i));
        }
        // A shell glob lists with readdir alone (ls would also stat every entry, 10,000 round trips under TCG).
        var out = run(guest.vm(), "cd /mnt/s/big && set -- * && echo $# && printf '%s\\n' * | sort -u | wc -l"
                + " && printf '%s\\n' * | grep -c '^entry-9999$' && ls -ld entry-42 | cut -c1");
        assertThat(out.lines().map(String::strip).toList()).containsExactly("10000", "10000", "1", "-");
    }

    @Test
    void unicodeAnd255ByteNames() throws Exception {
        var long255 = "x".repeat(255);
        var out = run(guest.vm(), "cd /mnt/s && echo u > 'ünïcødé-文件-😀' && echo l > " + long255
                + " && cat 'ünïcødé-文件-😀' " + long255 + " && { (echo no > " + long255 + "y) 2>/dev/null || echo refused; }");
        assertThat(out).isEqualTo("u\nl\nrefused\n");
        assertThat(Files.readString(pass.share.resolve("ünïcødé-文件-😀"))).isEqualTo("u\n");
        assertThat(Files.exists(pass.share.resolve(long255))).isTrue();
    }

    @Test
    void chmodChownUtimesInPassthroughMode() throws Exception {
        var out = run(guest.vm(), """
                cd /mnt/s && echo x > own && chmod 0751 own && chown 1234:4321 own
                touch -d '2001-02-03 04:05:06' own && stat -c '%a %u %g %Y' own
                """);
        var host = pass.share.resolve("own");
        long mtime = Files.getLastModifiedTime(host).toInstant().getEpochSecond();
        assertThat(out.strip()).isEqualTo("751 1234 4321 " + mtime);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(host))).isEqualTo("rwxr-x--x");
        assertThat(Files.getAttribute(host, "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(host, "unix:gid")).isEqualTo(4321);
        assertThat(Instant.ofEpochSecond(mtime).toString()).startsWith("2001-02-03");
        Files.setLastModifiedTime(host, FileTime.from(Instant.parse("2010-01-01T00:00:00Z")));
        assertThat(run(guest.vm(), "stat -c %Y /mnt/s/own").strip()).isEqualTo("1262304000");
    }

    @Test
    void chownAndSpecialFilesStickInMappedMode() throws Exception {
        var out = run(guest.vm(), """
                cd /mnt/p && echo x > own && chown 1234:4321 own && chmod 0640 own && stat -c '%a %u %g' own
                mkdir d && chown 7:8 d && stat -c '%u %g %F' d
                mknod cdev c 1 3 && mkfifo fifo && stat -c '%F %t %T' cdev && stat -c %F fifo
                """);
        assertThat(out).isEqualTo("640 1234 4321\n7 8 directory\ncharacter special file 1 3\nfifo\n");
        // On the host the files stay the server's, regular, with the guest's view in an attribute.
        assertThat(Files.getAttribute(mapped.share.resolve("own"), "unix:uid")).isEqualTo(0);
        assertThat(Files.isRegularFile(mapped.share.resolve("cdev"))).isTrue();
        assertThat(Files.isRegularFile(mapped.share.resolve("fifo"))).isTrue();
        var value = dev.gangway.posix.FileCalls.getxattr(mapped.share.resolve("own").toString(),
                Ownership.Mapped.XATTR);
        assertThat(new String(value, java.nio.charset.StandardCharsets.US_ASCII)).startsWith("1234 4321 ");
    }

    @Test
    void extendedAttributesMmapFsyncStatfs() throws Exception {
        var out = run(guest.vm(), """
                cd /mnt/s && echo x > xa && ./probe xattr xa
                /mnt/m/probe mmap /mnt/m/mapped
                dd if=/dev/zero of=synced bs=4096 count=16 conv=fsync 2>/dev/null && stat -c %s synced
                stat -f -c '%l' /mnt/s
                """);
        assertThat(out).isEqualTo("xattr ok\nmmap ok\n65536\n255\n");
        var mappedBytes = Files.readAllBytes(pass.share.resolve("mapped"));
        assertThat(mappedBytes).hasSize(65536);
        for (int i = 0; i < mappedBytes.length; i++) {
            assertThat(mappedBytes[i]).isEqualTo((byte) (i * 7));
        }
    }

    @Test
    void flockAndFcntlByteRangeLocksIncludingAHostProcess() throws Exception {
        Files.writeString(pass.share.resolve("lockfile"), "0123456789abcdefghij");
        assertThat(run(guest.vm(), "cd /mnt/s && ./probe ranges lockfile && ./probe trylock lockfile"))
                .isEqualTo("ranges ok\nlocked\n");
        var holder = NinePGuest.hostLock(pass.share.resolve("lockfile"));
        try {
            assertThat(new String(holder.getInputStream().readNBytes(7))).isEqualTo("locked\n");
            assertThat(run(guest.vm(), "cd /mnt/s && ./probe trylock lockfile && ./probe flock lockfile"))
                    .isEqualTo("busy\nbusy\n");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(run(guest.vm(), "cd /mnt/s && ./probe trylock lockfile && ./probe flock lockfile"))
                .isEqualTo("locked\nlocked\n");
    }
}
