/*
** read.c: the GET endpoints under /api/ (docs/api.md):
**   /api/state[?at=DATE]   the organization (cached per journal version and day)
**   /api/log?after=SEQ[&limit=N]   events after SEQ (at most N, default 1000)
**   /api/why/ID            how a record came about (the library's text)
**   /api/route?from=&to=[&at=]     routes between two capitals
**   /api/whoami            the principal and name of the bearer token
**   /api/stream            the live feed (stream.c)
**   /api/conferences       the conferences of the state
**   /api/articles          the articles, from the events
**   /api/comments?about=ID the visible comments on a record
**   /api/world             states, capitals, borders (for the map)
** Query parameters that an endpoint does not know are refused (400, naming
** the parameter). E-mail addresses are hidden in every text served.
*/
#include "server.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A response built once and queued many times (MHD counts references). */
struct MHD_Response *srv_make_cached(const char *json, size_t len, const char *etag, const char *cache_control)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)json, MHD_RESPMEM_MUST_COPY);
    if (!r) return NULL;
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", cache_control);
    if (etag) MHD_add_response_header(r, "ETag", etag);
    srv_headers(r);
    return r;
}

/* Refuse a query parameter not in allowed (NULL-terminated). */
typedef struct argcheck {
    const char *const *allowed;
    char bad[64];
} argcheck;

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    argcheck *a = cls;
    (void)kind;
    (void)value;
    for (const char *const *p = a->allowed; *p; p++)
        if (strcmp(*p, key) == 0) return MHD_YES;
    snprintf(a->bad, sizeof a->bad, "%s", key);
    return MHD_NO;
}

static int unknown_arg(struct MHD_Connection *c, const char *const *allowed, char bad[64])
{
    argcheck a = { allowed, "" };
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_arg, &a);
    memcpy(bad, a.bad, sizeof a.bad);
    return a.bad[0] != 0;
}

static enum MHD_Result send_text_owned(struct MHD_Connection *c, char *json)
{
    if (!json) return srv_send_error(c, 500, "out of memory", NULL, NULL);
    enum MHD_Result ok = srv_send_json(c, 200, json, strlen(json));
    free(json);
    return ok;
}

/* Queue the cached response in *slot if it is current. */
static int queue_cached(srv *s, struct MHD_Connection *c, srv_cache *slot, enum MHD_Result *ok)
{
    int done = 0;
    pthread_mutex_lock(&s->cache_mu);
    if (slot->resp && slot->version == s->nevents && strcmp(slot->day, s->today) == 0) {
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
        if (inm && strcmp(inm, slot->etag) == 0) {
            pthread_mutex_unlock(&s->cache_mu);
            struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
            if (!r) {
                *ok = MHD_NO;
                return 1;
            }
            MHD_add_response_header(r, "ETag", inm);
            srv_headers(r);
            *ok = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, r);
            MHD_destroy_response(r);
            return 1;
        }
        *ok = MHD_queue_response(c, MHD_HTTP_OK, slot->resp);
        done = 1;
    }
    pthread_mutex_unlock(&s->cache_mu);
    return done;
}

/* The state of today, from the cache, made again when the journal or the day
** has changed since. */
static enum MHD_Result get_state(srv *s, struct MHD_Connection *c)
{
    enum MHD_Result ok;
    if (queue_cached(s, c, &s->state, &ok)) return ok;
    pthread_mutex_lock(&s->db_mu);
    if (s->state.version != s->nevents || strcmp(s->state.day, s->today) != 0 || !s->state.resp) {
        char *out = NULL;
        int rc = ent_state(s->db, NULL, ENT_FMT_JSON, &out, NULL);
        if (rc != ENT_OK) {
            pthread_mutex_unlock(&s->db_mu);
            ent_free(out);
            return srv_send_status(c, rc, NULL);
        }
        size_t n = strlen(out);
        char etag[48];
        snprintf(etag, sizeof etag, "\"%" PRIu64 "-%s\"", s->nevents, s->today);
        struct MHD_Response *r = srv_make_cached(out, n, etag, "no-cache");
        ent_free(out);
        if (!r) {
            pthread_mutex_unlock(&s->db_mu);
            return MHD_NO;
        }
        pthread_mutex_lock(&s->cache_mu);
        struct MHD_Response *old = s->state.resp;
        s->state.resp = r;
        s->state.version = s->nevents;
        memcpy(s->state.day, s->today, sizeof s->state.day);
        snprintf(s->state.etag, sizeof s->state.etag, "%s", etag);
        pthread_mutex_unlock(&s->cache_mu);
        if (old) MHD_destroy_response(old);
    }
    pthread_mutex_unlock(&s->db_mu);
    if (queue_cached(s, c, &s->state, &ok)) return ok;
    return srv_send_error(c, 503, "the state is being made again: try again", NULL, NULL);
}

