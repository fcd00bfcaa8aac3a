package dev.gangway.ninep.protocol;

import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage.*;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes whole 9P2000.L frames: {@code size[4] type[1] tag[2] body}, little-endian, size
 * counting itself. Decoding never throws on bad input: it returns {@link Decoded.Malformed}, checking every
 * length against the bytes actually present. Both directions are here so that the server and the test
 * client share one definition of the wire.
 *
 * <p>Strings are {@code len[2]} + UTF-8 bytes; bytes that are not UTF-8 decode to U+FFFD (a documented
 * limit: host names that are not UTF-8 cannot be addressed through the share).
 */
public final class NinePCodec {
    private NinePCodec() {
    }

    /** Decodes a request frame; {@code frame}'s reader index is left unspecified, its ownership unchanged. */
    public static Decoded<Tmessage> decodeRequest(ByteBuf frame) {
        int tag = MessageType.NOTAG;
        int type = -1;
        try {
            var in = header(frame);
            type = in.readUnsignedByte();
            tag = in.readUnsignedShortLE();
            Tmessage m = switch (type) {
                case MessageType.TVERSION -> new Tversion(in.readIntLE(), string(in));
                case MessageType.TAUTH -> new Tauth(in.readIntLE(), string(in), string(in), in.readIntLE());
                case MessageType.TATTACH -> new Tattach(in.readIntLE(), in.readIntLE(), string(in), string(in),
                        in.readIntLE());
                case MessageType.TFLUSH -> new Tflush(in.readUnsignedShortLE());
                case MessageType.TWALK -> {
                    int fid = in.readIntLE();
                    int newfid = in.readIntLE();
                    int n = in.readUnsignedShortLE();
                    if (n > MessageType.MAXWELEM) {
                        throw new Bad("Twalk with " + n + " names");
                    }
                    var names = new ArrayList<String>(n);
                    for (int i = 0; i < n; i++) {
                        names.add(string(in));
                    }
                    yield new Twalk(fid, newfid, List.copyOf(names));
                }
                case MessageType.TREAD -> new Tread(in.readIntLE(), in.readLongLE(), in.readIntLE());
                case MessageType.TWRITE -> {
                    int fid = in.readIntLE();
                    long offset = in.readLongLE();
                    long count = in.readUnsignedIntLE();
                    if (count != in.readableBytes()) {
                        throw new Bad("Twrite count " + count + " with " + in.readableBytes() + " bytes");
                    }
                    yield new Twrite(fid, offset, in.readRetainedSlice((int) count));
                }
                case MessageType.TCLUNK -> new Tclunk(in.readIntLE());
                case MessageType.TREMOVE -> new Tremove(in.readIntLE());
                case MessageType.TSTATFS -> new Tstatfs(in.readIntLE());
                case MessageType.TLOPEN -> new Tlopen(in.readIntLE(), in.readIntLE());
                case MessageType.TLCREATE -> new Tlcreate(in.readIntLE(), string(in), in.readIntLE(), in.readIntLE(),
                        in.readIntLE());
                case MessageType.TSYMLINK -> new Tsymlink(in.readIntLE(), string(in), string(in), in.readIntLE());
                case MessageType.TMKNOD -> new Tmknod(in.readIntLE(), string(in), in.readIntLE(), in.readIntLE(),
                        in.readIntLE(), in.readIntLE());
                case MessageType.TRENAME -> new Trename(in.readIntLE(), in.readIntLE(), string(in));
                case MessageType.TREADLINK -> new Treadlink(in.readIntLE());
                case MessageType.TGETATTR -> new Tgetattr(in.readIntLE(), in.readLongLE());
                case MessageType.TSETATTR -> new Tsetattr(in.readIntLE(), in.readIntLE(), in.readIntLE(),
                        in.readIntLE(), in.readIntLE(), in.readLongLE(), in.readLongLE(), in.readLongLE(),
                        in.readLongLE(), in.readLongLE());
                case MessageType.TXATTRWALK -> new Txattrwalk(in.readIntLE(), in.readIntLE(), string(in));
                case MessageType.TXATTRCREATE -> new Txattrcreate(in.readIntLE(), string(in), in.readLongLE(),
                        in.readIntLE());
                case MessageType.TREADDIR -> new Treaddir(in.readIntLE(), in.readLongLE(), in.readIntLE());
                case MessageType.TFSYNC -> new Tfsync(in.readIntLE(), in.readableBytes() >= 4 ? in.readIntLE() : 0);
                case MessageType.TLOCK -> new Tlock(in.readIntLE(), in.readUnsignedByte(), in.readIntLE(),
                        in.readLongLE(), in.readLongLE(), in.readIntLE(), string(in));
                case MessageType.TGETLOCK -> new Tgetlock(in.readIntLE(), in.readUnsignedByte(), in.readLongLE(),
                        in.readLongLE(), in.readIntLE(), string(in));
                case MessageType.TLINK -> new Tlink(in.readIntLE(), in.readIntLE(), string(in));
                case MessageType.TMKDIR -> new Tmkdir(in.readIntLE(), string(in), in.readIntLE(), in.readIntLE());
                case MessageType.TRENAMEAT -> new Trenameat(in.readIntLE(), string(in), in.readIntLE(), string(in));
                case MessageType.TUNLINKAT -> new Tunlinkat(in.readIntLE(), string(in), in.readIntLE());
                default -> throw new Bad("unknown message type " + type);
            };
            if (in.isReadable()) {
                if (m instanceof Twrite w) {
                    w.data().release();
                }
                throw new Bad(in.readableBytes() + " trailing bytes");
            }
            return new Decoded.Ok<>(tag, m);
        } catch (Bad | IndexOutOfBoundsException e) {
            return new Decoded.Malformed<>(tag, type, e instanceof Bad ? e.getMessage() : "truncated message");
        }
    }

