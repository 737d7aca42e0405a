/*
** serve.c: `entente serve`: options, the journal, the daemon, the writer,
** signals and a clean shutdown (docs/api.md, docs/crisis-room.md).
**
**   entente serve --db PATH [--listen HOST:PORT] [--web DIR] [--threads N]
**                 [--max-body BYTES] [--max-connections N] [--timeout S]
**                 [--register-rate N] [--comment-rate N] [--today DATE] [--public]
**
** It listens on loopback only unless --public is given. SIGINT or SIGTERM:
** stop accepting, let the writer commit and answer what is queued, end the
** live streams, stop the daemon, close the journal; exit 0.
*/
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

static void usage(const char *prog, FILE *f)
{
    fprintf(f,
            "usage: %s serve --db PATH [--listen HOST:PORT] [--web DIR] [--threads N]\n"
            "                [--loop poll|epoll] [--max-body BYTES] [--max-connections N]\n"
            "                [--timeout SECONDS] [--register-rate N] [--comment-rate N]\n"
            "                [--today DATE] [--public]\n\n"
            "The crisis room: a JSON API over the journal PATH (made from the built-in\n"
            "history if new), a live feed of its events, and the web page (docs/api.md,\n"
            "docs/crisis-room.md). Writes need a token (entente token add).\n\n"
            "  --db PATH            the journal (default: $ENTENTE_DB)\n"
            "  --listen HOST:PORT   the address (default 127.0.0.1:8080; port 0: any free one)\n"
            "  --public             allow an address that is not loopback\n"
            "  --web DIR            the page's files (default build/web if there is one, else\n"
            "                       PREFIX/share/entente/web beside the installed program)\n"
            "  --threads N          request threads (default 2)\n"
            "  --loop poll|epoll    how the request threads wait (default poll: fewer system\n"
            "                       calls for a command, whose connection waits for the writer)\n"
            "  --max-body BYTES     the largest POST body (default 65536; larger: 413)\n"
            "  --max-connections N  connections at once (default 1024)\n"
            "  --timeout SECONDS    an idle connection is closed after it (default 30)\n"
            "  --register-rate N    registrations a minute from one address (default 10)\n"
            "  --comment-rate N     comments a minute from one address (default 30)\n"
            "  --today DATE         the date of the state and of new registrations and comments\n"
            "                       (default: $ENTENTE_TODAY, else today, but not before the last event)\n"
            "  -h, --help           this help\n",
            prog);
}

static int num_opt(const char *prog, const char *name, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || *end || end == v || x < lo || x > hi) {
        fprintf(stderr, "%s serve: --%s wants a number from %ld to %ld, got '%s'\n", prog, name, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* "HOST:PORT" (HOST an IPv4 address, "localhost", or "[IPv6]") into sa. */
static int parse_listen(const char *v, struct sockaddr_storage *sa, socklen_t *len, int *loopback)
{
    char host[64];
    const char *colon = strrchr(v, ':');
    if (!colon || (size_t)(colon - v) >= sizeof host || colon == v) return -1;
    memcpy(host, v, (size_t)(colon - v));
    host[colon - v] = 0;
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || *end || end == colon + 1 || port < 0 || port > 65535) return -1;
    memset(sa, 0, sizeof *sa);
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 3 || host[n - 1] != ']') return -1;
        host[n - 1] = 0;
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) return -1;
        *loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
        *len = sizeof *s6;
        return 0;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &s4->sin_addr) != 1) return -1;
    *loopback = (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
    *len = sizeof *s4;
    return 0;
}

/* The page's files when --web is not given: build/web in a source tree (make
** run), else the page installed beside the program (make install puts it in
** PREFIX/share/entente/web, the program in PREFIX/bin). */
static const char *default_web(char *buf, size_t n)
{
    struct stat st;
    if (stat("build/web", &st) == 0 && S_ISDIR(st.st_mode)) return "build/web";
    ssize_t k = readlink("/proc/self/exe", buf, n - 1);
    if (k > 0) {
        buf[k] = 0;
        char *slash = strrchr(buf, '/');
        static const char rel[] = "/../share/entente/web";
        if (slash && (size_t)(slash - buf) + sizeof rel <= n) {
            memcpy(slash, rel, sizeof rel);
            if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) return buf;
        }
    }
    return "build/web";
}