static enum MHD_Result get_state_at(srv *s, struct MHD_Connection *c, const char *at)
{
    if (!srv_valid_date(at)) return srv_send_error(c, 400, "at: a date YYYY-MM-DD", NULL, NULL);
    char *out = NULL;
    ent_report *rep = ent_report_new();
    pthread_mutex_lock(&s->db_mu);
    int rc = ent_state(s->db, at, ENT_FMT_JSON, &out, rep);
    pthread_mutex_unlock(&s->db_mu);
    enum MHD_Result ok = rc == ENT_OK ? srv_send_json(c, 200, out, strlen(out)) : srv_send_status(c, rc, rep);
    ent_free(out);
    ent_report_free(rep);
    return ok;
}

static enum MHD_Result get_log(srv *s, struct MHD_Connection *c)
{
    const char *a = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
    const char *l = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    uint64_t after = 0, limit = 1000;
    if (a && srv_parse_u64(a, &after) != 0) return srv_send_error(c, 400, "after: a sequence number", NULL, NULL);
    if (l && (srv_parse_u64(l, &limit) != 0 || limit == 0 || limit > 10000))
        return srv_send_error(c, 400, "limit: a number from 1 to 10000", NULL, NULL);
    char *out = NULL;
    pthread_mutex_lock(&s->db_mu);
    int rc = ent_log_after(s->db, after, (size_t)limit, ENT_FMT_JSON, &out);
    uint64_t count = s->nevents;
    pthread_mutex_unlock(&s->db_mu);
    if (rc != ENT_OK) {
        ent_free(out);
        return srv_send_status(c, rc, NULL);
    }
    size_t n = out ? strlen(out) : 0;
    srv_redact_email(out, n);
    /* trim the array's trailing newline; an empty answer is [] */
    while (n && (out[n - 1] == '\n' || out[n - 1] == ' ')) n--;
    size_t cap = n + 96;
    char *z = malloc(cap);
    if (z)
        snprintf(z, cap, "{\"after\":%" PRIu64 ",\"last_seq\":%" PRIu64 ",\"events\":%.*s}", after, count,
                 (int)(n ? n : 2), n ? out : "[]");
    ent_free(out);
    return send_text_owned(c, z);
}

static enum MHD_Result get_why(srv *s, struct MHD_Connection *c, const char *id)
{
    if (!srv_valid_word(id, 64)) return srv_send_error(c, 404, "no record with that id", NULL, NULL);
    char *out = NULL;
    ent_report *rep = ent_report_new();
    pthread_mutex_lock(&s->db_mu);
    int rc = ent_why(s->db, id, ENT_FMT_TEXT, &out, rep);
    pthread_mutex_unlock(&s->db_mu);
    enum MHD_Result ok;
    if (rc != ENT_OK) {
        ok = srv_send_status(c, rc, rep);
    } else {
        srv_redact_email(out, strlen(out));
        json_t *o = json_pack("{s:s, s:s}", "id", id, "text", out);
        ok = send_text_owned(c, o ? json_dumps(o, JSON_COMPACT) : NULL);
        json_decref(o);
    }
    ent_free(out);
    ent_report_free(rep);
    return ok;
}

static enum MHD_Result get_route(srv *s, struct MHD_Connection *c)
{
    const char *from = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "from");
    const char *to = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to");
    const char *at = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "at");
    if (!from || !to) return srv_send_error(c, 400, "from and to: two state codes are required", NULL, NULL);
    if (!srv_valid_word(from, 8) || !srv_valid_word(to, 8))
        return srv_send_error(c, 400, "from and to: state codes such as RU", NULL, NULL);
    if (at && !srv_valid_date(at)) return srv_send_error(c, 400, "at: a date YYYY-MM-DD", NULL, NULL);
    char *out = NULL;
    ent_report *rep = ent_report_new();
    pthread_mutex_lock(&s->db_mu);
    int rc = ent_route(s->db, from, to, at, ENT_FMT_JSON, &out, rep);
    pthread_mutex_unlock(&s->db_mu);
    enum MHD_Result ok = rc == ENT_OK ? srv_send_json(c, 200, out, strlen(out)) : srv_send_status(c, rc, rep);
    ent_free(out);
    ent_report_free(rep);
    return ok;
}

static enum MHD_Result get_whoami(srv *s, struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h) return srv_send_error(c, 401, "no token: Authorization: Bearer TOKEN", NULL, NULL);
    if (strncmp(h, "Bearer ", 7) != 0 || strlen(h + 7) != ENT_TOKEN_CHARS)
        return srv_send_error(c, 401, "malformed token: Authorization: Bearer and 43 characters of base64url", NULL,
                              NULL);
    char principal[16], name[64];
    pthread_mutex_lock(&s->db_mu);
    int rc = ent_token_who(s->db, h + 7, principal, name);
    pthread_mutex_unlock(&s->db_mu);
    if (rc != ENT_OK) return srv_send_error(c, 401, "unknown or revoked token", NULL, NULL);
    json_t *o = json_pack("{s:s, s:s}", "principal", principal, "name", name);
    enum MHD_Result ok = send_text_owned(c, o ? json_dumps(o, JSON_COMPACT) : NULL);
    json_decref(o);
    return ok;
}