    /** Decodes a reply frame (the client side, used by tests and tools). */
    public static Decoded<Rmessage> decodeReply(ByteBuf frame) {
        int tag = MessageType.NOTAG;
        int type = -1;
        try {
            var in = header(frame);
            type = in.readUnsignedByte();
            tag = in.readUnsignedShortLE();
            Rmessage m = switch (type) {
                case MessageType.RLERROR -> new Rlerror(in.readIntLE());
                case MessageType.TVERSION + 1 -> new Rversion(in.readIntLE(), string(in));
                case MessageType.TAUTH + 1 -> new Rauth(qid(in));
                case MessageType.TATTACH + 1 -> new Rattach(qid(in));
                case MessageType.TFLUSH + 1 -> new Rflush();
                case MessageType.TWALK + 1 -> {
                    int n = in.readUnsignedShortLE();
                    var qids = new ArrayList<Qid>(n);
                    for (int i = 0; i < n; i++) {
                        qids.add(qid(in));
                    }
                    yield new Rwalk(List.copyOf(qids));
                }
                case MessageType.TREAD + 1 -> new Rread(counted(in));
                case MessageType.TWRITE + 1 -> new Rwrite(in.readIntLE());
                case MessageType.TCLUNK + 1 -> new Rclunk();
                case MessageType.TREMOVE + 1 -> new Rremove();
                case MessageType.TSTATFS + 1 -> new Rstatfs(in.readIntLE(), in.readIntLE(), in.readLongLE(),
                        in.readLongLE(), in.readLongLE(), in.readLongLE(), in.readLongLE(), in.readLongLE(),
                        in.readIntLE());
                case MessageType.TLOPEN + 1 -> new Rlopen(qid(in), in.readIntLE());
                case MessageType.TLCREATE + 1 -> new Rlcreate(qid(in), in.readIntLE());
                case MessageType.TSYMLINK + 1 -> new Rsymlink(qid(in));
                case MessageType.TMKNOD + 1 -> new Rmknod(qid(in));
                case MessageType.TRENAME + 1 -> new Rrename();
                case MessageType.TREADLINK + 1 -> new Rreadlink(string(in));
                case MessageType.TGETATTR + 1 -> new Rgetattr(in.readLongLE(), qid(in), in.readIntLE(),
                        in.readIntLE(), in.readIntLE(), in.readLongLE(), in.readLongLE(), in.readLongLE(),
                        in.readLongLE(), in.readLongLE(), in.readLongLE(), in.readLongLE(), in.readLongLE(),
                        in.readLongLE(), in.readLongLE(), in.readLongLE(), in.readLongLE(), in.readLongLE(),
                        in.readLongLE(), in.readLongLE());
                case MessageType.TSETATTR + 1 -> new Rsetattr();
                case MessageType.TXATTRWALK + 1 -> new Rxattrwalk(in.readLongLE());
                case MessageType.TXATTRCREATE + 1 -> new Rxattrcreate();
                case MessageType.TREADDIR + 1 -> new Rreaddir(counted(in));
                case MessageType.TFSYNC + 1 -> new Rfsync();
                case MessageType.TLOCK + 1 -> new Rlock(in.readUnsignedByte());
                case MessageType.TGETLOCK + 1 -> new Rgetlock(in.readUnsignedByte(), in.readLongLE(),
                        in.readLongLE(), in.readIntLE(), string(in));
                case MessageType.TLINK + 1 -> new Rlink();
                case MessageType.TMKDIR + 1 -> new Rmkdir(qid(in));
                case MessageType.TRENAMEAT + 1 -> new Rrenameat();
                case MessageType.TUNLINKAT + 1 -> new Runlinkat();
                default -> throw new Bad("unknown message type " + type);
            };
            return new Decoded.Ok<>(tag, m);
        } catch (Bad | IndexOutOfBoundsException e) {
            return new Decoded.Malformed<>(tag, type, e instanceof Bad ? e.getMessage() : "truncated message");
        }
    }

