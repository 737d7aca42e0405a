/*
** stream.c: the live feed (GET /api/stream, Server-Sent Events) and what
** feeds it. After each commit the writer calls srv_refresh with the JSON
** lines the library made of the group's events as it appended them
** (ent_batch_log; any event not among them, e.g. at start, is read with
** ent_log_after, so the ring never skips one), keeps the last SRV_RING of
** them as ready-made SSE frames ("id: SEQ\nevent: event\ndata: JSON\n\n",
** e-mail addresses hidden), and indexes articles, comments and moderation
** for the portal's endpoints.
**
** A stream is a response with a content reader. When it has sent every
** event there is, the reader puts the stream on the waiting list and
** suspends its connection (returning 0); the writer resumes every waiting
** stream after a commit, and every SRV_HEARTBEAT_S seconds for a heartbeat
** comment. The list and the suspension are done under ring_mu, and the
** writer resumes under ring_mu too, so no wake-up is lost and no stream is
** resumed after it has gone. A stream too far behind for the ring reads
** from the library directly. It resumes from Last-Event-ID or ?after=.
*/
#include "server.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct srv_stream {
    srv *s;
    struct MHD_Connection *conn;
    uint64_t pos;                  /* the last seq sent */
    uint64_t hb;                   /* the heartbeat last answered */
    int waiting;
    srv_stream *next;              /* on s->waiting */
    char *pend;                    /* bytes not yet sent (a frame larger than MHD's buffer) */
    size_t plen, poff;
    int started;
    int gone;                      /* its peer has closed (srv_streams_reap) */
};

/* ------------------------------------------------------------------ */
/* The portal's index.                                                  */

/* The first needle in line[0..len), or NULL. (the line is one of many in
** a buffer: a search must not run past its end into the next events) */
static const char *line_find(const char *line, size_t len, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *p = line, *end = line + len; (size_t)(end - p) >= k;) {
        p = memchr(p, needle[0], (size_t)(end - p) - k + 1);
        if (!p) return NULL;
        if (memcmp(p, needle, k) == 0) return p;
        p++;
    }
    return NULL;
}

static void portal_event(srv *s, const char *line, size_t len)
{
    /* a quick look at the line's verb (the first "verb":" is the field: the
    ** strings before it are JSON, where a quote is escaped), then its verb
    ** as parsed decides */
    const char *v0 = line_find(line, len, "\"verb\":\"");
    if (!v0) return;
    v0 += 8;
    size_t rest = (size_t)(line + len - v0);
    if (!(rest >= 8 && memcmp(v0, "article\"", 8) == 0) && !(rest >= 8 && memcmp(v0, "comment\"", 8) == 0) &&
        !(rest >= 9 && memcmp(v0, "moderate\"", 9) == 0))
        return;
    json_t *ev = json_loadb(line, len, 0, NULL);
    if (!ev) return;
    const char *verb = json_string_value(json_object_get(ev, "verb"));
    int art = verb && strcmp(verb, "article") == 0;
    int com = verb && strcmp(verb, "comment") == 0;
    int mod = verb && strcmp(verb, "moderate") == 0;
    if (!art && !com && !mod) {
        json_decref(ev);
        return;
    }
    const char *args = json_string_value(json_object_get(ev, "args"));
    const char *subject = json_string_value(json_object_get(ev, "subject"));
    json_t *text = json_object_get(ev, "text");
    char v[4096];
    if (!args) args = "";
    if (art || com) {
        json_t *o = json_object();
        srv_arg_value(args, "id", v, sizeof v);
        json_object_set_new(o, "id", json_string(v));
        json_object_set(o, "seq", json_object_get(ev, "seq"));
        json_object_set(o, "date", json_object_get(ev, "date"));
        if (art) {
            json_object_set_new(o, "by", json_string(subject ? subject : ""));
            json_object_set_new(o, "author", srv_arg_value(args, "author", v, sizeof v) ? json_string(v) : json_null());
            json_object_set_new(o, "about", srv_arg_value(args, "about", v, sizeof v) ? json_string(v) : json_null());
            json_object_set_new(o, "title", srv_arg_value(args, "title", v, sizeof v) ? json_string(v) : json_null());
        } else {
            json_object_set_new(o, "about", json_string(subject ? subject : ""));
            json_object_set_new(o, "stance", srv_arg_value(args, "stance", v, sizeof v) ? json_string(v) : json_null());
            json_object_set_new(o, "author", srv_arg_value(args, "author", v, sizeof v) ? json_string(v) : json_null());
        }
        json_object_set(o, "text", text ? text : json_null());
        if (com) json_object_set_new(o, "hidden", json_false());
        json_array_append_new(art ? s->articles : s->comments, o);
    } else {
        /* "C2 hide reason=..." */
        char id[80], act[16];
        if (sscanf(args, "%79s %15s", id, act) == 2) {
            size_t i;
            json_t *c;
            json_array_foreach(s->comments, i, c) {
                const char *cid = json_string_value(json_object_get(c, "id"));
                if (cid && strcmp(cid, id) == 0)
                    json_object_set_new(c, "hidden", json_boolean(strcmp(act, "hide") == 0));
            }
        }
    }
    json_decref(ev);
}

