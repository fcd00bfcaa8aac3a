/*
 * Guest-side probe for the 9P VM tests: the calls busybox cannot make (mmap writes, fcntl byte-range locks,
 * extended attributes). Built statically on the host, copied onto the share, run in the guest.
 * Every subcommand prints one line and exits 0 when the behaviour is as expected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static int fail(const char *what) {
    printf("FAIL %s: %s\n", what, strerror(errno));
    return 1;
}

static int setlk(int fd, short type, off_t start, off_t len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, F_SETLK, &fl);
}

/* mmap FILE: write through a shared mapping, read it back with read(2) and through a new mapping. */
static int do_mmap(const char *path) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, 65536) < 0) return fail("create");
    unsigned char *p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return fail("mmap rw");
    for (int i = 0; i < 65536; i++) p[i] = (unsigned char)(i * 7);
    if (msync(p, 65536, MS_SYNC) < 0) return fail("msync");
    munmap(p, 65536);
    close(fd);
    fd = open(path, O_RDONLY);
    unsigned char buf[65536];
    if (pread(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf) return fail("read back");
    for (int i = 0; i < 65536; i++) if (buf[i] != (unsigned char)(i * 7)) { printf("FAIL byte %d\n", i); return 1; }
    p = mmap(NULL, 65536, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return fail("mmap ro");
    if (memcmp(p, buf, sizeof buf) != 0) { printf("FAIL mapping differs\n"); return 1; }
    printf("mmap ok\n");
    return 0;
}

/* ranges FILE: two processes, byte ranges conflict only where they overlap; F_GETLK names the holder. */
static int do_ranges(const char *path) {
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    if (fd < 0) return fail("open");
    if (setlk(fd, F_WRLCK, 0, 10) < 0) return fail("parent lock");
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        int cfd = open(path, O_RDWR);
        if (setlk(cfd, F_WRLCK, 5, 1) == 0) { printf("FAIL overlapping lock granted\n"); _exit(1); }
        if (errno != EAGAIN && errno != EACCES) { fail("overlap errno"); _exit(1); }
        if (setlk(cfd, F_WRLCK, 10, 10) < 0) { fail("disjoint lock"); _exit(1); }
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        if (fcntl(cfd, F_GETLK, &fl) < 0) { fail("getlk"); _exit(1); }
        if (fl.l_type != F_WRLCK || fl.l_start != 0 || fl.l_len != 10) {
            printf("FAIL getlk type=%d start=%ld len=%ld\n", fl.l_type, (long)fl.l_start, (long)fl.l_len);
            _exit(1);
        }
        (void)parent;
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
    if (setlk(fd, F_UNLCK, 0, 0) < 0) return fail("unlock");
    printf("ranges ok\n");
    return 0;
}

/* trylock FILE: prints "locked" when a whole-file write lock is granted, "busy" when someone holds one. */
static int do_trylock(const char *path) {
    int fd = open(path, O_RDWR);
    if (fd < 0) return fail("open");
    if (setlk(fd, F_WRLCK, 0, 0) == 0) { printf("locked\n"); return 0; }
    if (errno == EAGAIN || errno == EACCES) { printf("busy\n"); return 0; }
    return fail("fcntl");
}

/* flock FILE: prints "locked" when a whole-file flock(2) is granted, "busy" when it conflicts. */
static int do_flock(const char *path) {
    int fd = open(path, O_RDWR);
    if (fd < 0) return fail("open");
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) { printf("locked\n"); return 0; }
    if (errno == EWOULDBLOCK) { printf("busy\n"); return 0; }
    return fail("flock");
}

/* xattr FILE: set, get, list, remove a user attribute. */
static int do_xattr(const char *path) {
    if (setxattr(path, "user.gangway-test", "value-1", 7, 0) < 0) return fail("setxattr");
    char buf[256];
    ssize_t n = getxattr(path, "user.gangway-test", buf, sizeof buf);
    if (n != 7 || memcmp(buf, "value-1", 7) != 0) return fail("getxattr");
    n = listxattr(path, buf, sizeof buf);
    if (n < 0 || memmem(buf, n, "user.gangway-test", 18) == NULL) return fail("listxattr");
    if (removexattr(path, "user.gangway-test") < 0) return fail("removexattr");
    if (getxattr(path, "user.gangway-test", buf, sizeof buf) >= 0 || errno != ENODATA) return fail("after remove");
    printf("xattr ok\n");
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) { printf("usage: probe mmap|ranges|trylock|flock|xattr FILE\n"); return 2; }
    if (!strcmp(argv[1], "mmap")) return do_mmap(argv[2]);
    if (!strcmp(argv[1], "ranges")) return do_ranges(argv[2]);
    if (!strcmp(argv[1], "trylock")) return do_trylock(argv[2]);
    if (!strcmp(argv[1], "xattr")) return do_xattr(argv[2]);
    if (!strcmp(argv[1], "flock")) return do_flock(argv[2]);
    printf("unknown subcommand %s\n", argv[1]);
    return 2;
}
