package dev.gangway.posix;

import java.io.IOException;

/** A failed system call: the call's name and the Linux errno it set. */
public final class PosixException extends IOException {
    private final int errno;

    public PosixException(String call, int errno) {
        super(call + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
