package dev.gangway.ninep.server;

import static dev.gangway.ninep.ServerFixture.read;
import static dev.gangway.ninep.ServerFixture.utf8;
import static dev.gangway.ninep.ServerFixture.walk;
import static dev.gangway.ninep.ServerFixture.write;
import static dev.gangway.posix.FileCalls.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.ninep.NinePTestClient;
import dev.gangway.ninep.ServerFixture;
import dev.gangway.ninep.protocol.DirEntry;
import dev.gangway.ninep.protocol.NinePCodec;
import dev.gangway.ninep.protocol.Qid;
import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage.*;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.posix.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class NinePServerTest {
    @TempDir
    Path dir;
    ServerFixture fx;
    NinePTestClient c;
    final List<MutationListener.Mutation> mutations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(dev.gangway.ninep.server.NinePServer.builder().share("s", dir, false)
                .mutationListener(mutations::add).build());
        c = fx.attached();
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        fx.close();
    }

    @Test
    void versionNegotiatesTheSmallerMsizeAndRefusesUnknownShares() throws Exception {
        try (var other = new NinePTestClient(fx.address)) {
            assertThat(other.rpc(new Tversion(8 << 20, "9P2000.L"))).isEqualTo(new Rversion(1 << 20, "9P2000.L"));
            assertThat(other.rpc(new Tversion(8192, "9P2000"))).isEqualTo(new Rversion(8192, "unknown"));
            assertThat(other.error(new Tattach(0, -1, "u", "nope", 0))).isEqualTo(Errno.ENOENT);
        }
    }

    @Test
    void createWriteReadAppendTruncate() throws Exception {
        walk(c, 0, 1);
        var created = c.call(new Tlcreate(1, "f", O_RDWR, 0640, 0), Rlcreate.class);
        assertThat(created.qid().type()).isEqualTo(Qid.FILE);
        write(c, 1, 0, utf8("hello world"));
        assertThat(read(c, 1, 6, 100)).isEqualTo(utf8("world"));
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("hello world");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("f")))).isEqualTo("rw-r-----");
        c.call(new Tclunk(1), Rclunk.class);

        walk(c, 0, 2, "f");
        c.call(new Tlopen(2, O_WRONLY | O_APPEND), Rlopen.class);
        write(c, 2, 0, utf8("!"));
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("hello world!");
        c.call(new Tsetattr(2, Tsetattr.SIZE, 0, 0, 0, 5, 0, 0, 0, 0), Rsetattr.class);
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("hello");
        // Sparse: a write far beyond the end leaves a hole that reads as zeros.
        walk(c, 0, 3, "f");
        c.call(new Tlopen(3, O_RDWR), Rlopen.class);
        write(c, 3, 1 << 20, utf8("end"));
        assertThat(read(c, 3, 1000, 10)).isEqualTo(new byte[10]);
        var attr = c.call(new Tgetattr(2, Rgetattr.BASIC), Rgetattr.class);
        assertThat(attr.size()).isEqualTo((1 << 20) + 3);
        assertThat(attr.blocks() * 512).isLessThan(1 << 20);
        c.call(new Tfsync(2, 0), Rfsync.class);
        assertThat(mutations).extracting(MutationListener.Mutation::path).contains("f");
        assertThat(mutations).extracting(MutationListener.Mutation::kind)
                .contains(MutationListener.Kind.CREATE, MutationListener.Kind.WRITE, MutationListener.Kind.TRUNCATE);
    }

    @Test
    void readdirOfTenThousandEntriesIsCompleteWithStableCookies() throws Exception {
        Files.createDirectory(dir.resolve("big"));
        for (int i = 0; i < 10_000; i++) {
            Files.createFile(dir.resolve("big").resolve("entry-" + i));
        }
        walk(c, 0, 1, "big");
        c.call(new Tlopen(1, O_RDONLY | O_DIRECTORY), Rlopen.class);
        var names = new HashSet<String>();
        var cookies = new ArrayList<Long>();
        long offset = 0;
        while (true) {
            var r = c.call(new Treaddir(1, offset, 8192), Rreaddir.class);
            List<DirEntry> entries = NinePCodec.decodeDirEntries(r.data());
            if (entries.isEmpty()) {
                break;
            }
            for (var e : entries) {
                assertThat(names.add(e.name())).as("duplicate %s", e.name()).isTrue();
            }
            offset = entries.getLast().offset();
            cookies.add(offset);
        }
        assertThat(names).hasSize(10_002).contains(".", "..", "entry-0", "entry-9999");
        // A cookie handed out earlier still continues from the same place after the directory changed.
        long middle = cookies.get(cookies.size() / 2);
        var first = NinePCodec.decodeDirEntries(c.call(new Treaddir(1, middle, 8192), Rreaddir.class).data());
        Files.createFile(dir.resolve("big").resolve("late"));
        var again = NinePCodec.decodeDirEntries(c.call(new Treaddir(1, middle, 8192), Rreaddir.class).data());
        assertThat(again).isEqualTo(first);
    }

    @Test
    void renameOverExistingAndAcrossDirectories() throws Exception {
        Files.writeString(dir.resolve("a"), "A");
        Files.writeString(dir.resolve("b"), "B");
        Files.createDirectory(dir.resolve("d"));
        c.call(new Trenameat(0, "a", 0, "b"), Rrenameat.class);
        assertThat(Files.readString(dir.resolve("b"))).isEqualTo("A");
        assertThat(dir.resolve("a")).doesNotExist();
        walk(c, 0, 1, "d");
        c.call(new Trenameat(0, "b", 1, "moved"), Rrenameat.class);
        assertThat(Files.readString(dir.resolve("d/moved"))).isEqualTo("A");
        // The events bridge hears of it with share-relative paths and the attaching uid.
        assertThat(mutations).contains(new MutationListener.Mutation("s", MutationListener.Kind.RENAME, 0, "b", "d/moved"));
        // Trename (the older form) on a walked fid.
        walk(c, 0, 2, "d", "moved");
        c.call(new Trename(2, 0, "back"), Rrename.class);
        assertThat(Files.readString(dir.resolve("back"))).isEqualTo("A");
        assertThat(c.error(new Trenameat(0, "missing", 0, "x"))).isEqualTo(Errno.ENOENT);
    }

    @Test
    void linksSymlinksDirectoriesAndUnlink() throws Exception {
        Files.writeString(dir.resolve("f"), "data");
        walk(c, 0, 1, "f");
        c.call(new Tlink(0, 1, "hard"), Rlink.class);
        assertThat(Files.getAttribute(dir.resolve("hard"), "unix:nlink")).isEqualTo(2);
        var qid = c.call(new Tsymlink(0, "sym", "f", 0), Rsymlink.class).qid();
        assertThat(qid.type()).isEqualTo(Qid.SYMLINK);
        walk(c, 0, 2, "sym");
        assertThat(c.call(new Treadlink(2), Rreadlink.class).target()).isEqualTo("f");
        assertThat(Files.readSymbolicLink(dir.resolve("sym"))).isEqualTo(Path.of("f"));
        assertThat(c.call(new Tmkdir(0, "sub", 0750, 0), Rmkdir.class).qid().type()).isEqualTo(Qid.DIR);
        Files.writeString(dir.resolve("sub/x"), "");
        assertThat(c.error(new Tunlinkat(0, "sub", Tunlinkat.AT_REMOVEDIR))).isEqualTo(Errno.ENOTEMPTY);
        c.call(new Tunlinkat(0, "hard", 0), Runlinkat.class);
        assertThat(dir.resolve("hard")).doesNotExist();
        walk(c, 0, 3, "sub", "x");
        c.call(new Tremove(3), Rremove.class);
        c.call(new Tunlinkat(0, "sub", Tunlinkat.AT_REMOVEDIR), Runlinkat.class);
        assertThat(dir.resolve("sub")).doesNotExist();
        // qid.path is the same for a file however it is reached.
        assertThat(walk(c, 0, 4, "f")).isEqualTo(walk(c, 0, 5, "f"));
    }

    @Test
    void unicodeAndLongNames() throws Exception {
        walk(c, 0, 1);
        var name255 = "n".repeat(255);
        c.call(new Tlcreate(1, name255, O_RDWR, 0644, 0), Rlcreate.class);
        assertThat(dir.resolve(name255)).exists();
        walk(c, 0, 2);
        c.call(new Tlcreate(2, "ünïcødé-文件-😀", O_RDWR, 0644, 0), Rlcreate.class);
        assertThat(dir.resolve("ünïcødé-文件-😀")).exists();
        walk(c, 0, 3);
        assertThat(c.error(new Tlcreate(3, "n".repeat(256), O_RDWR, 0644, 0))).isEqualTo(Errno.ENAMETOOLONG);
    }

    @Test
    void attributesChmodChownUtimesStatfs() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        walk(c, 0, 1, "f");
        c.call(new Tsetattr(1, Tsetattr.MODE | Tsetattr.UID | Tsetattr.GID, 0604, 1234, 4321, 0, 0, 0, 0, 0),
                Rsetattr.class);
        var a = c.call(new Tgetattr(1, Rgetattr.BASIC), Rgetattr.class);
        assertThat(a.mode()).isEqualTo(S_IFREG | 0604);
        assertThat(a.uid()).isEqualTo(1234);
        assertThat(a.gid()).isEqualTo(4321);
        assertThat(Files.getAttribute(dir.resolve("f"), "unix:uid")).isEqualTo(1234);
        c.call(new Tsetattr(1, Tsetattr.ATIME | Tsetattr.ATIME_SET | Tsetattr.MTIME | Tsetattr.MTIME_SET, 0, 0, 0, 0,
                1_000_000, 5, 2_000_000, 7), Rsetattr.class);
        a = c.call(new Tgetattr(1, Rgetattr.BASIC), Rgetattr.class);
        assertThat(a.mtimeSec()).isEqualTo(2_000_000);
        assertThat(a.mtimeNsec()).isEqualTo(7);
        assertThat(a.atimeSec()).isEqualTo(1_000_000);
        var fs = c.call(new Tstatfs(0), Rstatfs.class);
        assertThat(fs.namelen()).isEqualTo(255);
        assertThat(fs.blocks()).isPositive();
    }

    @Test
    void extendedAttributes() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        walk(c, 0, 1, "f");
        c.call(new Txattrcreate(1, "user.color", 4, 0), Rxattrcreate.class);
        write(c, 1, 0, utf8("blue"));
        c.call(new Tclunk(1), Rclunk.class);
        walk(c, 0, 2, "f");
        assertThat(c.call(new Txattrwalk(2, 3, "user.color"), Rxattrwalk.class).size()).isEqualTo(4);
        assertThat(read(c, 3, 0, 100)).isEqualTo(utf8("blue"));
        assertThat(c.call(new Txattrwalk(2, 4, ""), Rxattrwalk.class).size()).isEqualTo("user.color\0".length());
        assertThat(read(c, 4, 0, 100)).isEqualTo(utf8("user.color\0"));
        walk(c, 0, 5, "f");
        c.call(new Txattrcreate(5, "user.color", 0, XATTR_REPLACE), Rxattrcreate.class);
        c.call(new Tclunk(5), Rclunk.class);
        assertThat(c.error(new Txattrwalk(2, 6, "user.color"))).isEqualTo(Errno.ENODATA);
        assertThat(c.error(new Txattrcreate(2, "user.big", 1 << 20, 0))).isEqualTo(Errno.E2BIG);
    }

    @Test
    void byteRangeLocksConflictBetweenOwnersAndWithHostProcesses() throws Exception {
        Files.writeString(dir.resolve("db"), "0123456789");
        walk(c, 0, 1, "db");
        c.call(new Tlopen(1, O_RDWR), Rlopen.class);
        walk(c, 0, 2, "db");
        c.call(new Tlopen(2, O_RDWR), Rlopen.class);
        assertThat(c.call(new Tlock(1, Tlock.WRLCK, 0, 0, 5, 100, "vm"), Rlock.class).status()).isEqualTo(Rlock.SUCCESS);
        // Another guest process: conflicts on the range, not beyond it.
        assertThat(c.call(new Tlock(2, Tlock.RDLCK, 0, 2, 1, 200, "vm"), Rlock.class).status()).isEqualTo(Rlock.BLOCKED);
        assertThat(c.call(new Tlock(2, Tlock.WRLCK, 0, 5, 5, 200, "vm"), Rlock.class).status()).isEqualTo(Rlock.SUCCESS);
        // The same process may extend its own lock.
        assertThat(c.call(new Tlock(2, Tlock.WRLCK, 0, 0, 3, 100, "vm"), Rlock.class).status()).isEqualTo(Rlock.SUCCESS);
        var held = c.call(new Tgetlock(2, Tlock.WRLCK, 0, 0, 200, "vm"), Rgetlock.class);
        assertThat(held.lockType()).isEqualTo(Tlock.WRLCK);
        assertThat(held.start()).isZero();
        // A host process sees the guest's lock (a classic fcntl lock conflicts with open file description locks).
        var host = dev.gangway.ninep.HostLockProcess.start(dir.resolve("db"), "try");
        assertThat(new String(host.getInputStream().readAllBytes()).strip()).isEqualTo("busy");
        assertThat(c.call(new Tlock(1, Tlock.UNLCK, 0, 0, 0, 100, "vm"), Rlock.class).status()).isEqualTo(Rlock.SUCCESS);
        assertThat(c.call(new Tlock(2, Tlock.UNLCK, 0, 0, 0, 200, "vm"), Rlock.class).status()).isEqualTo(Rlock.SUCCESS);
        // And the guest sees a host process's lock.
        var holder = dev.gangway.ninep.HostLockProcess.start(dir.resolve("db"), "hold");
        try {
            assertThat(new String(holder.getInputStream().readNBytes(7))).isEqualTo("locked\n");
            assertThat(c.call(new Tlock(1, Tlock.WRLCK, 0, 0, 0, 300, "vm"), Rlock.class).status())
                    .isEqualTo(Rlock.BLOCKED);
            var g = c.call(new Tgetlock(1, Tlock.RDLCK, 0, 0, 300, "vm"), Rgetlock.class);
            assertThat(g.lockType()).isEqualTo(Tlock.WRLCK);
            assertThat(g.procId()).isEqualTo((int) holder.pid());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(c.call(new Tlock(1, Tlock.WRLCK, 0, 0, 0, 300, "vm"), Rlock.class).status()).isEqualTo(Rlock.SUCCESS);
    }

    @Test
    void blockingLockWaitsUntilGrantedOrFlushed() throws Exception {
        Files.writeString(dir.resolve("db"), "0123456789");
        walk(c, 0, 1, "db");
        c.call(new Tlopen(1, O_RDWR), Rlopen.class);
        walk(c, 0, 2, "db");
        c.call(new Tlopen(2, O_RDWR), Rlopen.class);
        assertThat(c.call(new Tlock(1, Tlock.WRLCK, 0, 0, 0, 100, "vm"), Rlock.class).status()).isEqualTo(Rlock.SUCCESS);
        // Owner 200 asks to wait; the server answers it only once owner 100 lets go.
        int waiting = c.nextTag();
        c.send(waiting, new Tlock(2, Tlock.WRLCK, Tlock.FLAG_BLOCK, 0, 0, 200, "vm"));
        int unlock = c.nextTag();
        c.send(unlock, new Tlock(1, Tlock.UNLCK, 0, 0, 0, 100, "vm"));
        var first = c.receive();
        assertThat(first.tag()).isEqualTo(unlock);
        var granted = c.receive();
        assertThat(granted.tag()).isEqualTo(waiting);
        assertThat(granted.message()).isEqualTo(new Rlock(Rlock.SUCCESS));
        // A waiter that is flushed (the guest process was interrupted) stops waiting: it is answered BLOCKED
        // before the Rflush, or not at all if the flush caught it before it started.
        int blocked = c.nextTag();
        c.send(blocked, new Tlock(1, Tlock.WRLCK, Tlock.FLAG_BLOCK, 0, 0, 300, "vm"));
        c.call(new Tgetattr(1, Rgetattr.BASIC), Rgetattr.class);
        int flush = c.nextTag();
        c.send(flush, new Tflush(blocked));
        var reply = c.receive();
        if (reply.tag() == blocked) {
            assertThat(reply.message()).isEqualTo(new Rlock(Rlock.BLOCKED));
            reply = c.receive();
        }
        assertThat(reply.tag()).isEqualTo(flush);
        assertThat(reply.message()).isInstanceOf(Rflush.class);
    }

    @Test
    void requestsArePipelinedAndFlushIsAnswered() throws Exception {
        Files.write(dir.resolve("f"), new byte[100_000]);
        walk(c, 0, 1, "f");
        c.call(new Tlopen(1, O_RDONLY), Rlopen.class);
        var tags = new HashSet<Integer>();
        for (int i = 0; i < 100; i++) {
            int tag = c.nextTag();
            tags.add(tag);
            c.send(tag, new Tread(1, i * 1000L, 1000));
        }
        int flushedTag = tags.iterator().next();
        int flushTag = c.nextTag();
        c.send(flushTag, new Tflush(flushedTag));
        var others = new HashSet<>(tags);
        others.remove(flushedTag);
        var seen = new HashSet<Integer>();
        boolean flushed = false;
        while (!flushed || !seen.containsAll(others)) {
            var r = c.receive();
            if (r.tag() == flushTag) {
                assertThat(r.message()).isInstanceOf(Rflush.class);
                flushed = true;
            } else {
                assertThat(flushed && r.tag() == flushedTag).as("no reply to the flushed tag after Rflush").isFalse();
                assertThat(r.message()).isInstanceOf(Rread.class);
                ((Rread) r.message()).data().release();
                seen.add(r.tag());
            }
        }
        assertThat(tags).containsAll(seen);
        // Flushing a tag that is not outstanding is answered at once.
        assertThat(c.rpc(new Tflush(4242))).isInstanceOf(Rflush.class);
    }

    @Test
    void badFidsAndOperationsGetErrnos() throws Exception {
        assertThat(c.error(new Tgetattr(99, Rgetattr.BASIC))).isEqualTo(Errno.EBADF);
        assertThat(c.error(new Tattach(0, -1, "u", "s", 0))).isEqualTo(Errno.EEXIST);
        assertThat(c.error(new Tread(0, 0, 10))).isEqualTo(Errno.EBADF);
        assertThat(c.error(new Twalk(0, 1, List.of("missing")))).isEqualTo(Errno.ENOENT);
        Files.writeString(dir.resolve("f"), "x");
        walk(c, 0, 1, "f");
        assertThat(c.error(new Twalk(1, 2, List.of("x")))).isEqualTo(Errno.ENOTDIR);
        assertThat(c.error(new Tauth(5, "u", "s", 0))).isEqualTo(Errno.EOPNOTSUPP);
    }

    @Test
    void readOnlyShareRefusesEveryWrite(@TempDir Path ro) throws Exception {
        Files.writeString(ro.resolve("f"), "x");
        try (var rofx = ServerFixture.of(ro, true, Ownership.passthrough()); var r = rofx.attached()) {
            walk(r, 0, 1, "f");
            assertThat(r.error(new Tlopen(1, O_RDWR))).isEqualTo(Errno.EROFS);
            assertThat(r.error(new Tlopen(1, O_RDONLY | O_TRUNC))).isEqualTo(Errno.EROFS);
            r.call(new Tlopen(1, O_RDONLY), Rlopen.class);
            assertThat(read(r, 1, 0, 10)).isEqualTo(utf8("x"));
            assertThat(r.error(new Twrite(1, 0, io.netty.buffer.Unpooled.wrappedBuffer(utf8("y"))))).isEqualTo(Errno.EBADF);
            walk(r, 0, 2);
            assertThat(r.error(new Tlcreate(2, "n", O_RDWR, 0644, 0))).isEqualTo(Errno.EROFS);
            assertThat(r.error(new Tmkdir(0, "d", 0755, 0))).isEqualTo(Errno.EROFS);
            assertThat(r.error(new Tsymlink(0, "l", "f", 0))).isEqualTo(Errno.EROFS);
            assertThat(r.error(new Tmknod(0, "p", S_IFIFO | 0644, 0, 0, 0))).isEqualTo(Errno.EROFS);
            assertThat(r.error(new Trenameat(0, "f", 0, "g"))).isEqualTo(Errno.EROFS);
            assertThat(r.error(new Tunlinkat(0, "f", 0))).isEqualTo(Errno.EROFS);
            assertThat(r.error(new Tlink(0, 1, "h"))).isEqualTo(Errno.EROFS);
            assertThat(r.error(new Tsetattr(1, Tsetattr.MODE, 0777, 0, 0, 0, 0, 0, 0, 0))).isEqualTo(Errno.EROFS);
            assertThat(r.error(new Txattrcreate(1, "user.x", 1, 0))).isEqualTo(Errno.EROFS);
            walk(r, 0, 3, "f");
            assertThat(r.error(new Tremove(3))).isEqualTo(Errno.EROFS);
            assertThat(Files.readString(ro.resolve("f"))).isEqualTo("x");
            assertThat(Files.list(ro).count()).isEqualTo(1);
        }
    }

    @Test
    void mappedOwnershipIsKeptInAnAttributeAndShownBack(@TempDir Path m) throws Exception {
        try (var mfx = ServerFixture.of(m, false, Ownership.mapped()); var r = mfx.attached("s", 1000)) {
            walk(r, 0, 1);
            r.call(new Tlcreate(1, "f", O_RDWR, 0640, 1000), Rlcreate.class);
            walk(r, 0, 2, "f");
            var a = r.call(new Tgetattr(2, Rgetattr.BASIC), Rgetattr.class);
            assertThat(a.uid()).isEqualTo(1000);
            assertThat(a.gid()).isEqualTo(1000);
            assertThat(a.mode()).isEqualTo(S_IFREG | 0640);
            r.call(new Tsetattr(2, Tsetattr.UID | Tsetattr.GID | Tsetattr.MODE, 0400, 0, 50, 0, 0, 0, 0, 0), Rsetattr.class);
            a = r.call(new Tgetattr(2, Rgetattr.BASIC), Rgetattr.class);
            assertThat(a.uid()).isZero();
            assertThat(a.gid()).isEqualTo(50);
            assertThat(a.mode()).isEqualTo(S_IFREG | 0400);
            // The host file stays the server's own and readable by it.
            assertThat(Files.getAttribute(m.resolve("f"), "unix:uid")).isEqualTo(0);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(m.resolve("f")))).isEqualTo("rw-------");
            // A device node is a regular host file whose type and number are in the attribute.
            r.call(new Tmknod(0, "null", S_IFCHR | 0666, 1, 3, 0), Rmknod.class);
            assertThat(Files.isRegularFile(m.resolve("null"))).isTrue();
            walk(r, 0, 3, "null");
            a = r.call(new Tgetattr(3, Rgetattr.BASIC), Rgetattr.class);
            assertThat(a.mode()).isEqualTo(S_IFCHR | 0666);
            assertThat(a.rdev()).isEqualTo(makedev(1, 3));
            assertThat(r.error(new Tlopen(3, O_RDONLY))).isEqualTo(Errno.EACCES);
            // The attribute is not visible to the guest.
            assertThat(r.call(new Txattrwalk(2, 4, ""), Rxattrwalk.class).size()).isZero();
            assertThat(r.error(new Txattrcreate(2, Ownership.Mapped.XATTR, 1, 0))).isEqualTo(Errno.EPERM);
        }
    }
}