    /** Decodes the entries of an Rreaddir's data. */
    public static List<DirEntry> decodeDirEntries(ByteBuf data) {
        var in = data.duplicate();
        var entries = new ArrayList<DirEntry>();
        while (in.isReadable()) {
            entries.add(new DirEntry(qid(in), in.readLongLE(), in.readUnsignedByte(), string(in)));
        }
        return entries;
    }

    /** One frame for request {@code m} with {@code tag}. */
    public static ByteBuf encode(ByteBufAllocator alloc, int tag, Tmessage m) {
        var out = alloc.buffer(64);
        out.writeIntLE(0).writeByte(m.type()).writeShortLE(tag);
        switch (m) {
            case Tversion v -> writeString(out.writeIntLE(v.msize()), v.version());
            case Tauth a -> {
                out.writeIntLE(a.afid());
                writeString(out, a.uname());
                writeString(out, a.aname());
                out.writeIntLE(a.nUname());
            }
            case Tattach a -> {
                out.writeIntLE(a.fid()).writeIntLE(a.afid());
                writeString(out, a.uname());
                writeString(out, a.aname());
                out.writeIntLE(a.nUname());
            }
            case Tflush f -> out.writeShortLE(f.oldtag());
            case Twalk w -> {
                out.writeIntLE(w.fid()).writeIntLE(w.newfid()).writeShortLE(w.names().size());
                w.names().forEach(n -> writeString(out, n));
            }
            case Tread r -> out.writeIntLE(r.fid()).writeLongLE(r.offset()).writeIntLE(r.count());
            case Twrite w -> {
                out.writeIntLE(w.fid()).writeLongLE(w.offset()).writeIntLE(w.data().readableBytes());
                out.writeBytes(w.data(), w.data().readerIndex(), w.data().readableBytes());
            }
            case Tclunk c -> out.writeIntLE(c.fid());
            case Tremove r -> out.writeIntLE(r.fid());
            case Tstatfs s -> out.writeIntLE(s.fid());
            case Tlopen o -> out.writeIntLE(o.fid()).writeIntLE(o.flags());
            case Tlcreate c -> {
                out.writeIntLE(c.fid());
                writeString(out, c.name());
                out.writeIntLE(c.flags()).writeIntLE(c.mode()).writeIntLE(c.gid());
            }
            case Tsymlink s -> {
                out.writeIntLE(s.fid());
                writeString(out, s.name());
                writeString(out, s.target());
                out.writeIntLE(s.gid());
            }
            case Tmknod k -> {
                out.writeIntLE(k.dfid());
                writeString(out, k.name());
                out.writeIntLE(k.mode()).writeIntLE(k.major()).writeIntLE(k.minor()).writeIntLE(k.gid());
            }
            case Trename r -> {
                out.writeIntLE(r.fid()).writeIntLE(r.dfid());
                writeString(out, r.name());
            }
            case Treadlink r -> out.writeIntLE(r.fid());
            case Tgetattr g -> out.writeIntLE(g.fid()).writeLongLE(g.requestMask());
            case Tsetattr s -> out.writeIntLE(s.fid()).writeIntLE(s.valid()).writeIntLE(s.mode()).writeIntLE(s.uid())
                    .writeIntLE(s.gid()).writeLongLE(s.size()).writeLongLE(s.atimeSec()).writeLongLE(s.atimeNsec())
                    .writeLongLE(s.mtimeSec()).writeLongLE(s.mtimeNsec());
            case Txattrwalk x -> {
                out.writeIntLE(x.fid()).writeIntLE(x.newfid());
                writeString(out, x.name());
            }
            case Txattrcreate x -> {
                out.writeIntLE(x.fid());
                writeString(out, x.name());
                out.writeLongLE(x.size()).writeIntLE(x.flags());
            }
            case Treaddir r -> out.writeIntLE(r.fid()).writeLongLE(r.offset()).writeIntLE(r.count());
            case Tfsync f -> out.writeIntLE(f.fid()).writeIntLE(f.datasync());
            case Tlock l -> {
                out.writeIntLE(l.fid()).writeByte(l.lockType()).writeIntLE(l.flags()).writeLongLE(l.start())
                        .writeLongLE(l.length()).writeIntLE(l.procId());
                writeString(out, l.clientId());
            }
            case Tgetlock l -> {
                out.writeIntLE(l.fid()).writeByte(l.lockType()).writeLongLE(l.start()).writeLongLE(l.length())
                        .writeIntLE(l.procId());
                writeString(out, l.clientId());
            }
            case Tlink l -> {
                out.writeIntLE(l.dfid()).writeIntLE(l.fid());
                writeString(out, l.name());
            }
            case Tmkdir d -> {
                out.writeIntLE(d.dfid());
                writeString(out, d.name());
                out.writeIntLE(d.mode()).writeIntLE(d.gid());
            }
            case Trenameat r -> {
                out.writeIntLE(r.olddirfid());
                writeString(out, r.oldname());
                out.writeIntLE(r.newdirfid());
                writeString(out, r.newname());
            }
            case Tunlinkat u -> {
                out.writeIntLE(u.dirfid());
                writeString(out, u.name());
                out.writeIntLE(u.flags());
            }
        }
        return out.setIntLE(0, out.readableBytes());
    }

