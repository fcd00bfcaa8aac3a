package dev.gangway.fsevents.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import dev.gangway.fsevents.replay.Ghost;

/**
 * What the detector remembers of one entry: enough to tell a content change from a metadata change and
 * to recognise a renamed entry by its file key. Read with {@code lstat}: links are never followed.
 */
record FileState(Object fileKey, Type type, long size, long mtimeNanos, long ctimeNanos, int mode, int uid, int gid,
        long dev, long ino) {
    enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    private static final boolean UNIX_VIEW =
            java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    boolean directory() {
        return type == Type.DIRECTORY;
    }

    /** The entry's state now, or {@code null} when it does not exist. */
    static FileState read(Path path) throws IOException {
        try {
            if (UNIX_VIEW) {
                var a = Files.readAttributes(path, "unix:fileKey,isDirectory,isSymbolicLink,isRegularFile,size,"
                        + "lastModifiedTime,ctime,mode,uid,gid,dev,ino", LinkOption.NOFOLLOW_LINKS);
                return new FileState(a.get("fileKey"), type((Boolean) a.get("isDirectory"),
                        (Boolean) a.get("isSymbolicLink"), (Boolean) a.get("isRegularFile")),
                        (Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
                        nanos((FileTime) a.get("ctime")), (Integer) a.get("mode"), (Integer) a.get("uid"),
                        (Integer) a.get("gid"), (Long) a.get("dev"), (Long) a.get("ino"));
            }
            var a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new FileState(a.fileKey(), type(a.isDirectory(), a.isSymbolicLink(), a.isRegularFile()),
                    a.size(), nanos(a.lastModifiedTime()), 0, 0, 0, 0, 0, 0);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Content changed, or the entry was replaced by another one under the same name. A directory's size
     * and times move whenever an entry is added inside it, which inotify reports on the child, not on
     * the directory: only its identity counts. For other entries a new modification time counts as
     * content, since the host's watcher cannot tell a same-size rewrite from {@code touch}.
     */
    boolean contentDiffers(FileState other) {
        if (!java.util.Objects.equals(fileKey, other.fileKey) || type != other.type) {
            return true;
        }
        return type != Type.DIRECTORY && (size != other.size || mtimeNanos != other.mtimeNanos);
    }

    /** Mode or owner differ, or (not for directories) the change time moved: chmod, chown, link, xattr. */
    boolean metadataDiffers(FileState other) {
        return mode != other.mode || uid != other.uid || gid != other.gid
                || (type != Type.DIRECTORY && ctimeNanos != other.ctimeNanos);
    }

    /** What the 9P server shows the agent for this entry once it is gone from the host. */
    Ghost ghost() {
        return new Ghost(type == Type.DIRECTORY, dev, ino, mode, uid, gid, size, mtimeNanos, ctimeNanos);
    }

    private static Type type(boolean dir, boolean link, boolean regular) {
        return dir ? Type.DIRECTORY : link ? Type.SYMLINK : regular ? Type.FILE : Type.OTHER;
    }

    private static long nanos(FileTime time) {
        return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
