package dev.gangway.ninep.share;

/** What the guest is shown as a file's owner, mode (type and permission bits) and device number. */
public record Attributes(int mode, int uid, int gid, long rdev) {
}
