package dev.gangway.ninep.server;

import dev.gangway.ninep.protocol.Decoded;
import dev.gangway.ninep.protocol.MessageType;
import dev.gangway.ninep.protocol.NinePCodec;
import dev.gangway.ninep.protocol.Rmessage;
import dev.gangway.ninep.protocol.Rmessage.Rflush;
import dev.gangway.ninep.protocol.Rmessage.Rlerror;
import dev.gangway.ninep.protocol.Rmessage.Rread;
import dev.gangway.ninep.protocol.Rmessage.Rreaddir;
import dev.gangway.ninep.protocol.Rmessage.Rversion;
import dev.gangway.ninep.protocol.Tmessage;
import dev.gangway.ninep.protocol.Tmessage.Tflush;
import dev.gangway.ninep.protocol.Tmessage.Tversion;
import dev.gangway.ninep.protocol.Tmessage.Twrite;
import dev.gangway.posix.Errno;
import dev.gangway.posix.FileCalls;
import dev.gangway.posix.PosixException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection: its negotiated msize, its fid table, its outstanding requests and its lock owners.
 *
 * <p>Threading: {@link #received} and {@link #closed} run on the channel's event loop, as does every
 * change to the table of outstanding requests, so tags, replies and flushes are ordered without locks.
 * Each request runs on its own virtual thread ({@link Operations}); its reply is handed back to the event
 * loop, which removes the tag and writes the reply in one step. A Tflush for a request that has not started
 * cancels it (no reply); for one that is running, Rflush is written right after that request's reply.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    final NinePServer server;
    private final Channel channel;
    private final Operations operations;
    private final ConcurrentHashMap<Integer, Fid> fids = new ConcurrentHashMap<>();
    private final Map<Integer, Request> inFlight = new HashMap<>();
    private final ConcurrentHashMap<Fid.LockKey, LockOwner> lockOwners = new ConcurrentHashMap<>();
    private volatile int msize;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong heldBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Blocking lock requests allowed to wait at once (a quarter of the in-flight bound). */
    final java.util.concurrent.Semaphore lockWaiters;

    Session(NinePServer server, Channel channel) {
        this.server = server;
        this.channel = channel;
        this.msize = server.limits.maxMsize();
        this.operations = new Operations(this);
        this.lockWaiters = new java.util.concurrent.Semaphore(Math.max(1, server.limits.maxInFlight() / 4));
    }

    int msize() {
        return msize;
    }

    /** Handles one frame (size field included). Takes ownership of {@code frame}. Event loop only. */
    public void received(ByteBuf frame) {
        if (frame.readableBytes() > msize) {
            frame.release();
            server.malformed("frame larger than msize " + msize);
            channel.close();
            return;
        }
        Decoded<Tmessage> decoded;
        try {
            decoded = NinePCodec.decodeRequest(frame);
        } finally {
            frame.release();
        }
        switch (decoded) {
            case Decoded.Malformed<Tmessage> bad -> {
                server.malformed(bad.reason());
                if (bad.tag() == MessageType.NOTAG && bad.type() < 0 || inFlight.containsKey(bad.tag())) {
                    channel.close();
                    return;
                }
                boolean known = bad.type() >= 0 && !bad.reason().startsWith("unknown");
                write(bad.tag(), new Rlerror(known ? Errno.EINVAL : Errno.EOPNOTSUPP));
            }
            case Decoded.Ok<Tmessage>(int tag, Tversion v) -> version(tag, v);
            case Decoded.Ok<Tmessage>(int tag, Tflush f) -> flush(tag, f.oldtag());
            case Decoded.Ok<Tmessage>(int tag, Tmessage m) -> start(tag, m);
        }
    }

    /** The connection is gone: every fid, lock and descriptor of this session is released. */
    public void closed() {
        closed = true;
        for (var request : inFlight.values()) {
            request.cancel();
        }
        releaseAllFids();
    }

    private void version(int tag, Tversion v) {
        if (!inFlight.isEmpty()) {
            // A version resets the session; requests still running finish, their fids are dropped now.
            LOG.debug("Tversion with {} requests outstanding", inFlight.size());
        }
        releaseAllFids();
        int negotiated = (int) Math.min(Integer.toUnsignedLong(v.msize()), server.limits.maxMsize());
        if (negotiated < dev.gangway.ninep.server.Limits.MIN_MSIZE) {
            write(tag, new Rlerror(Errno.EINVAL));
            return;
        }
        boolean dotL = v.version().startsWith("9P2000.L");
        write(tag, new Rversion(negotiated, dotL ? "9P2000.L" : "unknown"));
        msize = negotiated;
    }

    private void flush(int tag, int oldtag) {
        var old = inFlight.get(oldtag);
        if (old == null) {
            write(tag, new Rflush());
            return;
        }
        old.cancel();
        old.whenDone(() -> write(tag, new Rflush()));
    }

    private void start(int tag, Tmessage m) {
        if (inFlight.containsKey(tag)) {
            // The client reused a tag still in use: its replies could no longer be matched.
            server.malformed("tag " + tag + " reused while outstanding");
            release(m);
            channel.close();
            return;
        }
        server.stats().requests.incrementAndGet();
        var request = new Request(tag, m);
        inFlight.put(tag, request);
        server.stats().inFlight.incrementAndGet();
        if (inFlight.size() >= server.limits.maxInFlight()) {
            channel.config().setAutoRead(false);
        }
        try {
            server.executor.execute(() -> run(request));
        } catch (RejectedExecutionException e) {
            release(m);
            inFlight.remove(tag);
            server.stats().inFlight.decrementAndGet();
            channel.close();
        }
    }

    private void run(Request request) {
        Rmessage reply = null;
        if (request.begin()) {
            try {
                reply = operations.handle(request.message, request::flushed);
            } catch (PosixException e) {
                server.stats().errors.incrementAndGet();
                reply = new Rlerror(e.errno());
            } catch (RuntimeException e) {
                server.stats().errors.incrementAndGet();
                LOG.warn("9P {} failed", request.message.getClass().getSimpleName(), e);
                reply = new Rlerror(Errno.EIO);
            } finally {
                release(request.message);
            }
        } else {
            release(request.message);
        }
        var finalReply = reply;
        try {
            channel.eventLoop().execute(() -> finish(request, finalReply));
        } catch (RejectedExecutionException e) {
            release(finalReply);
        }
    }

    private void finish(Request request, Rmessage reply) {
        inFlight.remove(request.tag);
        server.stats().inFlight.decrementAndGet();
        if (reply != null) {
            write(request.tag, reply);
        }
        request.done();
        if (!channel.config().isAutoRead() && inFlight.size() < server.limits.maxInFlight() / 2 + 1 && !closed) {
            channel.config().setAutoRead(true);
        }
    }

    private void write(int tag, Rmessage reply) {
        if (closed || !channel.isActive()) {
            release(reply);
            return;
        }
        channel.writeAndFlush(NinePCodec.encode(channel.alloc(), tag, reply), channel.voidPromise());
    }

    private static void release(Tmessage m) {
        if (m instanceof Twrite w) {
            w.data().release();
        }
    }

    private static void release(Rmessage m) {
        switch (m) {
            case Rread r -> r.data().release();
            case Rreaddir r -> r.data().release();
            case null, default -> {
            }
        }
    }

    // ---- fids ----------------------------------------------------------------------------------------

    /** The fid with this number, with one use held for the caller (close it). */
    Fid acquire(int id) throws PosixException {
        var fid = fids.get(id);
        if (fid == null || !fid.tryUse()) {
            throw new PosixException("fid " + Integer.toUnsignedString(id), Errno.EBADF);
        }
        return fid;
    }

    /** Adds {@code fid} under its number; fails with EEXIST when the number is taken (the fid is released). */
    void add(Fid fid) throws PosixException {
        if (closed) {
            fid.close();
            throw new PosixException("session closed", Errno.EBADF);
        }
        if (fids.size() >= server.limits.maxFids()) {
            fid.close();
            throw new PosixException("fid table full", Errno.EMFILE);
        }
        if (fids.putIfAbsent(fid.id, fid) != null) {
            fid.close();
            throw new PosixException("fid in use", Errno.EEXIST);
        }
        if (closed && fids.remove(fid.id, fid)) {
            fid.close();
        }
    }

    /** Puts {@code fid} in place of the fid with the same number (a walk onto itself). */
    void replace(Fid fid) {
        var old = fids.put(fid.id, fid);
        if (old != null) {
            old.close();
        }
        if (closed && fids.remove(fid.id, fid)) {
            fid.close();
        }
    }

    boolean hasFid(int id) {
        return fids.containsKey(id);
    }

    /** Removes fid {@code id} from the table; returns it with the table's use handed to the caller. */
    Fid remove(int id) throws PosixException {
        var fid = fids.remove(id);
        if (fid == null) {
            throw new PosixException("fid " + Integer.toUnsignedString(id), Errno.EBADF);
        }
        return fid;
    }

    /** Accounts {@code bytes} of memory held for the guest; ENOMEM past the connection's budget. */
    void reserve(long bytes) throws PosixException {
        if (heldBytes.addAndGet(bytes) > server.limits.maxHeldBytes()) {
            heldBytes.addAndGet(-bytes);
            throw new PosixException("connection memory budget", Errno.ENOMEM);
        }
    }

    void unreserve(long bytes) {
        heldBytes.addAndGet(-bytes);
    }

    long heldBytes() {
        return heldBytes.get();
    }

    int fidCount() {
        return fids.size();
    }

    /**
     * Empties the fid table at once (on the event loop, so a following Tattach starts clean) and closes the
     * fids' descriptors on a virtual thread: thousands of close(2) calls do not belong on the event loop.
     */
    private void releaseAllFids() {
        var removed = new ArrayList<Fid>();
        for (var id : new ArrayList<>(fids.keySet())) {
            var fid = fids.remove(id);
            if (fid != null) {
                removed.add(fid);
            }
        }
        if (removed.isEmpty()) {
            return;
        }
        try {
            server.executor.execute(() -> removed.forEach(Fid::close));
        } catch (RejectedExecutionException e) {
            removed.forEach(Fid::close);
        }
    }

    // ---- lock owners ---------------------------------------------------------------------------------

    /** The host open file description that carries the locks of {@code key}, held by {@code fid}. */
    int lockOwner(Fid fid, Fid.LockKey key, Node node) throws PosixException {
        synchronized (lockOwners) {
            var owner = lockOwners.get(key);
            if (owner == null) {
                int fd;
                try {
                    fd = FileCalls.openat(FileCalls.AT_FDCWD, FileCalls.procSelfFd(node.fd),
                            (fid.attach.share().readOnly() ? FileCalls.O_RDONLY : FileCalls.O_RDWR)
                                    | FileCalls.O_CLOEXEC | FileCalls.O_NOCTTY, 0);
                } catch (PosixException e) {
                    if (e.errno() != Errno.EACCES) {
                        throw e;
                    }
                    fd = FileCalls.openat(FileCalls.AT_FDCWD, FileCalls.procSelfFd(node.fd),
                            FileCalls.O_RDONLY | FileCalls.O_CLOEXEC | FileCalls.O_NOCTTY, 0);
                }
                owner = new LockOwner(fd);
                lockOwners.put(key, owner);
            }
            synchronized (fid) {
                if (fid.lockKeys.add(key)) {
                    owner.refs.incrementAndGet();
                }
            }
            return owner.fd;
        }
    }

    void releaseLockOwner(Fid.LockKey key) {
        synchronized (lockOwners) {
            var owner = lockOwners.get(key);
            if (owner != null && owner.refs.decrementAndGet() == 0) {
                lockOwners.remove(key);
                FileCalls.closeQuietly(owner.fd);
            }
        }
    }

    private static final class LockOwner {
        final int fd;
        final AtomicInteger refs = new AtomicInteger();

        LockOwner(int fd) {
            this.fd = fd;
        }
    }

    /** An outstanding request; its state changes only on the event loop, except {@link #begin}. */
    private static final class Request {
        private static final int NEW = 0;
        private static final int RUNNING = 1;
        private static final int CANCELLED = 2;

        final int tag;
        final Tmessage message;
        private final AtomicInteger state = new AtomicInteger(NEW);
        private List<Runnable> whenDone;
        private boolean done;
        private volatile boolean flushed;

        Request(int tag, Tmessage message) {
            this.tag = tag;
            this.message = message;
        }

        boolean begin() {
            return state.compareAndSet(NEW, RUNNING);
        }

        void cancel() {
            flushed = true;
            state.compareAndSet(NEW, CANCELLED);
        }

        /** True once a Tflush (or the end of the connection) asked this request to stop waiting. */
        boolean flushed() {
            return flushed;
        }

        void whenDone(Runnable action) {
            if (done) {
                action.run();
                return;
            }
            if (whenDone == null) {
                whenDone = new ArrayList<>(1);
            }
            whenDone.add(action);
        }

        void done() {
            done = true;
            if (whenDone != null) {
                whenDone.forEach(Runnable::run);
            }
        }
    }
}
