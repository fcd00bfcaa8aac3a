package dev.gangway.ninep;

import dev.gangway.ninep.protocol.Qid;
import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage.*;
import dev.gangway.ninep.server.NinePServer;
import dev.gangway.ninep.share.Ownership;
import dev.gangway.ninep.transport.NinePListener;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A server on a loopback port over one or more temp directories, and client helpers for tests. */
public final class ServerFixture implements AutoCloseable {
    public static final int MSIZE = 65536;
    public final NinePServer server;
    public final NinePListener listener;
    public final InetSocketAddress address;

    public ServerFixture(NinePServer server) throws InterruptedException {
        this.server = server;
        this.listener = new NinePListener(server);
        this.address = listener.listenTcp(new InetSocketAddress("127.0.0.1", 0));
    }

    public static ServerFixture of(Path dir, boolean readOnly, Ownership ownership) throws Exception {
        return new ServerFixture(NinePServer.builder().share("s", dir, readOnly).ownership(ownership).build());
    }

    /** A client that negotiated the protocol and attached fid 0 to share {@code s} as uid 0. */
    public NinePTestClient attached() throws IOException {
        return attached("s", 0);
    }

    public NinePTestClient attached(String share, int uid) throws IOException {
        var c = new NinePTestClient(address);
        c.call(new Tversion(MSIZE, "9P2000.L"), Rversion.class);
        c.call(new Tattach(0, -1, "root", share, uid), Rattach.class);
        return c;
    }

    public static Qid walk(NinePTestClient c, int fid, int newfid, String... names) throws IOException {
        var r = c.call(new Twalk(fid, newfid, List.of(names)), Rwalk.class);
        if (r.qids().size() != names.length) {
            throw new IOException("walk stopped after " + r.qids().size() + " of " + names.length);
        }
        return names.length == 0 ? null : r.qids().getLast();
    }

    public static void write(NinePTestClient c, int fid, long offset, byte[] data) throws IOException {
        var r = c.call(new Twrite(fid, offset, Unpooled.wrappedBuffer(data)), Rwrite.class);
        if (r.count() != data.length) {
            throw new IOException("short write " + r.count());
        }
    }

    public static byte[] read(NinePTestClient c, int fid, long offset, int count) throws IOException {
        var r = c.call(new Tread(fid, offset, count), Rread.class);
        var bytes = new byte[r.data().readableBytes()];
        r.data().readBytes(bytes);
        r.data().release();
        return bytes;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        listener.close();
        server.close();
    }
}