static int start(srv *s, const char *prog)
{
    ent_report *rep = ent_report_new();
    int rc = ent_open(&s->db, s->db_path, 0, rep);
    if (rc != ENT_OK) {
        const char *t = ent_report_text(rep);
        if (*t) fputs(t, stderr);
        else fprintf(stderr, "%s serve: %s: %s\n", prog, s->db_path, ent_strstatus(rc));
        ent_report_free(rep);
        return rc;
    }
    ent_report_free(rep);
    s->ring = calloc(SRV_RING, sizeof *s->ring);
    s->articles = json_array();
    s->comments = json_array();
    s->limits = srv_limits_new();
    if (!s->ring || !s->articles || !s->comments || !s->limits) {
        fprintf(stderr, "%s serve: out of memory\n", prog);
        return EX_OSERR;
    }
    if (srv_refresh(s, NULL, 0) != 0) {
        fprintf(stderr, "%s serve: cannot read the journal's events\n", prog);
        return EX_SOFTWARE;
    }
    srv_follow_date(s);
    char *w = NULL;
    if (ent_world_json(s->db, ENT_FMT_JSON, &w) == ENT_OK && w) {
        s->world.resp = srv_make_cached(w, strlen(w), NULL, "public, max-age=3600");
    }
    ent_free(w);
    return 0;
}

int srv_main(const char *prog, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' },        { "listen", required_argument, NULL, 'l' },
        { "web", required_argument, NULL, 'w' },       { "threads", required_argument, NULL, 't' },
        { "max-body", required_argument, NULL, 'b' },  { "max-connections", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 'T' },   { "register-rate", required_argument, NULL, 'r' },
        { "comment-rate", required_argument, NULL, 'm' }, { "today", required_argument, NULL, 'D' },
        { "public", no_argument, NULL, 'p' },          { "help", no_argument, NULL, 'h' },
        { "loop", required_argument, NULL, 'L' },
        { NULL, 0, NULL, 0 }
    };
    srv sv;
    srv *s = &sv;
    memset(s, 0, sizeof *s);
    s->db_path = getenv("ENTENTE_DB");
    s->listen = "127.0.0.1:8080";
    s->web_dir = NULL;                 /* default_web() unless --web */
    s->threads = 2;
    s->max_body = 65536;
    s->max_conns = 1024;
    s->timeout_s = 30;
    s->reg_per_min = 10;
    s->comment_per_min = 30;
    s->web_fd = -1;
    const char *env_today = getenv("ENTENTE_TODAY");
    if (env_today && *env_today) s->today_opt = env_today;
    opterr = 0;
    optind = 1;
    int ch;
    long v;
    while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'h': usage(prog, stdout); return 0;
        case 'd': s->db_path = optarg; break;
        case 'l': s->listen = optarg; break;
        case 'w': s->web_dir = optarg; break;
        case 'p': s->public_ok = 1; break;
        case 'D': s->today_opt = optarg; break;
        case 'L':
            if (strcmp(optarg, "poll") != 0 && strcmp(optarg, "epoll") != 0) {
                fprintf(stderr, "%s serve: --loop wants poll or epoll, got '%s'\n", prog, optarg);
                return EX_USAGE;
            }
            s->epoll = optarg[0] == 'e';
            break;
        case 't':
            if (num_opt(prog, "threads", optarg, 1, 64, &v)) return EX_USAGE;
            s->threads = (int)v;
            break;
        case 'b':
            if (num_opt(prog, "max-body", optarg, 1024, 64L << 20, &v)) return EX_USAGE;
            s->max_body = (size_t)v;
            break;
        case 'c':
            if (num_opt(prog, "max-connections", optarg, 4, 100000, &v)) return EX_USAGE;
            s->max_conns = (int)v;
            break;
        case 'T':
            if (num_opt(prog, "timeout", optarg, 1, 3600, &v)) return EX_USAGE;
            s->timeout_s = (int)v;
            break;
        case 'r':
            if (num_opt(prog, "register-rate", optarg, 0, 1000000, &v)) return EX_USAGE;
            s->reg_per_min = (unsigned)v;
            break;
        case 'm':
            if (num_opt(prog, "comment-rate", optarg, 0, 1000000, &v)) return EX_USAGE;
            s->comment_per_min = (unsigned)v;
            break;
        case ':':
            fprintf(stderr, "%s serve: option '%s' needs a value\n", prog, argv[optind - 1]);
            usage(prog, stderr);
            return EX_USAGE;
        default:
            fprintf(stderr, "%s serve: unknown option '%s'\n", prog, argv[optind - 1]);
            usage(prog, stderr);
            return EX_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s serve: unexpected argument '%s'\n", prog, argv[optind]);
        return EX_USAGE;
    }
    if (!s->db_path || !*s->db_path) {
        fprintf(stderr, "%s serve: which journal? --db PATH (or ENTENTE_DB)\n", prog);
        return EX_USAGE;
    }
    if (s->today_opt && !srv_valid_date(s->today_opt)) {
        fprintf(stderr, "%s serve: --today wants a date YYYY-MM-DD, got '%s'\n", prog, s->today_opt);
        return EX_USAGE;
    }
    struct sockaddr_storage sa;
    socklen_t salen = 0;
    int loopback = 0;
    if (parse_listen(s->listen, &sa, &salen, &loopback) != 0) {
        fprintf(stderr, "%s serve: --listen wants HOST:PORT (127.0.0.1:8080, [::1]:8080), got '%s'\n", prog,
                s->listen);
        return EX_USAGE;
    }
    if (!loopback && !s->public_ok) {
        fprintf(stderr,
                "%s serve: %s is not a loopback address: give --public to serve other hosts "
                "(then put TLS in front: tokens travel in headers)\n",
                prog, s->listen);
        return EX_USAGE;
    }

    /* signals are taken by sigwait in this thread; every thread made from
    ** here on inherits the mask */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

