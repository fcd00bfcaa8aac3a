package dev.gangway.ninep.server;

import static dev.gangway.posix.FileCalls.*;

import dev.gangway.ninep.protocol.DirEntry;
import dev.gangway.ninep.protocol.MessageType;
import dev.gangway.ninep.protocol.Qid;
import dev.gangway.ninep.protocol.Rmessage;
import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage;
import dev.gangway.ninep.protocol.Tmessage.*;
import dev.gangway.ninep.server.MutationListener.Kind;
import dev.gangway.ninep.server.MutationListener.Mutation;
import dev.gangway.ninep.share.Attributes;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.ninep.share.QidMap;
import dev.gangway.ninep.share.ShareRoot;
import dev.gangway.posix.Errno;
import dev.gangway.posix.FileCalls;
import dev.gangway.posix.FileStat;
import dev.gangway.posix.PosixException;
import dev.gangway.posix.RangeLock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What each request does, one method per message, on the request's virtual thread. {@link #handle} is an
 * exhaustive switch over the request family: a new message type does not compile until it is handled here.
 * Every host file is reached through {@link ShareRoot}; blocking file I/O happens only here, never on an
 * event loop.
 */
final class Operations {
    private static final int RREAD_HEADER = MessageType.HEADER_SIZE + 4;
    /** DT_* values for Rreaddir entries. */
    private static final int DT_DIR = 4;
    private static final int DT_LNK = 10;

    private final Session session;
    private final NinePServer server;
    private final Ownership ownership;
    private final QidMap qids;

    Operations(Session session) {
        this.session = session;
        this.server = session.server;
        this.ownership = server.ownership;
        this.qids = server.qids;
    }

    /** Serves {@code m}; {@code flushed} turns true when the client no longer waits for the answer. */
    Rmessage handle(Tmessage m, BooleanSupplier flushed) throws PosixException {
        return switch (m) {
            case Tversion v -> throw new IllegalStateException("Tversion is handled by the session");
            case Tflush f -> throw new IllegalStateException("Tflush is handled by the session");
            case Tauth a -> throw new PosixException("Tauth: no authentication needed", Errno.EOPNOTSUPP);
            case Tattach a -> attach(a);
            case Twalk w -> walk(w);
            case Tread r -> read(r);
            case Twrite w -> write(w);
            case Tclunk c -> clunk(c);
            case Tremove r -> remove(r);
            case Tstatfs s -> statfs(s);
            case Tlopen o -> lopen(o);
            case Tlcreate c -> lcreate(c);
            case Tsymlink s -> symlink(s);
            case Tmknod k -> mknod(k);
            case Trename r -> rename(r);
            case Treadlink r -> readlink(r);
            case Tgetattr g -> getattr(g);
            case Tsetattr s -> setattr(s);
            case Txattrwalk x -> xattrwalk(x);
            case Txattrcreate x -> xattrcreate(x);
            case Treaddir r -> readdir(r);
            case Tfsync f -> fsync(f);
            case Tlock l -> lock(l, flushed);
            case Tgetlock l -> getlock(l);
            case Tlink l -> link(l);
            case Tmkdir d -> mkdir(d);
            case Trenameat r -> renameat(r);
            case Tunlinkat u -> unlinkat(u);
        };
    }

    private Rmessage attach(Tattach a) throws PosixException {
        var share = server.share(a.aname());
        if (share == null) {
            throw new PosixException("no share " + a.aname(), Errno.ENOENT);
        }
        var root = server.root(share).retain();
        var attach = new Fid.Attach(share, a.nUname(), root, server.replay.isAgent(share, a.nUname()));
        session.add(new Fid(a.fid(), attach, session, root, null, ""));
        return new Rattach(root.qid);
    }

