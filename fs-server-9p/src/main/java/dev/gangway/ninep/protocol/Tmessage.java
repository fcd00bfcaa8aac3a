package dev.gangway.ninep.protocol;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The requests of 9P2000.L, one record per message, fields in wire order. Fids and counts are unsigned
 * 32-bit on the wire and carried in {@code int}s. {@link Twrite#data()} is a retained slice of the frame it
 * arrived in: whoever handles the request releases it.
 */
public sealed interface Tmessage {
    int type();

    record Tversion(int msize, String version) implements Tmessage {
        public int type() {
            return MessageType.TVERSION;
        }
    }

    record Tauth(int afid, String uname, String aname, int nUname) implements Tmessage {
        public int type() {
            return MessageType.TAUTH;
        }
    }

    record Tattach(int fid, int afid, String uname, String aname, int nUname) implements Tmessage {
        public int type() {
            return MessageType.TATTACH;
        }
    }

    record Tflush(int oldtag) implements Tmessage {
        public int type() {
            return MessageType.TFLUSH;
        }
    }

    record Twalk(int fid, int newfid, List<String> names) implements Tmessage {
        public int type() {
            return MessageType.TWALK;
        }
    }

    record Tread(int fid, long offset, int count) implements Tmessage {
        public int type() {
            return MessageType.TREAD;
        }
    }

    record Twrite(int fid, long offset, ByteBuf data) implements Tmessage {
        public int type() {
            return MessageType.TWRITE;
        }
    }

    record Tclunk(int fid) implements Tmessage {
        public int type() {
            return MessageType.TCLUNK;
        }
    }

    record Tremove(int fid) implements Tmessage {
        public int type() {
            return MessageType.TREMOVE;
        }
    }

    record Tstatfs(int fid) implements Tmessage {
        public int type() {
            return MessageType.TSTATFS;
        }
    }

    record Tlopen(int fid, int flags) implements Tmessage {
        public int type() {
            return MessageType.TLOPEN;
        }
    }

    record Tlcreate(int fid, String name, int flags, int mode, int gid) implements Tmessage {
        public int type() {
            return MessageType.TLCREATE;
        }
    }

    record Tsymlink(int fid, String name, String target, int gid) implements Tmessage {
        public int type() {
            return MessageType.TSYMLINK;
        }
    }

    record Tmknod(int dfid, String name, int mode, int major, int minor, int gid) implements Tmessage {
        public int type() {
            return MessageType.TMKNOD;
        }
    }

    record Trename(int fid, int dfid, String name) implements Tmessage {
        public int type() {
            return MessageType.TRENAME;
        }
    }

    record Treadlink(int fid) implements Tmessage {
        public int type() {
            return MessageType.TREADLINK;
        }
    }

    record Tgetattr(int fid, long requestMask) implements Tmessage {
        public int type() {
            return MessageType.TGETATTR;
        }
    }

    /** {@code valid} is a mask of the {@code SetattrValid} bits. */
    record Tsetattr(int fid, int valid, int mode, int uid, int gid, long size, long atimeSec, long atimeNsec,
            long mtimeSec, long mtimeNsec) implements Tmessage {
        public static final int MODE = 0x1;
        public static final int UID = 0x2;
        public static final int GID = 0x4;
        public static final int SIZE = 0x8;
        public static final int ATIME = 0x10;
        public static final int MTIME = 0x20;
        public static final int CTIME = 0x40;
        public static final int ATIME_SET = 0x80;
        public static final int MTIME_SET = 0x100;

        public int type() {
            return MessageType.TSETATTR;
        }
    }

    record Txattrwalk(int fid, int newfid, String name) implements Tmessage {
        public int type() {
            return MessageType.TXATTRWALK;
        }
    }

    record Txattrcreate(int fid, String name, long size, int flags) implements Tmessage {
        public int type() {
            return MessageType.TXATTRCREATE;
        }
    }

    record Treaddir(int fid, long offset, int count) implements Tmessage {
        public int type() {
            return MessageType.TREADDIR;
        }
    }

    /** Linux sends {@code datasync} after the fid; older clients omit it (decoded as 0). */
    record Tfsync(int fid, int datasync) implements Tmessage {
        public int type() {
            return MessageType.TFSYNC;
        }
    }

    record Tlock(int fid, int lockType, int flags, long start, long length, int procId, String clientId)
            implements Tmessage {
        public static final int RDLCK = 0;
        public static final int WRLCK = 1;
        public static final int UNLCK = 2;
        public static final int FLAG_BLOCK = 1;
        public static final int FLAG_RECLAIM = 2;

        public int type() {
            return MessageType.TLOCK;
        }
    }

    record Tgetlock(int fid, int lockType, long start, long length, int procId, String clientId)
            implements Tmessage {
        public int type() {
            return MessageType.TGETLOCK;
        }
    }

    record Tlink(int dfid, int fid, String name) implements Tmessage {
        public int type() {
            return MessageType.TLINK;
        }
    }

    record Tmkdir(int dfid, String name, int mode, int gid) implements Tmessage {
        public int type() {
            return MessageType.TMKDIR;
        }
    }

    record Trenameat(int olddirfid, String oldname, int newdirfid, String newname) implements Tmessage {
        public int type() {
            return MessageType.TRENAMEAT;
        }
    }

    record Tunlinkat(int dirfid, String name, int flags) implements Tmessage {
        public static final int AT_REMOVEDIR = 0x200;

        public int type() {
            return MessageType.TUNLINKAT;
        }
    }
}