#ifdef __GLIBC__
    /* the writer allocates and frees about the same memory for every group
    ** (each command's statements and arena): keep it rather than give it
    ** back to the kernel after each group and fault it in again */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
#endif
    pthread_mutex_init(&s->db_mu, NULL);
    pthread_mutex_init(&s->q_mu, NULL);
    pthread_cond_init(&s->q_cv, NULL);
    pthread_mutex_init(&s->cache_mu, NULL);
    pthread_mutex_init(&s->ring_mu, NULL);

    char webbuf[4096];
    if (!s->web_dir) s->web_dir = default_web(webbuf, sizeof webbuf);
    int status = start(s, prog);
    if (status == 0) {
        s->web_fd = open(s->web_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (s->web_fd < 0)
            fprintf(stderr, "%s serve: warning: no web directory %s (%s): the API only\n", prog, s->web_dir,
                    strerror(errno));
        if (srv_writer_start(s) != 0) {
            fprintf(stderr, "%s serve: cannot start the writer thread\n", prog);
            status = EX_OSERR;
        }
    }
    if (status == 0) {
        /* poll by default: a command's connection is suspended while the
        ** writer works, and with epoll MHD takes it out of the epoll set and
        ** puts it back (two epoll_ctl a command, about 3 us here, where a
        ** system call costs 1 us); poll has no set to keep (POST +8-13%,
        ** GET the same: docs/performance.md) */
        unsigned flags = (s->epoll ? MHD_USE_EPOLL_INTERNAL_THREAD : MHD_USE_POLL_INTERNAL_THREAD) |
                         MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO;
        if (sa.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
        s->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, srv_handler, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONN_MEMORY,
            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->max_conns,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->timeout_s, MHD_OPTION_NOTIFY_COMPLETED, srv_completed, s,
            MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_UNESCAPE_CALLBACK, srv_unescape, s, MHD_OPTION_END);
        if (!s->daemon) {
            fprintf(stderr, "%s serve: cannot listen on %s: %s\n", prog, s->listen, strerror(errno));
            status = EX_UNAVAILABLE;
        }
    }
    if (status == 0) {
        const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
        s->port = di ? di->port : 0;
        char host[64];
        if (sa.ss_family == AF_INET6) {
            host[0] = '[';
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, host + 1, sizeof host - 2);
            strcat(host, "]");
        } else {
            inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, host, sizeof host);
        }
        fprintf(stderr, "%s: serving http://%s:%u/\n", prog, host, (unsigned)s->port);
        fflush(stderr);
        int sig = 0;
        sigwait(&set, &sig);
        fprintf(stderr, "%s: %s: stopping\n", prog, sig == SIGINT ? "SIGINT" : "SIGTERM");
    }

    /* shutdown: no new connections; the writer commits and answers what is
    ** queued; the streams end; then the daemon and the journal close */
    MHD_socket lfd = MHD_INVALID_SOCKET;
    if (s->daemon) lfd = MHD_quiesce_daemon(s->daemon);
    srv_writer_stop(s);
    if (s->groups)
        fprintf(stderr, "%s: the writer put %" PRIu64 " commands in %" PRIu64 " groups (%.1f a group, at most %zu)\n",
                prog, s->grouped, s->groups, (double)s->grouped / (double)s->groups, s->group_max);
    pthread_mutex_lock(&s->ring_mu);
    s->closing = 1;
    pthread_mutex_unlock(&s->ring_mu);
    srv_streams_wake(s);
    if (s->daemon) {
        struct timespec t = { 0, 200 * 1000 * 1000 }; /* let the answers go out */
        nanosleep(&t, NULL);
        MHD_stop_daemon(s->daemon);
    }
    if (lfd != MHD_INVALID_SOCKET) close(lfd);
    if (s->state.resp) MHD_destroy_response(s->state.resp);
    if (s->world.resp) MHD_destroy_response(s->world.resp);
    if (s->db) ent_close(s->db);
    if (s->web_fd >= 0) close(s->web_fd);
    srv_ring_free(s);
    srv_limits_free(s->limits);
    pthread_mutex_destroy(&s->db_mu);
    pthread_mutex_destroy(&s->q_mu);
    pthread_cond_destroy(&s->q_cv);
    pthread_mutex_destroy(&s->cache_mu);
    pthread_mutex_destroy(&s->ring_mu);
    return status;
}
