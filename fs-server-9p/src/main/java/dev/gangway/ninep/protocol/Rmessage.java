package dev.gangway.ninep.protocol;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The replies of 9P2000.L, one record per message, fields in wire order. {@link Rread#data()} and
 * {@link Rreaddir#data()} own a buffer: encoding transfers it into the outgoing frame.
 */
public sealed interface Rmessage {
    int type();

    record Rlerror(int ecode) implements Rmessage {
        public int type() {
            return MessageType.RLERROR;
        }
    }

    record Rversion(int msize, String version) implements Rmessage {
        public int type() {
            return MessageType.TVERSION + 1;
        }
    }

    record Rauth(Qid aqid) implements Rmessage {
        public int type() {
            return MessageType.TAUTH + 1;
        }
    }

    record Rattach(Qid qid) implements Rmessage {
        public int type() {
            return MessageType.TATTACH + 1;
        }
    }

    record Rflush() implements Rmessage {
        public int type() {
            return MessageType.TFLUSH + 1;
        }
    }

    record Rwalk(List<Qid> qids) implements Rmessage {
        public int type() {
            return MessageType.TWALK + 1;
        }
    }

    record Rread(ByteBuf data) implements Rmessage {
        public int type() {
            return MessageType.TREAD + 1;
        }
    }

    record Rwrite(int count) implements Rmessage {
        public int type() {
            return MessageType.TWRITE + 1;
        }
    }

    record Rclunk() implements Rmessage {
        public int type() {
            return MessageType.TCLUNK + 1;
        }
    }

    record Rremove() implements Rmessage {
        public int type() {
            return MessageType.TREMOVE + 1;
        }
    }

    record Rstatfs(int fsType, int bsize, long blocks, long bfree, long bavail, long files, long ffree, long fsid,
            int namelen) implements Rmessage {
        public int type() {
            return MessageType.TSTATFS + 1;
        }
    }

    record Rlopen(Qid qid, int iounit) implements Rmessage {
        public int type() {
            return MessageType.TLOPEN + 1;
        }
    }

    record Rlcreate(Qid qid, int iounit) implements Rmessage {
        public int type() {
            return MessageType.TLCREATE + 1;
        }
    }

    record Rsymlink(Qid qid) implements Rmessage {
        public int type() {
            return MessageType.TSYMLINK + 1;
        }
    }

    record Rmknod(Qid qid) implements Rmessage {
        public int type() {
            return MessageType.TMKNOD + 1;
        }
    }

    record Rrename() implements Rmessage {
        public int type() {
            return MessageType.TRENAME + 1;
        }
    }

    record Rreadlink(String target) implements Rmessage {
        public int type() {
            return MessageType.TREADLINK + 1;
        }
    }

    /** {@code valid} is a mask of the {@code Attr} bits the server filled in. */
    record Rgetattr(long valid, Qid qid, int mode, int uid, int gid, long nlink, long rdev, long size,
            long blksize, long blocks, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
            long ctimeSec, long ctimeNsec, long btimeSec, long btimeNsec, long gen, long dataVersion)
            implements Rmessage {
        public static final long MODE = 0x1;
        public static final long NLINK = 0x2;
        public static final long UID = 0x4;
        public static final long GID = 0x8;
        public static final long RDEV = 0x10;
        public static final long ATIME = 0x20;
        public static final long MTIME = 0x40;
        public static final long CTIME = 0x80;
        public static final long INO = 0x100;
        public static final long SIZE = 0x200;
        public static final long BLOCKS = 0x400;
        public static final long BTIME = 0x800;
        public static final long BASIC = 0x7ff;

        public int type() {
            return MessageType.TGETATTR + 1;
        }
    }

    record Rsetattr() implements Rmessage {
        public int type() {
            return MessageType.TSETATTR + 1;
        }
    }

    record Rxattrwalk(long size) implements Rmessage {
        public int type() {
            return MessageType.TXATTRWALK + 1;
        }
    }

    record Rxattrcreate() implements Rmessage {
        public int type() {
            return MessageType.TXATTRCREATE + 1;
        }
    }

    /** {@code data} holds entries as {@link DirEntry#encode} writes them. */
    record Rreaddir(ByteBuf data) implements Rmessage {
        public int type() {
            return MessageType.TREADDIR + 1;
        }
    }

    record Rfsync() implements Rmessage {
        public int type() {
            return MessageType.TFSYNC + 1;
        }
    }

    record Rlock(int status) implements Rmessage {
        public static final int SUCCESS = 0;
        public static final int BLOCKED = 1;
        public static final int ERROR = 2;
        public static final int GRACE = 3;

        public int type() {
            return MessageType.TLOCK + 1;
        }
    }

    record Rgetlock(int lockType, long start, long length, int procId, String clientId) implements Rmessage {
        public int type() {
            return MessageType.TGETLOCK + 1;
        }
    }

    record Rlink() implements Rmessage {
        public int type() {
            return MessageType.TLINK + 1;
        }
    }

    record Rmkdir(Qid qid) implements Rmessage {
        public int type() {
            return MessageType.TMKDIR + 1;
        }
    }

    record Rrenameat() implements Rmessage {
        public int type() {
            return MessageType.TRENAMEAT + 1;
        }
    }

    record Runlinkat() implements Rmessage {
        public int type() {
            return MessageType.TUNLINKAT + 1;
        }
    }
}
