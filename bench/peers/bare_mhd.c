/*
** bare_mhd.c: the benchmarks' bare libmicrohttpd peer (issue 5 names one as
** the reference: "a bare libmicrohttpd server at about 190k-225k requests/s
** on this kind of machine"). It answers every request with the same 50
** bytes of JSON that entente serve's cheapest answer sends on the built-in
** history ({"after":1000000000000,"last_seq":135,"events":[]}), from a response
** made once, with a pool of 2 threads and turbo as entente serve has, and
** epoll, MHD's fastest loop for this (about a tenth ahead of poll here;
** entente serve uses poll because its commands suspend connections): what
** this host does for a request with nothing of the product in it.
** usage: bare-mhd PORT [THREADS]; runs until SIGTERM or SIGINT.
*/
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

static struct MHD_Response *resp;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **state)
{
    static int seen;
    (void)cls, (void)url, (void)method, (void)version, (void)data;
    if (!*state) { /* the headers: answer on the next call, as entente serve does */
        *state = &seen;
        return MHD_YES;
    }
    if (*size) { /* a body: take it and answer at its end */
        *size = 0;
        return MHD_YES;
    }
    return MHD_queue_response(c, MHD_HTTP_OK, resp);
}

/* A whole decimal number in [lo, hi], or -1. */
static long arg_num(const char *a, long lo, long hi)
{
    char *end;
    long v = strtol(a, &end, 10);
    return (end != a && *end == 0 && v >= lo && v <= hi) ? v : -1;
}

int main(int argc, char **argv)
{
    static const char body[] = "{\"after\":1000000000000,\"last_seq\":135,\"events\":[]}";
    long port = argc > 1 ? arg_num(argv[1], 1, 65535) : -1;
    long threads = argc > 2 ? arg_num(argv[2], 1, 64) : 2;
    if (argc < 2 || argc > 3 || port < 0 || threads < 0) {
        fprintf(stderr, "usage: bare-mhd PORT [THREADS]  (PORT 1-65535, THREADS 1-64, default 2)\n");
        return EX_USAGE;
    }
    resp = MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO, (uint16_t)port,
                                            NULL, NULL, answer, NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
                                            MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                                            MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bare-mhd: cannot listen on port %s\n", argv[1]);
        return EX_UNAVAILABLE;
    }
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(resp);
    return 0;
}
