/*
** server.h: internals of `entente serve` (src/server/), private to it.
**
** The server sits on include/entente.h, libmicrohttpd and jansson. Its
** parts:
**   serve.c    srv_main: options, the journal, the daemon, signals, shutdown
**   http.c     the request handler: routing, bodies, JSON errors, headers
**   read.c     the GET endpoints that ask the library (state?at, log, why, ...)
**   write.c    the POST endpoints: decode a body into a job for the writer
**   writer.c   the one writer thread: group commit, caches, resuming
**   stream.c   GET /api/stream: Server-Sent Events from the event ring
**   files.c    static files of the web directory
**   limit.c    per-client rate limits (registration, comments)
**   text.c     pure helpers (no I/O, no globals): decoding and encoding
**              that the fuzzers of issue 6 can drive directly
**
** Threads: libmicrohttpd's pool threads run the handlers; one writer thread
** owns every write. The ent_db is used under db_mu only. Readers of the
** cached state take cache_mu for the time of MHD_queue_response (which takes
** its own reference to the response); the writer swaps the pointer.
*/
#ifndef SRV_SERVER_H
#define SRV_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include "entente.h"

#define SRV_MAX_TOKEN 64          /* bytes of a bearer token we read (43 expected) */
#define SRV_MAX_IDEM 128          /* bytes of an Idempotency-Key */
#define SRV_RING 16384            /* recent events kept for the live feed */
#define SRV_HEARTBEAT_S 15        /* a comment on every idle stream this often */
#define SRV_REAP_MS 500           /* waiting streams checked for a peer that left this often */
#define SRV_CONN_MEMORY 16384     /* MHD's memory a connection (its default, 32 KiB, is zeroed
                                     after every request: half of it is enough for our requests) */

/* The kinds of write a job carries. */
enum { SRV_JOB_COMMANDS = 1, SRV_JOB_REGISTER, SRV_JOB_COMMENT };

/* One write queued for the writer. The handler that made it is suspended
** until the writer has stored the answer and resumed it. */
typedef struct srv_job {
    struct srv_job *next;
    struct MHD_Connection *conn;
    int kind;
    char token[SRV_MAX_TOKEN + 1]; /* "" for none */
    char idem[SRV_MAX_IDEM + 1];   /* "" for none */
    char *text;                    /* chronicle text (commands), owned */
    size_t len;
    /* register: the conference, the person; comment: the record, stance, text */
    char *a, *b, *c, *d;           /* owned strings, by kind (write.c) */
    /* the answer, set by the writer */
    unsigned http;
    char *answer;                  /* JSON body, malloc'd */
} srv_job;

/* One cached response and what it was made from. */
typedef struct srv_cache {
    struct MHD_Response *resp;     /* NULL until made */
    uint64_t version;              /* the journal's event count it was made at */
    char day[11];                  /* and the server's date */
    char etag[48];
} srv_cache;

typedef struct srv_ring_ev {
    uint64_t seq;
    char *line;                    /* "id: N\nevent: event\ndata: {...}\n\n" */
    size_t len, cap;
} srv_ring_ev;

typedef struct srv_stream srv_stream;

typedef struct srv {
    /* options */
    const char *db_path, *web_dir, *listen, *today_opt;
    int threads, public_ok, max_conns, timeout_s;
    int epoll;                 /* --loop epoll */
    size_t max_body;
    unsigned reg_per_min, comment_per_min;

    ent_db *db;
    pthread_mutex_t db_mu;         /* every library call on db */
    char today[11];

    struct MHD_Daemon *daemon;
    int web_fd;                    /* the web directory, or -1 */
    unsigned short port;

    /* the writer's queue */
    pthread_mutex_t q_mu;
    pthread_cond_t q_cv;
    srv_job *q_head, **q_tail;
    size_t q_len;
    int stopping;                  /* no new work; the writer drains and ends */
    pthread_t writer;
    int writer_started;
    uint64_t groups, grouped;      /* the writer's groups and the commands in them */
    size_t group_max;              /* the largest group */

    /* the state's cached response, per journal version and day */
    pthread_mutex_t cache_mu;
    srv_cache state;
    srv_cache world;               /* made once */
    uint64_t nevents;              /* events in the journal (the version) */

    /* the event ring and the streams waiting on it */
    pthread_mutex_t ring_mu;
    srv_ring_ev *ring;             /* SRV_RING slots, seq % SRV_RING */
    uint64_t ring_first, ring_last;/* seqs held: first..last (last 0: none) */
    srv_stream *waiting;           /* suspended streams */
    int nstreams;                  /* live streams, at most max_conns / 2 */
    uint64_t heartbeat;            /* bumped every SRV_HEARTBEAT_S */
    char last_date[11];            /* the last event's date */
    uint64_t ingested;             /* events read into the ring and the portal */
    json_t *articles, *comments;   /* the portal's texts, from the events (ring_mu) */
    int closing;                   /* streams end */

    struct srv_limits *limits;
} srv;