    private Rmessage walk(Twalk w) throws PosixException {
        try (var from = session.acquire(w.fid())) {
            if (w.newfid() != w.fid() && session.hasFid(w.newfid())) {
                throw new PosixException("newfid in use", Errno.EEXIST);
            }
            Node node;
            Node parent;
            String name;
            synchronized (from) {
                if (from.xattrValue != null || from.xattrWrite != null) {
                    throw new PosixException("walk from an xattr fid", Errno.EBADF);
                }
                node = from.node.retain();
                parent = from.parent == null ? null : from.parent.retain();
                name = from.name;
            }
            var share = from.attach.share();
            var found = new ArrayList<Qid>(w.names().size());
            try {
                for (var element : w.names()) {
                    if (!node.isDirectory()) {
                        throw new PosixException("walk", Errno.ENOTDIR);
                    }
                    Node next = from.attach.agent() ? server.replay.step(share, node, element) : lookup(share, node, element);
                    if (parent != null) {
                        parent.release();
                    }
                    parent = node;
                    node = next;
                    name = element;
                    found.add(next.qid);
                }
            } catch (PosixException e) {
                node.release();
                if (parent != null) {
                    parent.release();
                }
                if (found.isEmpty()) {
                    throw e;
                }
                return new Rwalk(List.copyOf(found));
            }
            var fid = new Fid(w.newfid(), from.attach, session, node, parent, name);
            if (w.newfid() == w.fid()) {
                session.replace(fid);
            } else {
                session.add(fid);
            }
            return new Rwalk(List.copyOf(found));
        }
    }

    private Node lookup(ShareRoot share, Node dir, String name) throws PosixException {
        return Node.lookup(share, dir, name, qids);
    }

    /** The events bridge's agent changes nothing on the host: its creations and removals are replays. */
    private static void refuseAgent(Fid fid) throws PosixException {
        if (fid.attach.agent()) {
            throw new PosixException("the events agent does not change host data", Errno.EROFS);
        }
    }

    private Rmessage clunk(Tclunk c) throws PosixException {
        try (var fid = session.remove(c.fid())) {
            synchronized (fid) {
                if (fid.xattrWrite != null) {
                    commitXattr(fid, fid.xattrWrite);
                }
            }
            return new Rclunk();
        }
    }

    private Rmessage remove(Tremove r) throws PosixException {
        try (var fid = session.remove(r.fid())) {
            Node parent;
            String name;
            synchronized (fid) {
                parent = fid.parent;
                name = fid.name;
            }
            if (parent == null) {
                throw new PosixException("remove of a share root", Errno.EBUSY);
            }
            if (fid.attach.agent()) {
                server.replay.completed(fid);
                return new Rremove();
            }
            fid.attach.share().checkWritable();
            FileCalls.unlinkat(parent.fd, name, fid.node.isDirectory() ? AT_REMOVEDIR : 0);
            mutated(fid, Kind.REMOVE, parent.fd, name, -1, null);
            return new Rremove();
        }
    }

    private Rmessage statfs(Tstatfs s) throws PosixException {
        try (var fid = session.acquire(s.fid())) {
            var st = FileCalls.fstatfs(fid.node.fd);
            return new Rstatfs((int) st.type(), (int) st.bsize(), st.blocks(), st.bfree(), st.bavail(), st.files(),
                    st.ffree(), st.fsid(), (int) st.namelen());
        }
    }

    private Rmessage lopen(Tlopen o) throws PosixException {
        try (var fid = session.acquire(o.fid())) {
            if (fid.node.isGhost()) {
                throw new PosixException("open of an entry the host no longer has", Errno.ENOENT);
            }
            if ((o.flags() & (O_ACCMODE | O_TRUNC)) != O_RDONLY) {
                refuseAgent(fid);
            }
            synchronized (fid) {
                if (fid.openFd >= 0 || fid.xattrValue != null || fid.xattrWrite != null) {
                    throw new PosixException("fid already open", Errno.EBADF);
                }
                var st = fid.node.stat();
                var attrs = ownership.attributes(fid.node.fd, st);
                if ((attrs.mode() & S_IFMT) != st.type()) {
                    // A mapped special file: its data on the host is not the guest's to open.
                    throw new PosixException("open of a special file", Errno.EACCES);
                }
                int flags = o.flags();
                if (st.isDirectory()) {
                    flags = O_RDONLY | O_DIRECTORY;
                }
                fid.openFd = fid.attach.share().open(fid.node.fd, st, flags);
                fid.openFlags = flags;
                if ((flags & O_TRUNC) != 0) {
                    mutated(fid, Kind.TRUNCATE, fid.node.fd, null, -1, null);
                }
                return new Rlopen(fid.node.qid, 0);
            }
        }
    }