/* ------------------------------------------------------------------ */
/* The ring.                                                            */

/* The decimal digits of v into the end of buf (24 bytes); their start. */
static char *u64_digits(char buf[24], uint64_t v)
{
    char *p = buf + 24;
    do *--p = (char)('0' + v % 10); while ((v /= 10) != 0);
    return p;
}

/* Event seq's frame into the ring, with the e-mail addresses hidden;
** the frame's data (the JSON, redacted) through *data, or NULL. */
static const char *ring_put(srv *s, uint64_t seq, const char *json, size_t len)
{
    static const char head[] = "id: ", mid[] = "\nevent: event\ndata: ";
    char num[24];
    const char *d = u64_digits(num, seq);
    size_t nd = (size_t)(num + sizeof num - d);
    srv_ring_ev *e = &s->ring[seq % SRV_RING];
    size_t need = sizeof head - 1 + nd + sizeof mid - 1 + len + 2;
    char *p = e->line;
    if (need + 1 > e->cap) {
        size_t cap = need + 1 < 256 ? 256 : need + 1 + need / 2;
        p = realloc(e->line, cap);
        if (!p) return NULL;
        e->line = p;
        e->cap = cap;
    }
    size_t o = 0;
    memcpy(p + o, head, sizeof head - 1), o += sizeof head - 1;
    memcpy(p + o, d, nd), o += nd;
    memcpy(p + o, mid, sizeof mid - 1), o += sizeof mid - 1;
    char *data = p + o;
    memcpy(p + o, json, len), o += len;
    memcpy(p + o, "\n\n", 3), o += 2;
    srv_redact_email(data, len);
    e->len = o;
    e->seq = seq;
    if (s->ring_last == 0 || seq < s->ring_first) s->ring_first = seq;
    s->ring_last = seq;
    if (s->ring_last - s->ring_first >= SRV_RING) s->ring_first = s->ring_last - SRV_RING + 1;
    return data;
}

/* The seq of an event's JSON line ({"seq":N,...}), 0 if none. */
static uint64_t line_seq(const char *p, size_t len)
{
    static const char k[] = "{\"seq\":";
    if (len < sizeof k || memcmp(p, k, sizeof k - 1) != 0) return 0;
    uint64_t v = 0;
    for (size_t i = sizeof k - 1; i < len && p[i] >= '0' && p[i] <= '9' && v < UINT64_MAX / 10 - 9; i++)
        v = v * 10 + (uint64_t)(p[i] - '0');
    return v;
}