    /**
     * One frame for reply {@code m} with {@code tag}. The data buffer of an Rread or Rreaddir becomes part of
     * the returned buffer (a composite, so file data is not copied); the caller owns the result.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int tag, Rmessage m) {
        var out = alloc.buffer(m instanceof Rgetattr ? 160 : 32);
        out.writeIntLE(0).writeByte(m.type()).writeShortLE(tag);
        ByteBuf data = null;
        switch (m) {
            case Rlerror e -> out.writeIntLE(e.ecode());
            case Rversion v -> writeString(out.writeIntLE(v.msize()), v.version());
            case Rauth a -> writeQid(out, a.aqid());
            case Rattach a -> writeQid(out, a.qid());
            case Rflush f -> {
            }
            case Rwalk w -> {
                out.writeShortLE(w.qids().size());
                w.qids().forEach(q -> writeQid(out, q));
            }
            case Rread r -> {
                out.writeIntLE(r.data().readableBytes());
                data = r.data();
            }
            case Rwrite w -> out.writeIntLE(w.count());
            case Rclunk c -> {
            }
            case Rremove r -> {
            }
            case Rstatfs s -> out.writeIntLE(s.fsType()).writeIntLE(s.bsize()).writeLongLE(s.blocks())
                    .writeLongLE(s.bfree()).writeLongLE(s.bavail()).writeLongLE(s.files()).writeLongLE(s.ffree())
                    .writeLongLE(s.fsid()).writeIntLE(s.namelen());
            case Rlopen o -> writeQid(out, o.qid()).writeIntLE(o.iounit());
            case Rlcreate c -> writeQid(out, c.qid()).writeIntLE(c.iounit());
            case Rsymlink s -> writeQid(out, s.qid());
            case Rmknod k -> writeQid(out, k.qid());
            case Rrename r -> {
            }
            case Rreadlink r -> writeString(out, r.target());
            case Rgetattr g -> {
                out.writeLongLE(g.valid());
                writeQid(out, g.qid());
                out.writeIntLE(g.mode()).writeIntLE(g.uid()).writeIntLE(g.gid()).writeLongLE(g.nlink())
                        .writeLongLE(g.rdev()).writeLongLE(g.size()).writeLongLE(g.blksize()).writeLongLE(g.blocks())
                        .writeLongLE(g.atimeSec()).writeLongLE(g.atimeNsec()).writeLongLE(g.mtimeSec())
                        .writeLongLE(g.mtimeNsec()).writeLongLE(g.ctimeSec()).writeLongLE(g.ctimeNsec())
                        .writeLongLE(g.btimeSec()).writeLongLE(g.btimeNsec()).writeLongLE(g.gen())
                        .writeLongLE(g.dataVersion());
            }
            case Rsetattr s -> {
            }
            case Rxattrwalk x -> out.writeLongLE(x.size());
            case Rxattrcreate x -> {
            }
            case Rreaddir r -> {
                out.writeIntLE(r.data().readableBytes());
                data = r.data();
            }
            case Rfsync f -> {
            }
            case Rlock l -> out.writeByte(l.status());
            case Rgetlock l -> {
                out.writeByte(l.lockType()).writeLongLE(l.start()).writeLongLE(l.length()).writeIntLE(l.procId());
                writeString(out, l.clientId());
            }
            case Rlink l -> {
            }
            case Rmkdir d -> writeQid(out, d.qid());
            case Rrenameat r -> {
            }
            case Runlinkat u -> {
            }
        }
        if (data == null) {
            return out.setIntLE(0, out.readableBytes());
        }
        out.setIntLE(0, out.readableBytes() + data.readableBytes());
        CompositeByteBuf frame = alloc.compositeBuffer(2);
        return frame.addComponents(true, out, data);
    }

    static ByteBuf writeQid(ByteBuf out, Qid qid) {
        return out.writeByte(qid.type()).writeIntLE(qid.version()).writeLongLE(qid.path());
    }

    static void writeString(ByteBuf out, String s) {
        int lengthAt = out.writerIndex();
        out.writeShortLE(0);
        int n = ByteBufUtil.writeUtf8(out, s);
        if (n > 0xffff) {
            throw new IllegalArgumentException("9P string longer than 65535 bytes");
        }
        out.setShortLE(lengthAt, n);
    }

    private static ByteBuf header(ByteBuf frame) {
        var in = frame.duplicate();
        if (in.readableBytes() < MessageType.HEADER_SIZE) {
            throw new Bad("frame shorter than a header");
        }
        long size = in.readUnsignedIntLE();
        if (size != frame.readableBytes()) {
            throw new Bad("size field " + size + " but frame has " + frame.readableBytes() + " bytes");
        }
        return in;
    }

    private static Qid qid(ByteBuf in) {
        return new Qid(in.readUnsignedByte(), in.readIntLE(), in.readLongLE());
    }

    private static String string(ByteBuf in) {
        int n = in.readUnsignedShortLE();
        if (n > in.readableBytes()) {
            throw new Bad("string of " + n + " bytes with " + in.readableBytes() + " left");
        }
        var s = in.toString(in.readerIndex(), n, StandardCharsets.UTF_8);
        in.skipBytes(n);
        return s;
    }

    private static ByteBuf counted(ByteBuf in) {
        long n = in.readUnsignedIntLE();
        if (n > in.readableBytes()) {
            throw new Bad("count " + n + " with " + in.readableBytes() + " bytes left");
        }
        return in.readRetainedSlice((int) n);
    }

    /** Internal signal for malformed input; never escapes this class. */
    private static final class Bad extends RuntimeException {
        Bad(String reason) {
            super(reason, null, false, false);
        }
    }
}
