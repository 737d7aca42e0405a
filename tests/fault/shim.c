/*
** shim.c: an LD_PRELOAD shim that makes one system call fail, for the fault
** injection tests (tests/fault/run.sh). It wraps the calls through which
** SQLite's unix VFS writes and syncs a journal: open/open64/openat, write,
** pwrite/pwrite64, fsync/fdatasync. Only calls on files whose path contains
** FAULT_PATH count (a descriptor is followed from the open that made it).
**   FAULT_OP     open | write | sync     which kind of call
**   FAULT_AT     N: the N-th call of that kind fails (0: none; count only)
**   FAULT_ERRNO  ENOSPC (disk full, the default) | EIO
**   FAULT_SHORT  1: a write writes half of what it was given and returns
**                that count (a short write), instead of failing
**   FAULT_COUNT  a file that gets, at exit, the number of calls of that kind
** The process goes on after the fault: what it does with the error is what
** the tests look at.
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MAXFD 4096

static int kind = -1;   /* 0 open, 1 write, 2 sync */
static long at, count;
static int err = ENOSPC, shortw;
static const char *match;
static char watched[MAXFD];

static void init(void)
{
    if (kind != -1) return;
    const char *op = getenv("FAULT_OP");
    kind = !op ? 3 : strcmp(op, "open") == 0 ? 0 : strcmp(op, "write") == 0 ? 1 : strcmp(op, "sync") == 0 ? 2 : 3;
    at = getenv("FAULT_AT") ? atol(getenv("FAULT_AT")) : 0;
    err = getenv("FAULT_ERRNO") && strcmp(getenv("FAULT_ERRNO"), "EIO") == 0 ? EIO : ENOSPC;
    shortw = getenv("FAULT_SHORT") && strcmp(getenv("FAULT_SHORT"), "1") == 0;
    match = getenv("FAULT_PATH");
}

__attribute__((destructor)) static void report(void)
{
    const char *f = getenv("FAULT_COUNT");
    if (!f) return;
    FILE *o = fopen(f, "w");
    if (!o) return;
    fprintf(o, "%ld\n", count);
    fclose(o);
}

/* Does this call fail? k = its kind. */
static int hit(int k)
{
    init();
    if (k != kind) return 0;
    count++;
    return at > 0 && count == at;
}

static int watch_path(const char *path)
{
    init();
    return path && match && strstr(path, match);
}
static int watched_fd(int fd) { return fd >= 0 && fd < MAXFD && watched[fd]; }

static int after_open(int fd, const char *path)
{
    if (fd >= 0 && fd < MAXFD) watched[fd] = (char)watch_path(path);
    return fd;
}

#define REAL(name, type) static type real_##name; if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name)

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

/* The open wrappers: the same for each entry point but the real call. */
#define OPEN_WRAPPER(real_call)                                      \
    {                                                                     \
        va_list ap;                                                       \
        va_start(ap, flags);                                              \
        mode_t m = mode_arg(flags, ap);                                   \
        va_end(ap);                                                       \
        if (watch_path(path) && hit(0)) {                                 \
            errno = err;                                                  \
            return -1;                                                    \
        }                                                                 \
        return after_open(real_call, path);                               \
    }

int open(const char *path, int flags, ...)
{
    REAL(open, open_fn);
    OPEN_WRAPPER(real_open(path, flags, m))
}

int open64(const char *path, int flags, ...)
{
    REAL(open64, open_fn);
    OPEN_WRAPPER(real_open64(path, flags, m))
}

int openat(int dir, const char *path, int flags, ...)
{
    REAL(openat, openat_fn);
    OPEN_WRAPPER(real_openat(dir, path, flags, m))
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef int (*sync_fn)(int);

/* A write on a watched descriptor that is to fail: half of it (a short
** write) or an error. */
#define WRITE_FAULT(real_call_half)                                       \
    if (watched_fd(fd) && hit(1)) {                                       \
        if (shortw && n > 1) return real_call_half;                       \
        errno = err;                                                      \
        return -1;                                                        \
    }

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(write, write_fn);
    WRITE_FAULT(real_write(fd, buf, n / 2))
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite, pwrite_fn);
    WRITE_FAULT(real_pwrite(fd, buf, n / 2, off))
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite64, pwrite_fn);
    WRITE_FAULT(real_pwrite64(fd, buf, n / 2, off))
    return real_pwrite64(fd, buf, n, off);
}

static int sync_fault(int fd)
{
    if (watched_fd(fd) && hit(2)) {
        errno = err == ENOSPC ? EIO : err;   /* a failed flush is an I/O error */
        return 1;
    }
    return 0;
}

int fsync(int fd)
{
    REAL(fsync, sync_fn);
    return sync_fault(fd) ? -1 : real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(fdatasync, sync_fn);
    return sync_fault(fd) ? -1 : real_fdatasync(fd);
}

int close(int fd)
{
    typedef int (*close_fn)(int);
    REAL(close, close_fn);
    if (fd >= 0 && fd < MAXFD) watched[fd] = 0;
    return real_close(fd);
}