/* Under ring_mu: the JSON lines in buf[0..len) that follow s->ingested
** without a gap into the ring and the portal. The first line that does not
** follow (a gap) stops it: 1 then, else 0. */
static int ingest(srv *s, const char *buf, size_t len)
{
    for (const char *p = buf, *end = buf + len; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
        uint64_t seq = line_seq(p, n);
        if (seq > s->ingested) {
            if (seq != s->ingested + 1) return 1;
            const char *data = ring_put(s, seq, p, n);
            if (!data) return 1;
            portal_event(s, data, n);
            const char *d = data + 8;          /* {"seq":N,"date":"YYYY-MM-DD" */
            while (d < data + n && *d != ',') d++;
            if (d + 9 + 10 <= data + n && memcmp(d, ",\"date\":\"", 9) == 0) {
                memcpy(s->last_date, d + 9, 10);
                s->last_date[10] = 0;
            }
            s->ingested = seq;
        }
        p = eol ? eol + 1 : end;
    }
    return 0;
}

/* Under db_mu: the events not yet seen into the ring and the portal: those
** of log[0..len) (the JSON lines of the group just committed,
** ent_batch_log), then any others from the library (ent_log_after).
** 0, or -1 when the library failed (the feed then lags until the next). */
int srv_refresh(srv *s, const char *log, size_t len)
{
    uint64_t count = ent_event_count(s->db);
    if (log && len) {
        pthread_mutex_lock(&s->ring_mu);
        ingest(s, log, len);
        pthread_mutex_unlock(&s->ring_mu);
    }
    int ret = 0;
    while (s->ingested < count) {
        char *out = NULL;
        int rc = ent_log_after(s->db, s->ingested, 4096, ENT_FMT_JSONL, &out);
        if (rc != ENT_OK || !out || !*out) {
            ent_free(out);
            ret = -1;
            break;
        }
        pthread_mutex_lock(&s->ring_mu);
        uint64_t before = s->ingested;
        ingest(s, out, strlen(out));
        uint64_t after = s->ingested;
        pthread_mutex_unlock(&s->ring_mu);
        ent_free(out);
        if (after == before) {
            ret = -1;
            break;
        }
    }
    pthread_mutex_lock(&s->cache_mu);
    s->nevents = s->ingested;
    pthread_mutex_unlock(&s->cache_mu);
    return ret;
}

void srv_ring_free(srv *s)
{
    if (s->ring)
        for (size_t i = 0; i < SRV_RING; i++) free(s->ring[i].line);
    free(s->ring);
    s->ring = NULL;
    json_decref(s->articles);
    json_decref(s->comments);
    s->articles = s->comments = NULL;
}

/* ------------------------------------------------------------------ */
/* Streams.                                                             */

void srv_streams_wake(srv *s)
{
    pthread_mutex_lock(&s->ring_mu);
    for (srv_stream *st = s->waiting, *next; st; st = next) {
        next = st->next;
        st->waiting = 0;
        st->next = NULL;
        MHD_resume_connection(st->conn);
    }
    s->waiting = NULL;
    pthread_mutex_unlock(&s->ring_mu);
}

