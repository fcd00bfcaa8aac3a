/**
 * The security boundary and the host-side meaning of files: {@link dev.gangway.ninep.share.ShareRoot} is the
 * one small class through which every guest-supplied name reaches the host (an {@code O_PATH} root, single
 * checked names resolved with {@code openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS)},
 * links never followed, special files never opened, {@code EROFS} on read-only shares);
 * {@link dev.gangway.ninep.share.Ownership} maps guest owners and modes onto the host (passthrough as root,
 * or mapped into an extended attribute); {@link dev.gangway.ninep.share.QidMap} gives inodes their qids.
 *
 * <p>Data path: a walk turns each name into an {@code O_PATH} descriptor beneath the previous one; opens,
 * creates and every {@code *at} call start from such descriptors, so a directory replaced by a symlink after
 * the walk still refers to the inode that was walked.
 *
 * <p>Limits: a directory a host process moves out of the share while the guest holds it stays reachable
 * through the held descriptor (as with virtiofsd); mapped mode cannot record owners on symlinks; passthrough
 * refuses to create device nodes on the host.
 */
package dev.gangway.ninep.share;