#include "serve.h"

/* http.c */
enum MHD_Result srv_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                            const char *version, const char *upload, size_t *upload_size, void **req_cls);
void srv_completed(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe);
size_t srv_unescape(void *cls, struct MHD_Connection *c, char *s);
void srv_headers(struct MHD_Response *r);          /* security headers on every answer */
enum MHD_Result srv_send_json(struct MHD_Connection *c, unsigned status, const char *json, size_t len);
enum MHD_Result srv_send_error(struct MHD_Connection *c, unsigned status, const char *message,
                               const char *rule, const char *source);
enum MHD_Result srv_send_status(struct MHD_Connection *c, int ent_status, ent_report *rep);
char *srv_error_json(unsigned status, const char *message, const char *rule, const char *source,
                     const char *report, size_t *len);
unsigned srv_http_of(int ent_status);
const char *srv_client_ip(struct MHD_Connection *c, char buf[64]);

/* read.c */
enum MHD_Result srv_get_api(srv *s, struct MHD_Connection *c, const char *url);
struct MHD_Response *srv_make_cached(const char *json, size_t len, const char *etag, const char *cache_control);

/* write.c: decode a POST into a job; NULL with the status and message on error */
srv_job *srv_decode_post(srv *s, struct MHD_Connection *c, const char *url, const char *body, size_t len,
                         unsigned *status, char *msg, size_t msgsz);
void srv_job_free(srv_job *j);

/* writer.c */
int srv_writer_start(srv *s);
void srv_writer_stop(srv *s);                      /* drain the queue, join */
int srv_enqueue(srv *s, srv_job *j);               /* 0, or -1 when stopping */
int srv_refresh(srv *s, const char *log, size_t len); /* under db_mu: new events (log: the group's
                                                          ent_batch_log) into the ring and the portal */
int srv_follow_date(srv *s);                       /* under db_mu: 1 if the date changed */

/* stream.c */
enum MHD_Result srv_stream_open(srv *s, struct MHD_Connection *c);
void srv_streams_wake(srv *s);                     /* resume every waiting stream */
void srv_streams_reap(srv *s);                     /* resume the waiting streams whose peer left */
void srv_ring_free(srv *s);

/* files.c */
enum MHD_Result srv_static(srv *s, struct MHD_Connection *c, const char *url);

/* limit.c */
struct srv_limits *srv_limits_new(void);
void srv_limits_free(struct srv_limits *l);
/* 0: allowed (counted); else the seconds to wait. per_min == 0: no limit. */
unsigned srv_limit_take(struct srv_limits *l, const char *ip, int kind, unsigned per_min);

/* text.c: pure helpers */
int srv_parse_refusal(const char *report, char *rule, size_t rulesz, char *source, size_t sourcesz,
                      char *message, size_t msgsz);
void srv_redact_email(char *s, size_t n);
int srv_chron_quote(char *dst, size_t dstsz, const char *s);
int srv_safe_path(const char *url, char *out, size_t outsz);
const char *srv_content_type(const char *path);
int srv_parse_u64(const char *s, uint64_t *v);
int srv_valid_date(const char *s);
int srv_valid_word(const char *s, size_t max);
int srv_arg_value(const char *args, const char *key, char *out, size_t outsz);
int srv_first_line(const char *report, char *out, size_t outsz);

#endif /* SRV_SERVER_H */