/* The state's "conferences" (from the cached state's text). */
static enum MHD_Result get_conferences(srv *s, struct MHD_Connection *c)
{
    char *out = NULL;
    pthread_mutex_lock(&s->db_mu);
    int rc = ent_state(s->db, NULL, ENT_FMT_JSON, &out, NULL);
    pthread_mutex_unlock(&s->db_mu);
    if (rc != ENT_OK) {
        ent_free(out);
        return srv_send_status(c, rc, NULL);
    }
    json_t *st = json_loads(out, 0, NULL);
    ent_free(out);
    json_t *confs = st ? json_object_get(st, "conferences") : NULL;
    json_t *o = json_pack("{s:O?}", "conferences", confs);
    enum MHD_Result ok = send_text_owned(c, o ? json_dumps(o, JSON_COMPACT) : NULL);
    json_decref(o);
    json_decref(st);
    return ok;
}

static enum MHD_Result get_portal(srv *s, struct MHD_Connection *c, int comments)
{
    const char *about = comments ? MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "about") : NULL;
    if (comments && (!about || !srv_valid_word(about, 64)))
        return srv_send_error(c, 400, "about: the id of a record is required", NULL, NULL);
    json_t *arr = json_array();
    pthread_mutex_lock(&s->ring_mu);
    size_t i;
    json_t *v;
    json_array_foreach(comments ? s->comments : s->articles, i, v) {
        if (comments) {
            const char *ab = json_string_value(json_object_get(v, "about"));
            if (!ab || strcmp(ab, about) != 0 || json_is_true(json_object_get(v, "hidden"))) continue;
        }
        json_array_append_new(arr, json_deep_copy(v));
    }
    pthread_mutex_unlock(&s->ring_mu);
    json_t *o = comments ? json_pack("{s:s, s:o}", "about", about, "comments", arr)
                         : json_pack("{s:o}", "articles", arr);
    enum MHD_Result ok = send_text_owned(c, o ? json_dumps(o, JSON_COMPACT) : NULL);
    json_decref(o);
    return ok;
}

static enum MHD_Result get_world(srv *s, struct MHD_Connection *c)
{
    enum MHD_Result ok;
    pthread_mutex_lock(&s->cache_mu);
    ok = s->world.resp ? MHD_queue_response(c, MHD_HTTP_OK, s->world.resp) : MHD_NO;
    int have = s->world.resp != NULL;
    pthread_mutex_unlock(&s->cache_mu);
    return have ? ok : srv_send_error(c, 503, "the world is not available", NULL, NULL);
}

enum MHD_Result srv_get_api(srv *s, struct MHD_Connection *c, const char *url)
{
    static const char *const none[] = { NULL };
    static const char *const state_args[] = { "at", NULL };
    static const char *const log_args[] = { "after", "limit", NULL };
    static const char *const route_args[] = { "from", "to", "at", NULL };
    static const char *const stream_args[] = { "after", NULL };
    static const char *const comment_args[] = { "about", NULL };
    const char *const *allowed = none;
    char bad[64];
    const char *p = url + 5;
    int which;
    enum { STATE, LOG, WHY, ROUTE, WHOAMI, STREAM, CONFS, ARTICLES, COMMENTS, WORLD };
    if (strcmp(p, "state") == 0) which = STATE, allowed = state_args;
    else if (strcmp(p, "log") == 0) which = LOG, allowed = log_args;
    else if (strncmp(p, "why/", 4) == 0) which = WHY;
    else if (strcmp(p, "route") == 0) which = ROUTE, allowed = route_args;
    else if (strcmp(p, "whoami") == 0) which = WHOAMI;
    else if (strcmp(p, "stream") == 0) which = STREAM, allowed = stream_args;
    else if (strcmp(p, "conferences") == 0) which = CONFS;
    else if (strcmp(p, "articles") == 0) which = ARTICLES;
    else if (strcmp(p, "comments") == 0) which = COMMENTS, allowed = comment_args;
    else if (strcmp(p, "world") == 0) which = WORLD;
    else return srv_send_error(c, 404, "no such endpoint", NULL, NULL);
    if (unknown_arg(c, allowed, bad)) {
        char msg[128];
        snprintf(msg, sizeof msg, "unknown parameter '%s'", bad);
        return srv_send_error(c, 400, msg, NULL, NULL);
    }
    switch (which) {
    case STATE: {
        const char *at = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "at");
        return at ? get_state_at(s, c, at) : get_state(s, c);
    }
    case LOG: return get_log(s, c);
    case WHY: return get_why(s, c, p + 4);
    case ROUTE: return get_route(s, c);
    case WHOAMI: return get_whoami(s, c);
    case STREAM: return srv_stream_open(s, c);
    case CONFS: return get_conferences(s, c);
    case ARTICLES: return get_portal(s, c, 0);
    case COMMENTS: return get_portal(s, c, 1);
    default: return get_world(s, c);
    }
}