    private Rmessage lcreate(Tlcreate c) throws PosixException {
        try (var fid = session.acquire(c.fid())) {
            refuseAgent(fid);
            synchronized (fid) {
                if (fid.openFd >= 0 || !fid.node.isDirectory()) {
                    throw new PosixException("create in a non-directory", Errno.ENOTDIR);
                }
                var share = fid.attach.share();
                int fd = share.create(fid.node.fd, c.name(), c.flags(), ownership.hostMode(c.mode(), false));
                Node created;
                try {
                    int pathFd = ShareRoot.pathOf(fd);
                    var st = FileCalls.statx(pathFd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
                    created = Node.adopt(pathFd, st, qids.qid(st));
                    ownership.created(pathFd, st, S_IFREG | (c.mode() & 07777), fid.attach.uid(), c.gid(), 0);
                } catch (PosixException | RuntimeException e) {
                    FileCalls.closeQuietly(fd);
                    throw e;
                }
                if (fid.parent != null) {
                    fid.parent.release();
                }
                fid.parent = fid.node;
                fid.node = created;
                fid.name = c.name();
                fid.openFd = fd;
                fid.openFlags = c.flags();
                mutated(fid, Kind.CREATE, fid.parent.fd, c.name(), -1, null);
                return new Rlcreate(created.qid, 0);
            }
        }
    }

    private Rmessage symlink(Tsymlink s) throws PosixException {
        try (var dir = session.acquire(s.fid())) {
            if (dir.attach.agent()) {
                return new Rsymlink(server.replay.created(dir, s.name()));
            }
            var share = dir.attach.share();
            ShareRoot.checkName(s.name());
            share.checkWritable();
            if (s.target().isEmpty() || s.target().getBytes(StandardCharsets.UTF_8).length >= 4096
                    || s.target().indexOf('\0') >= 0) {
                throw new PosixException("symlink target", Errno.EINVAL);
            }
            FileCalls.symlinkat(s.target(), dir.node.fd, s.name());
            var qid = createdEntry(dir, s.name(), S_IFLNK | 0777, s.gid(), 0);
            mutated(dir, Kind.SYMLINK, dir.node.fd, s.name(), -1, null);
            return new Rsymlink(qid);
        }
    }

    private Rmessage mknod(Tmknod k) throws PosixException {
        try (var dir = session.acquire(k.dfid())) {
            if (dir.attach.agent()) {
                return new Rmknod(server.replay.created(dir, k.name()));
            }
            var share = dir.attach.share();
            ShareRoot.checkName(k.name());
            share.checkWritable();
            long rdev = FileCalls.makedev(Integer.toUnsignedLong(k.major()), Integer.toUnsignedLong(k.minor()));
            ownership.mknod(share, dir.node.fd, k.name(), k.mode(), rdev);
            var qid = createdEntry(dir, k.name(), k.mode(), k.gid(), rdev);
            mutated(dir, Kind.MKNOD, dir.node.fd, k.name(), -1, null);
            return new Rmknod(qid);
        }
    }

    private Rmessage mkdir(Tmkdir d) throws PosixException {
        try (var dir = session.acquire(d.dfid())) {
            if (dir.attach.agent()) {
                return new Rmkdir(server.replay.created(dir, d.name()));
            }
            var share = dir.attach.share();
            ShareRoot.checkName(d.name());
            share.checkWritable();
            FileCalls.mkdirat(dir.node.fd, d.name(), ownership.hostMode(d.mode(), true));
            var qid = createdEntry(dir, d.name(), S_IFDIR | (d.mode() & 07777), d.gid(), 0);
            mutated(dir, Kind.MKDIR, dir.node.fd, d.name(), -1, null);
            return new Rmkdir(qid);
        }
    }

    /** Looks up what was just created in {@code dir}, applies the guest's ownership, returns its qid. */
    private Qid createdEntry(Fid dir, String name, int mode, int gid, long rdev) throws PosixException {
        int fd = dir.attach.share().lookup(dir.node.fd, name);
        try {
            var st = FileCalls.statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
            ownership.created(fd, st, mode, dir.attach.uid(), gid, rdev);
            return qids.qid(st);
        } finally {
            FileCalls.closeQuietly(fd);
        }
    }

    private Rmessage rename(Trename r) throws PosixException {
        try (var fid = session.acquire(r.fid()); var dir = session.acquire(r.dfid())) {
            ShareRoot.checkName(r.name());
            if (fid.attach.agent()) {
                server.replay.completed(fid);
                server.replay.completed(dir, r.name());
                return new Rrename();
            }
            fid.attach.share().checkWritable();
            checkSameShare(fid, dir);
            synchronized (fid) {
                if (fid.parent == null) {
                    throw new PosixException("rename of a share root", Errno.EBUSY);
                }
                FileCalls.renameat2(fid.parent.fd, fid.name, dir.node.fd, r.name(), 0);
                mutated(fid, Kind.RENAME, fid.parent.fd, fid.name, dir.node.fd, r.name());
                fid.parent.release();
                fid.parent = dir.node.retain();
                fid.name = r.name();
            }
            return new Rrename();
        }
    }

    private Rmessage renameat(Trenameat r) throws PosixException {
        try (var from = session.acquire(r.olddirfid()); var to = session.acquire(r.newdirfid())) {
            ShareRoot.checkName(r.oldname());
            ShareRoot.checkName(r.newname());
            if (from.attach.agent()) {
                server.replay.completed(from, r.oldname());
                server.replay.completed(to, r.newname());
                return new Rrenameat();
            }
            from.attach.share().checkWritable();
            checkSameShare(from, to);
            FileCalls.renameat2(from.node.fd, r.oldname(), to.node.fd, r.newname(), 0);
            mutated(from, Kind.RENAME, from.node.fd, r.oldname(), to.node.fd, r.newname());
            return new Rrenameat();
        }
    }

    private Rmessage unlinkat(Tunlinkat u) throws PosixException {
        try (var dir = session.acquire(u.dirfid())) {
            ShareRoot.checkName(u.name());
            if (dir.attach.agent()) {
                server.replay.completed(dir, u.name());
                return new Runlinkat();
            }
            dir.attach.share().checkWritable();
            FileCalls.unlinkat(dir.node.fd, u.name(), u.flags() & AT_REMOVEDIR);
            mutated(dir, Kind.REMOVE, dir.node.fd, u.name(), -1, null);
            return new Runlinkat();
        }
    }

    private Rmessage link(Tlink l) throws PosixException {
        try (var dir = session.acquire(l.dfid()); var target = session.acquire(l.fid())) {
            refuseAgent(dir);
            ShareRoot.checkName(l.name());
            dir.attach.share().checkWritable();
            checkSameShare(dir, target);
            if (target.node.isDirectory()) {
                throw new PosixException("link of a directory", Errno.EPERM);
            }
            if (target.node.type == S_IFREG) {
                // The magic link leads to exactly the held inode; a regular file has nothing further to follow.
                FileCalls.linkat(AT_FDCWD, procSelfFd(target.node.fd), dir.node.fd, l.name(), AT_SYMLINK_FOLLOW);
            } else {
                // Links and special files: by descriptor, never through a path that could be followed.
                FileCalls.linkat(target.node.fd, "", dir.node.fd, l.name(), AT_EMPTY_PATH);
            }
            mutated(dir, Kind.LINK, target.node.fd, null, dir.node.fd, l.name());
            return new Rlink();
        }
    }

    private Rmessage readlink(Treadlink r) throws PosixException {
        try (var fid = session.acquire(r.fid())) {
            if (!fid.node.isSymlink()) {
                throw new PosixException("readlink of a non-link", Errno.EINVAL);
            }
            return new Rreadlink(new String(FileCalls.readlinkat(fid.node.fd, ""), StandardCharsets.UTF_8));
        }
    }

    private Rmessage getattr(Tgetattr g) throws PosixException {
        try (var fid = session.acquire(g.fid())) {
            var st = fid.node.stat();
            var a = fid.node.isGhost() ? new Attributes(st.mode(), st.uid(), st.gid(), st.rdev())
                    : ownership.attributes(fid.node.fd, st);
            return new Rgetattr(Rgetattr.BASIC | Rgetattr.BTIME, fid.node.qid, a.mode(), a.uid(), a.gid(),
                    st.nlink(), a.rdev(), st.size(), st.blksize(), st.blocks(), st.atimeSec(), st.atimeNsec(),
                    st.mtimeSec(), st.mtimeNsec(), st.ctimeSec(), st.ctimeNsec(), st.btimeSec(), st.btimeNsec(),
                    0, 0);
        }
    }

    private Rmessage setattr(Tsetattr s) throws PosixException {
        try (var fid = session.acquire(s.fid())) {
            if (fid.attach.agent()) {
                // A replayed truncate or chmod: the guest kernel fires its event, the host keeps its data.
                return new Rsetattr();
            }
            int valid = s.valid();
            if ((valid & (Tsetattr.MODE | Tsetattr.UID | Tsetattr.GID | Tsetattr.SIZE | Tsetattr.ATIME
                    | Tsetattr.MTIME)) == 0) {
                return new Rsetattr();
            }
            fid.attach.share().checkWritable();
            var node = fid.node;
            var st = node.stat();
            if ((valid & Tsetattr.MODE) != 0) {
                ownership.chmod(node.fd, st, s.mode());
            }
            if ((valid & (Tsetattr.UID | Tsetattr.GID)) != 0) {
                ownership.chown(node.fd, st, (valid & Tsetattr.UID) != 0 ? s.uid() : -1,
                        (valid & Tsetattr.GID) != 0 ? s.gid() : -1);
            }
            if ((valid & Tsetattr.SIZE) != 0) {
                truncate(fid, st, s.size());
            }
            if ((valid & (Tsetattr.ATIME | Tsetattr.MTIME)) != 0 && !node.isSymlink()) {
                long aSec = 0;
                long aNsec = UTIME_OMIT;
                long mSec = 0;
                long mNsec = UTIME_OMIT;
                if ((valid & Tsetattr.ATIME) != 0) {
                    boolean set = (valid & Tsetattr.ATIME_SET) != 0;
                    aSec = set ? s.atimeSec() : 0;
                    aNsec = set ? s.atimeNsec() : UTIME_NOW;
                }
                if ((valid & Tsetattr.MTIME) != 0) {
                    boolean set = (valid & Tsetattr.MTIME_SET) != 0;
                    mSec = set ? s.mtimeSec() : 0;
                    mNsec = set ? s.mtimeNsec() : UTIME_NOW;
                }
                FileCalls.utimensat(AT_FDCWD, procSelfFd(node.fd), aSec, aNsec, mSec, mNsec, 0);
            }
            mutated(fid, (valid & Tsetattr.SIZE) != 0 ? Kind.TRUNCATE : Kind.ATTRIBUTES, node.fd, null, -1, null);
            return new Rsetattr();
        }
    }

    private void truncate(Fid fid, FileStat st, long size) throws PosixException {
        int openFd;
        synchronized (fid) {
            openFd = (fid.openFlags & O_ACCMODE) != O_RDONLY ? fid.openFd : -1;
        }
        if (openFd >= 0) {
            FileCalls.ftruncate(openFd, size);
            return;
        }
        int fd = fid.attach.share().open(fid.node.fd, st, O_WRONLY);
        try {
            FileCalls.ftruncate(fd, size);
        } finally {
            FileCalls.closeQuietly(fd);
        }
    }

    private Rmessage read(Tread r) throws PosixException {
        try (var fid = session.acquire(r.fid())) {
            int count = (int) Math.min(Integer.toUnsignedLong(r.count()), session.msize() - RREAD_HEADER);
            if (r.offset() < 0) {
                throw new PosixException("read offset", Errno.EINVAL);
            }
            byte[] xattr;
            int fd;
            synchronized (fid) {
                xattr = fid.xattrValue;
                fd = fid.openFd;
            }
            if (xattr != null) {
                int from = (int) Math.min(r.offset(), xattr.length);
                int n = Math.min(count, xattr.length - from);
                var data = Unpooled.buffer(n);
                return new Rread(data.writeBytes(xattr, from, n));
            }
            if (fd < 0) {
                throw new PosixException("read of an unopened fid", Errno.EBADF);
            }
            if (fid.node.isDirectory()) {
                throw new PosixException("read of a directory", Errno.EISDIR);
            }
            ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(count);
            try {
                long n = FileCalls.pread(fd, MemorySegment.ofBuffer(data.nioBuffer(0, count)), r.offset());
                data.writerIndex((int) n);
                return new Rread(data);
            } catch (PosixException | RuntimeException e) {
                data.release();
                throw e;
            }
        }
    }

    private Rmessage write(Twrite w) throws PosixException {
        try (var fid = session.acquire(w.fid())) {
            var data = w.data();
            int count = data.readableBytes();
            synchronized (fid) {
                var pending = fid.xattrWrite;
                if (pending != null) {
                    if (w.offset() != pending.written || count > pending.value.length - pending.written) {
                        throw new PosixException("xattr write beyond its declared size", Errno.EINVAL);
                    }
                    data.getBytes(data.readerIndex(), pending.value, pending.written, count);
                    pending.written += count;
                    return new Rwrite(count);
                }
            }
            int fd;
            synchronized (fid) {
                fd = (fid.openFlags & O_ACCMODE) != O_RDONLY ? fid.openFd : -1;
            }
            if (fd < 0) {
                throw new PosixException("write to a fid not open for writing", Errno.EBADF);
            }
            if (w.offset() < 0) {
                throw new PosixException("write offset", Errno.EINVAL);
            }
            long written = 0;
            try (var arena = Arena.ofConfined()) {
                MemorySegment segment;
                if (data.nioBufferCount() == 1 && data.isDirect()) {
                    segment = MemorySegment.ofBuffer(data.nioBuffer());
                } else {
                    segment = arena.allocate(Math.max(1, count));
                    segment.copyFrom(MemorySegment.ofBuffer(data.nioBuffer()));
                    segment = segment.asSlice(0, count);
                }
                while (written < count) {
                    long n = FileCalls.pwrite(fd, segment.asSlice(written), w.offset() + written);
                    if (n == 0) {
                        break;
                    }
                    written += n;
                }
            }
            mutated(fid, Kind.WRITE, fid.node.fd, null, -1, null);
            return new Rwrite((int) written);
        }
    }

    private Rmessage readdir(Treaddir r) throws PosixException {
        try (var fid = session.acquire(r.fid())) {
            int count = (int) Math.min(Integer.toUnsignedLong(r.count()), session.msize() - RREAD_HEADER);
            synchronized (fid) {
                if (fid.openFd < 0 || !fid.node.isDirectory()) {
                    throw new PosixException("readdir of a fid that is not an open directory", Errno.EBADF);
                }
                if (fid.listing == null || r.offset() == 0) {
                    int dirFd = fid.attach.share().open(fid.node.fd, fid.node.stat(), O_RDONLY | O_DIRECTORY);
                    try {
                        var listing = DirListing.read(dirFd, server.limits.maxDirEntries());
                        long bytes = 0;
                        for (var e : listing) {
                            bytes += DirListing.ENTRY_OVERHEAD + 2L * e.name().length();
                        }
                        fid.listing = null;
                        try {
                            fid.hold(bytes);
                        } catch (PosixException e) {
                            fid.hold(0);
                            throw e;
                        }
                        fid.listing = listing;
                    } finally {
                        FileCalls.closeQuietly(dirFd);
                    }
                }
                long dev = fid.node.stat().dev();
                var out = PooledByteBufAllocator.DEFAULT.buffer(Math.min(count, 64 * 1024));
                var listing = fid.listing;
                for (long i = Math.max(0, r.offset()); i < listing.size(); i++) {
                    var e = listing.get((int) i);
                    var qid = new Qid(e.dtype() == DT_DIR ? Qid.DIR : e.dtype() == DT_LNK ? Qid.SYMLINK : Qid.FILE, 0,
                            qids.path(dev, e.ino()));
                    var entry = new DirEntry(qid, i + 1, e.dtype(), e.name());
                    if (out.readableBytes() + entry.encodedSize() > count) {
                        break;
                    }
                    entry.encode(out);
                }
                return new Rreaddir(out);
            }
        }
    }

    private Rmessage fsync(Tfsync f) throws PosixException {
        try (var fid = session.acquire(f.fid())) {
            int fd;
            synchronized (fid) {
                fd = fid.openFd;
            }
            if (fd < 0) {
                throw new PosixException("fsync of an unopened fid", Errno.EBADF);
            }
            FileCalls.fsync(fd, f.datasync() != 0);
            return new Rfsync();
        }
    }

    /**
     * Places a lock. A blocking request (FLAG_BLOCK) waits here, on its virtual thread, until the lock is
     * granted, the request is flushed (the guest process got a signal) or the connection ends: answering
     * BLOCKED instead would make the Linux client sleep its whole lock timeout (30 s) before asking again.
     * The wait polls with a growing pause because F_OFD_SETLKW would pin a carrier thread in native code.
     */
    private Rmessage lock(Tlock l, BooleanSupplier flushed) throws PosixException {
        try (var fid = session.acquire(l.fid())) {
            if (fid.node.type != S_IFREG) {
                throw new PosixException("lock of a non-regular file", Errno.EINVAL);
            }
            int type = lockType(l.lockType());
            var key = new Fid.LockKey(fid.node.qid.path(), l.procId(), l.clientId());
            int fd = session.lockOwner(fid, key, fid.node);
            var range = new RangeLock(type, l.start(), l.length(), 0);
            boolean placed = FileCalls.ofdSetLock(fd, range);
            boolean blocking = (l.flags() & Tlock.FLAG_BLOCK) != 0 && type != F_UNLCK;
            // Waiters are bounded well below the in-flight limit, so the request that releases the lock can
            // always still be read; past the bound the client gets BLOCKED and retries on its own.
            if (!placed && blocking && session.lockWaiters.tryAcquire()) {
                try {
                    for (long pauseMillis = 1; !placed && !flushed.getAsBoolean(); ) {
                        Thread.sleep(pauseMillis);
                        pauseMillis = Math.min(pauseMillis * 2, 50);
                        placed = FileCalls.ofdSetLock(fd, range);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    session.lockWaiters.release();
                }
            }
            return new Rlock(placed ? Rlock.SUCCESS : Rlock.BLOCKED);
        }
    }

    private Rmessage getlock(Tgetlock l) throws PosixException {
        try (var fid = session.acquire(l.fid())) {
            if (fid.node.type != S_IFREG) {
                throw new PosixException("getlock of a non-regular file", Errno.EINVAL);
            }
            int type = lockType(l.lockType());
            var key = new Fid.LockKey(fid.node.qid.path(), l.procId(), l.clientId());
            int fd = session.lockOwner(fid, key, fid.node);
            var held = FileCalls.ofdGetLock(fd, new RangeLock(type, l.start(), l.length(), 0));
            if (held.type() == F_UNLCK) {
                return new Rgetlock(Tlock.UNLCK, l.start(), l.length(), l.procId(), l.clientId());
            }
            return new Rgetlock(held.type(), held.start(), held.length(), held.pid(), "");
        }
    }

    private static int lockType(int nineP) throws PosixException {
        return switch (nineP) {
            case Tlock.RDLCK -> F_RDLCK;
            case Tlock.WRLCK -> F_WRLCK;
            case Tlock.UNLCK -> F_UNLCK;
            default -> throw new PosixException("lock type " + nineP, Errno.EINVAL);
        };
    }

    private Rmessage xattrwalk(Txattrwalk x) throws PosixException {
        try (var fid = session.acquire(x.fid())) {
            if (x.newfid() != x.fid() && session.hasFid(x.newfid())) {
                throw new PosixException("newfid in use", Errno.EEXIST);
            }
            byte[] value;
            if (fid.node.isSymlink()) {
                if (!x.name().isEmpty()) {
                    throw new PosixException("getxattr on a symlink", Errno.ENODATA);
                }
                value = new byte[0];
            } else if (x.name().isEmpty()) {
                value = visibleNames(FileCalls.listxattr(procSelfFd(fid.node.fd)));
            } else {
                if (ownership.hidden(x.name())) {
                    throw new PosixException("getxattr", Errno.ENODATA);
                }
                value = FileCalls.getxattr(procSelfFd(fid.node.fd), x.name());
            }
            var xfid = new Fid(x.newfid(), fid.attach, session, fid.node.retain(),
                    fid.parent == null ? null : fid.parent.retain(), fid.name);
            try {
                xfid.hold(value.length);
            } catch (PosixException e) {
                xfid.close();
                throw e;
            }
            xfid.xattrValue = value;
            if (x.newfid() == x.fid()) {
                session.replace(xfid);
            } else {
                session.add(xfid);
            }
            return new Rxattrwalk(value.length);
        }
    }

    private byte[] visibleNames(byte[] list) {
        var out = new ByteArrayOutputStream(list.length);
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] == 0) {
                var name = new String(list, start, i - start, StandardCharsets.UTF_8);
                if (!ownership.hidden(name)) {
                    out.write(list, start, i - start + 1);
                }
                start = i + 1;
            }
        }
        return out.toByteArray();
    }

    private Rmessage xattrcreate(Txattrcreate x) throws PosixException {
        try (var fid = session.acquire(x.fid())) {
            refuseAgent(fid);
            fid.attach.share().checkWritable();
            if (x.size() < 0 || x.size() > XATTR_SIZE_MAX) {
                throw new PosixException("xattr size", Errno.E2BIG);
            }
            if (x.name().isEmpty() || ownership.hidden(x.name())) {
                throw new PosixException("xattr name", x.name().isEmpty() ? Errno.EINVAL : Errno.EPERM);
            }
            if (fid.node.isSymlink()) {
                throw new PosixException("setxattr on a symlink", Errno.EPERM);
            }
            synchronized (fid) {
                if (fid.openFd >= 0 || fid.xattrValue != null || fid.xattrWrite != null) {
                    throw new PosixException("xattrcreate on a busy fid", Errno.EBADF);
                }
                fid.hold(x.size());
                fid.xattrWrite = new Fid.XattrWrite(x.name(), (int) x.size(), x.flags() & (XATTR_CREATE | XATTR_REPLACE));
            }
            return new Rxattrcreate();
        }
    }

    private void commitXattr(Fid fid, Fid.XattrWrite pending) throws PosixException {
        if (pending.written != pending.value.length) {
            throw new PosixException("xattr value shorter than declared", Errno.EINVAL);
        }
        var path = procSelfFd(fid.node.fd);
        if (pending.value.length == 0 && (pending.flags & XATTR_REPLACE) != 0) {
            FileCalls.removexattr(path, pending.name);
        } else {
            FileCalls.setxattr(path, pending.name, pending.value, pending.flags);
        }
        mutated(fid, Kind.XATTR, fid.node.fd, null, -1, null);
    }

    private static void checkSameShare(Fid a, Fid b) throws PosixException {
        if (a.attach.share() != b.attach.share()) {
            throw new PosixException("across shares", Errno.EXDEV);
        }
    }

    /** Tells the listener; paths are computed only when someone listens. */
    private void mutated(Fid fid, Kind kind, int fd, String name, int toDirFd, String toName) {
        if (server.listener == MutationListener.NONE) {
            return;
        }
        var share = fid.attach.share();
        server.listener.mutated(new Mutation(share.name(), kind, fid.attach.uid(), relative(share, fd, name),
                toDirFd < 0 ? null : relative(share, toDirFd, toName)));
    }

    static String relative(ShareRoot share, int fd, String name) {
        try {
            var host = Path.of(new String(FileCalls.readlinkat(AT_FDCWD, procSelfFd(fd)),
                    StandardCharsets.UTF_8));
            var rel = share.hostPath().relativize(host).toString();
            return name == null ? rel : rel.isEmpty() ? name : rel + "/" + name;
        } catch (PosixException | IllegalArgumentException e) {
            return name == null ? "" : name;
        }
    }
}
