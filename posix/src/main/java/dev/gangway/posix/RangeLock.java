package dev.gangway.posix;

/**
 * A byte range lock as {@code struct flock} describes it: {@code type} is {@link FileCalls#F_RDLCK},
 * {@link FileCalls#F_WRLCK} or {@link FileCalls#F_UNLCK}; {@code length} 0 means "to end of file"; {@code pid}
 * is the holder's process id for a process-associated lock and -1 for an open file description lock.
 */
public record RangeLock(int type, long start, long length, int pid) {
}
