package dev.gangway.ninep.protocol;

/** A 9P qid: the server's identity of a file. {@code path} is unique per host inode for the server's life. */
public record Qid(int type, int version, long path) {
    public static final int DIR = 0x80;
    public static final int APPEND = 0x40;
    public static final int EXCL = 0x20;
    public static final int AUTH = 0x08;
    public static final int SYMLINK = 0x02;
    public static final int FILE = 0x00;

    public static final int SIZE = 13;
}