/* A suspended connection is out of MHD's poll set, so a peer that closes a
** waiting stream would hold its connection until the next commit or
** heartbeat, and enough of them would fill --max-connections (seen: 1,024
** streams opened and dropped kept every new request out for 11 s). Every
** SRV_REAP_MS the writer looks at the waiting streams' sockets (one poll,
** no wait; a readable one is peeked at: end of file or an error means the
** peer has gone) and resumes those, marked, so that their reader ends the
** response and MHD frees the connection. The sockets are valid: a
** stream on the list is suspended, and MHD closes no suspended connection. */
void srv_streams_reap(srv *s)
{
    pthread_mutex_lock(&s->ring_mu);
    size_t n = 0;
    for (srv_stream *st = s->waiting; st; st = st->next) n++;
    struct pollfd *fds = n ? malloc(n * sizeof *fds) : NULL;
    if (fds) {
        size_t i = 0;
        for (srv_stream *st = s->waiting; st; st = st->next, i++) {
            const union MHD_ConnectionInfo *ci = MHD_get_connection_info(st->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
            fds[i].fd = ci ? ci->connect_fd : -1;
            fds[i].events = POLLIN;  /* a closed peer reads as end of file */
            fds[i].revents = 0;
        }
        if (poll(fds, (nfds_t)n, 0) > 0) {
            i = 0;
            for (srv_stream **pp = &s->waiting, *st; (st = *pp) != NULL; i++) {
                int gone = (fds[i].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
                if (!gone && (fds[i].revents & POLLIN)) {
                    /* end of file, or bytes the client sent (left where they are) */
                    char c;
                    ssize_t r = recv(fds[i].fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
                    gone = r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
                }
                if (gone) {
                    *pp = st->next;
                    st->waiting = 0;
                    st->next = NULL;
                    st->gone = 1;          /* the reader ends the response */
                    MHD_resume_connection(st->conn);
                } else {
                    pp = &st->next;
                }
            }
        }
        free(fds);
    }
    pthread_mutex_unlock(&s->ring_mu);
}

/* Frames after st->pos from the library (a stream behind the ring) into
** st->pend. Called without ring_mu. */
static void from_library(srv_stream *st)
{
    srv *s = st->s;
    char *out = NULL;
    pthread_mutex_lock(&s->db_mu);
    int rc = ent_log_after(s->db, st->pos, 256, ENT_FMT_JSONL, &out);
    pthread_mutex_unlock(&s->db_mu);
    if (rc != ENT_OK || !out) {
        ent_free(out);
        return;
    }
    size_t cap = strlen(out) * 2 + 256, o = 0;
    char *buf = malloc(cap);
    for (char *p = out; buf && *p;) {
        char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        uint64_t seq = 0;
        if (sscanf(p, "{\"seq\":%" SCNu64, &seq) == 1 && seq > st->pos) {
            srv_redact_email(p, len);
            int n = snprintf(buf + o, cap - o, "id: %" PRIu64 "\nevent: event\ndata: %.*s\n\n", seq, (int)len, p);
            if (n < 0 || (size_t)n >= cap - o) break;
            o += (size_t)n;
            st->pos = seq;
        }
        p = eol ? eol + 1 : p + len;
    }
    ent_free(out);
    st->pend = buf;
    st->plen = buf ? o : 0;
    st->poff = 0;
}

static ssize_t send_pending(srv_stream *st, char *buf, size_t max)
{
    size_t n = st->plen - st->poff;
    if (n > max) n = max;
    memcpy(buf, st->pend + st->poff, n);
    st->poff += n;
    if (st->poff == st->plen) {
        free(st->pend);
        st->pend = NULL;
        st->plen = st->poff = 0;
    }
    return (ssize_t)n;
}

static ssize_t reader(void *cls, uint64_t off, char *buf, size_t max)
{
    srv_stream *st = cls;
    srv *s = st->s;
    (void)off;
    if (st->pend) return send_pending(st, buf, max);
    if (!st->started) {
        st->started = 1;
        static const char hello[] = "retry: 2000\n: entente live feed\n\n";
        size_t n = sizeof hello - 1 < max ? sizeof hello - 1 : max;
        memcpy(buf, hello, n);
        return (ssize_t)n;
    }
    pthread_mutex_lock(&s->ring_mu);
    if (s->closing || st->gone) {
        int gone = st->gone;
        pthread_mutex_unlock(&s->ring_mu);
        return gone ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (s->ring_last > st->pos) {
        if (st->pos + 1 < s->ring_first) {
            pthread_mutex_unlock(&s->ring_mu);
            from_library(st);
            if (st->pend) return send_pending(st, buf, max);
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        size_t o = 0;
        while (st->pos < s->ring_last) {
            const srv_ring_ev *e = &s->ring[(st->pos + 1) % SRV_RING];
            if (e->len > max - o) {
                if (o) break;
                /* a frame larger than the buffer: send it in pieces */
                st->pend = malloc(e->len);
                if (!st->pend) break;
                memcpy(st->pend, e->line, e->len);
                st->plen = e->len;
                st->poff = 0;
                st->pos++;
                pthread_mutex_unlock(&s->ring_mu);
                return send_pending(st, buf, max);
            }
            memcpy(buf + o, e->line, e->len);
            o += e->len;
            st->pos++;
        }
        pthread_mutex_unlock(&s->ring_mu);
        return o ? (ssize_t)o : MHD_CONTENT_READER_END_WITH_ERROR;
    }
    if (st->hb != s->heartbeat) {
        st->hb = s->heartbeat;
        pthread_mutex_unlock(&s->ring_mu);
        static const char hb[] = ": heartbeat\n\n";
        memcpy(buf, hb, sizeof hb - 1 < max ? sizeof hb - 1 : max);
        return (ssize_t)(sizeof hb - 1 < max ? sizeof hb - 1 : max);
    }
    /* nothing to send: wait for the writer */
    st->waiting = 1;
    st->next = s->waiting;
    s->waiting = st;
    MHD_suspend_connection(st->conn);
    pthread_mutex_unlock(&s->ring_mu);
    return 0;
}

static void stream_free(void *cls)
{
    srv_stream *st = cls;
    srv *s = st->s;
    pthread_mutex_lock(&s->ring_mu);
    if (st->waiting) {
        for (srv_stream **pp = &s->waiting; *pp; pp = &(*pp)->next) {
            if (*pp == st) {
                *pp = st->next;
                break;
            }
        }
    }
    s->nstreams--;
    pthread_mutex_unlock(&s->ring_mu);
    free(st->pend);
    free(st);
}

/* GET /api/stream[?after=SEQ], Last-Event-ID: SEQ. */
enum MHD_Result srv_stream_open(srv *s, struct MHD_Connection *c)
{
    const char *last = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
    const char *after = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
    uint64_t pos = 0;
    if (last && *last) {
        if (srv_parse_u64(last, &pos) != 0) return srv_send_error(c, 400, "Last-Event-ID: a sequence number", NULL, NULL);
    } else if (after) {
        if (srv_parse_u64(after, &pos) != 0) return srv_send_error(c, 400, "after: a sequence number", NULL, NULL);
    } else {
        pthread_mutex_lock(&s->ring_mu);
        pos = s->ingested;             /* without a position: from now on */
        pthread_mutex_unlock(&s->ring_mu);
    }
    /* half the connections at most are streams, so that a crowd of them
    ** (or of dropped ones not yet reaped) leaves room for every other request */
    int max_streams = s->max_conns / 2 > 0 ? s->max_conns / 2 : 1;
    pthread_mutex_lock(&s->ring_mu);
    if (s->nstreams >= max_streams) {
        pthread_mutex_unlock(&s->ring_mu);
        char msg[96];
        snprintf(msg, sizeof msg, "too many live streams (%d, half of --max-connections): try again", max_streams);
        return srv_send_error(c, 503, msg, NULL, NULL);
    }
    s->nstreams++;
    pthread_mutex_unlock(&s->ring_mu);
    srv_stream *st = calloc(1, sizeof *st);
    if (!st) goto fail;
    st->s = s;
    st->conn = c;
    st->pos = pos;
    pthread_mutex_lock(&s->ring_mu);
    st->hb = s->heartbeat;
    pthread_mutex_unlock(&s->ring_mu);
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, reader, st, stream_free);
    if (!r) {
        free(st);
        goto fail;
    }
    MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    srv_headers(r);
    /* a stream is idle by nature: no idle timeout (the heartbeat finds a dead peer) */
    MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, 0);
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);       /* if not queued, stream_free counts it out */
    return ok;
fail:
    pthread_mutex_lock(&s->ring_mu);
    s->nstreams--;
    pthread_mutex_unlock(&s->ring_mu);
    return MHD_NO;
}
