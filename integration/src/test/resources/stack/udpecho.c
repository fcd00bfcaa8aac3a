/*
 * udpecho IP PORT SIZE: the lab VM's UDP client (its busybox nc has no UDP). Sends one datagram of SIZE
 * bytes (a fixed pattern) from a connected UDP socket, waits up to 5 s for the echo and checks it byte
 * for byte. Prints "ok" (exit 0), "refused" (ICMP port unreachable seen as ECONNREFUSED, exit 4),
 * "short N" (exit 2), "differs" (exit 3) or "timeout" (exit 5).
 * Built without libc (raw x86-64 system calls) so that it runs in any guest:
 *   gcc -Os -static -nostdlib -fno-stack-protector -fno-builtin -fno-tree-loop-distribute-patterns
 */
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

static unsigned char out[65536], in[65536];

static long number(const char *s) {
    long v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
    }
    return v;
}

static unsigned long address(const char *s) {
    unsigned long v = 0, octet = 0;
    for (;; s++) {
        if (*s >= '0' && *s <= '9') {
            octet = octet * 10 + (unsigned long) (*s - '0');
        } else {
            v = (v << 8) | octet;
            octet = 0;
            if (!*s) {
                break;
            }
        }
    }
    return v;
}

static void say(const char *s) {
    long n = 0;
    while (s[n]) {
        n++;
    }
    sys6(1, 1, (long) s, n, 0, 0, 0);
}

static void leave(int code) {
    sys6(60, code, 0, 0, 0, 0, 0);
}

void start(long *sp) {
    char **argv = (char **) (sp + 1);
    if (sp[0] != 4) {
        say("usage: udpecho IP PORT SIZE\n");
        leave(1);
    }
    unsigned long ip = address(argv[1]);
    long port = number(argv[2]);
    long size = number(argv[3]);
    unsigned char sa[16] = {2, 0, (unsigned char) (port >> 8), (unsigned char) port, (unsigned char) (ip >> 24),
                            (unsigned char) (ip >> 16), (unsigned char) (ip >> 8), (unsigned char) ip};
    long fd = sys6(41, 2, 2, 0, 0, 0, 0);
    long timeout[2] = {5, 0};
    sys6(54, fd, 1, 20, (long) timeout, sizeof timeout, 0);
    if (sys6(42, fd, (long) sa, 16, 0, 0, 0) < 0) {
        say("connect failed\n");
        leave(1);
    }
    for (long i = 0; i < size; i++) {
        out[i] = (unsigned char) (i * 7 + 13);
    }
    if (sys6(1, fd, (long) out, size, 0, 0, 0) != size) {
        say("send failed\n");
        leave(1);
    }
    long n = sys6(0, fd, (long) in, sizeof in, 0, 0, 0);
    if (n == -111) {
        say("refused\n");
        leave(4);
    }
    if (n == -11) {
        say("timeout\n");
        leave(5);
    }
    if (n != size) {
        say("short\n");
        leave(2);
    }
    for (long i = 0; i < size; i++) {
        if (in[i] != out[i]) {
            say("differs\n");
            leave(3);
        }
    }
    say("ok\n");
    leave(0);
}

__asm__(".global _start\n_start:\n mov %rsp, %rdi\n and $-16, %rsp\n call start\n");
