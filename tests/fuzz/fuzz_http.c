/*
** fuzz_http.c: libFuzzer target for the crisis room's request handling, in
** process: `entente serve` (srv_main, the real server: libmicrohttpd, the
** handler, the JSON decoders, the writer, the live feed, static files) runs
** in a thread of this process on a loopback port, with a journal made from
** the built-in history and one token of each principal; each input is sent as
** the raw bytes of one connection (then the write side is shut), and the
** answer is read until the server closes or 300 ms pass. In the input,
** "@KZ@", "@CHAIR@", "@OBS@" and "@ADMIN@" are replaced by those principals'
** tokens, so that the fuzzer reaches the authorized paths. A crash, a
** sanitizer report or a hang of the server (it must still answer GET
** /api/state after every input) fails the run.
*/
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "entente.h"
#include "../../src/server/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned short port;
static char tokens[4][ENT_TOKEN_CHARS + 1];
static const char *const marks[4] = { "@KZ@", "@CHAIR@", "@OBS@", "@ADMIN@" };

static void *serve_thread(void *ud)
{
    char **argv = ud;
    srv_main("fuzz_http", 9, argv);
    return NULL;
}

static int connect_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Send bytes on a new connection, shut the write side, read until closed or
** ms pass; returns the bytes read (-1: no connection). */
static long exchange(const char *p, size_t n, int ms)
{
    int fd = connect_port();
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < n) {
        ssize_t w = send(fd, p + off, n - off, MSG_NOSIGNAL);
        if (w <= 0) break;
        off += (size_t)w;
    }
    shutdown(fd, SHUT_WR);
    long got = 0;
    char buf[16384];
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long left = ms - ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
        if (left <= 0) break;
        struct pollfd pf = { fd, POLLIN, 0 };
        if (poll(&pf, 1, (int)left) <= 0) break;
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r <= 0) break;
        got += r;
    }
    close(fd);
    return got;
}

static void setup(void)
{
    /* a free loopback port */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    socklen_t len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        abort();
    port = ntohs(a.sin_port);
    close(fd);

    /* the journal, with a token for each principal */
    static char path[96];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/entente-fuzz-http-%ld.db", dir && *dir ? dir : "/tmp", (long)getpid());
    unlink(path);
    ent_db *db = NULL;
    if (ent_open(&db, path, 0, NULL) != ENT_OK) abort();
    static const char *const principals[4] = { "KZ", "chair", "observer", "admin" };
    for (int i = 0; i < 4; i++)
        if (ent_token_add(db, principals[i], principals[i], tokens[i], NULL) != ENT_OK) abort();
    ent_close(db);

    static char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", (unsigned)port);
    static char *argv[] = { "serve", "--db", NULL, "--listen", NULL, "--timeout", "2", "--today", "2027-03-01", NULL };
    argv[2] = path;
    argv[4] = listen;
    pthread_t t;
    if (pthread_create(&t, NULL, serve_thread, argv) != 0) abort();
    pthread_detach(t);
    for (int i = 0; i < 200; i++) {
        static const char get[] = "GET /api/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        if (exchange(get, sizeof get - 1, 1000) > 0) return;
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    abort(); /* the server did not start */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!port) setup();
    if (size > 65536) return 0;
    /* the input with its token marks replaced */
    char *buf = malloc(size * 12 + 1);
    if (!buf) return 0;
    size_t o = 0;
    for (size_t i = 0; i < size;) {
        int hit = -1;
        for (int m = 0; m < 4 && hit < 0; m++) {
            size_t k = strlen(marks[m]);
            if (i + k <= size && memcmp(data + i, marks[m], k) == 0) hit = m;
        }
        if (hit >= 0) {
            memcpy(buf + o, tokens[hit], ENT_TOKEN_CHARS);
            o += ENT_TOKEN_CHARS;
            i += strlen(marks[hit]);
        } else {
            buf[o++] = (char)data[i++];
        }
    }
    exchange(buf, o, 300);
    free(buf);
    /* the server still answers */
    static const char get[] = "GET /api/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (exchange(get, sizeof get - 1, 5000) <= 0) abort();
    return 0;
}
