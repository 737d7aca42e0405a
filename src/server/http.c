/*
** http.c: the request handler of `entente serve`. It routes a request to
** its endpoint, gathers a POST's body (up to --max-body bytes: 413 past
** it), hands a decoded write to the writer and suspends the connection
** until the writer has committed it and resumed it, then answers with
** what the writer stored. Every answer carries the security headers; every
** error is JSON: {"error":{"status","code","message"[,"rule","source"]
** [,"report"]}} (docs/api.md).
*/
#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* The per-request context (MHD's req_cls) of a POST; a GET's is &get_marker. */
static const char get_marker = 0;
typedef struct srv_req {
    char *body;
    size_t len, cap;
    int too_big;
    srv_job *job;                  /* queued: the answer comes back in it */
} srv_req;

static const char CSP[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

void srv_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

unsigned srv_http_of(int st)
{
    switch (st) {
    case ENT_OK: return MHD_HTTP_OK;
    case ENT_REFUSED: return 422;
    case ENT_EUSAGE: return MHD_HTTP_BAD_REQUEST;
    case ENT_EINPUT: return MHD_HTTP_BAD_REQUEST;
    case ENT_ENOTFOUND: return MHD_HTTP_NOT_FOUND;
    case ENT_EFORBIDDEN: return MHD_HTTP_FORBIDDEN;
    case ENT_ETEMPFAIL: return MHD_HTTP_SERVICE_UNAVAILABLE;
    default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

static const char *code_of(unsigned status)
{
    switch (status) {
    case 400: return "BAD_REQUEST";
    case 401: return "UNAUTHORIZED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 409: return "CONFLICT";
    case 413: return "TOO_LARGE";
    case 415: return "UNSUPPORTED_MEDIA_TYPE";
    case 422: return "REFUSED";
    case 429: return "RATE_LIMITED";
    case 503: return "UNAVAILABLE";
    default: return status >= 500 ? "INTERNAL" : "ERROR";
    }
}

/* The JSON of an error; NULL when out of memory. */
char *srv_error_json(unsigned status, const char *message, const char *rule, const char *source,
                     const char *report, size_t *len)
{
    json_t *e = json_object();
    json_object_set_new(e, "status", json_integer(status));
    json_object_set_new(e, "code", json_string(code_of(status)));
    json_object_set_new(e, "message", json_string(message ? message : ""));
    if (rule && *rule) json_object_set_new(e, "rule", json_string(rule));
    if (source && *source) json_object_set_new(e, "source", json_string(source));
    if (report && *report) json_object_set_new(e, "report", json_string(report));
    json_t *o = json_object();
    json_object_set_new(o, "error", e);
    char *z = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (z && len) *len = strlen(z);
    return z;
}

enum MHD_Result srv_send_json(struct MHD_Connection *c, unsigned status, const char *json, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)json, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    srv_headers(r);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

/* Queue a JSON body that is malloc'd; it is freed here. */
static enum MHD_Result send_owned(struct MHD_Connection *c, unsigned status, char *json, size_t len,
                                  const char *retry_after)
{
    if (!json) return MHD_NO;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, json, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(json);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (retry_after) MHD_add_response_header(r, "Retry-After", retry_after);
    if (status == 405) MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
    srv_headers(r);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

enum MHD_Result srv_send_error(struct MHD_Connection *c, unsigned status, const char *message, const char *rule,
                               const char *source)
{
    size_t n = 0;
    char *z = srv_error_json(status, message, rule, source, NULL, &n);
    return send_owned(c, status, z, n, NULL);
}

/* An error from a library status and its report: the first refusal's rule
** and source when there is one, else the report's first line. */
enum MHD_Result srv_send_status(struct MHD_Connection *c, int st, ent_report *rep)
{
    const char *text = rep ? ent_report_text(rep) : "";
    char rule[64], source[256], msg[512];
    if (!srv_parse_refusal(text, rule, sizeof rule, source, sizeof source, msg, sizeof msg))
        if (!srv_first_line(text, msg, sizeof msg)) snprintf(msg, sizeof msg, "%s", ent_strstatus(st));
    size_t n = 0;
    char *z = srv_error_json(srv_http_of(st), msg, rule, source, text, &n);
    return send_owned(c, srv_http_of(st), z, n, NULL);
}

const char *srv_client_ip(struct MHD_Connection *c, char buf[64])
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    buf[0] = 0;
    if (!ci || !ci->client_addr) return buf;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, 64);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, 64);
    return buf;
}

/* Is this a POST endpoint? */
static int post_route(const char *url)
{
    if (strcmp(url, "/api/commands") == 0 || strcmp(url, "/api/comments") == 0) return 1;
    if (strncmp(url, "/api/conferences/", 17) == 0) {
        const char *slash = strchr(url + 17, '/');
        return slash && slash > url + 17 && strcmp(slash, "/register") == 0;
    }
    return 0;
}

/* A path under /api/ (answered by read.c, 404 there if unknown)? */
static int get_route(const char *url)
{
    return strncmp(url, "/api/", 5) == 0 && !post_route(url);
}

/* A GET endpoint that exists (for 405 rather than 404 on another method). */
static int get_endpoint(const char *url)
{
    static const char *const names[] = { "state", "log", "route", "whoami", "stream", "conferences",
                                         "articles", "comments", "world", NULL };
    if (strncmp(url, "/api/", 5) != 0) return 0;
    if (strncmp(url + 5, "why/", 4) == 0) return 1;
    for (const char *const *n = names; *n; n++)
        if (strcmp(url + 5, *n) == 0) return 1;
    return 0;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* MHD's unescaping of the path and the arguments, in place, except that
** "%00" stays as it is: a NUL would cut the path short ("/%00x" is not
** "/"), and '%' is a byte no static path or argument accepts. */
size_t srv_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    char *w = s;
    for (const char *r = s; *r;) {
        int hi, lo;
        if (r[0] == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 && (hi | lo)) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
    return (size_t)(w - s);
}

void srv_completed(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    srv_req *r = *req_cls;
    if (!r || r == (srv_req *)&get_marker) return;
    free(r->body);
    /* a job still queued is the writer's; it is never left queued here, as a
    ** connection stays suspended (and cannot end) until the writer answers */
    if (r->job) srv_job_free(r->job);
    free(r);
    *req_cls = NULL;
}

static enum MHD_Result answer_job(struct MHD_Connection *c, srv_req *r)
{
    srv_job *j = r->job;
    r->job = NULL;
    char *z = j->answer;
    unsigned status = j->http ? j->http : 500;
    j->answer = NULL;
    srv_job_free(j);
    if (!z) return srv_send_error(c, 500, "no answer from the writer", NULL, NULL);
    return send_owned(c, status, z, strlen(z), NULL);
}

enum MHD_Result srv_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                            const char *version, const char *upload, size_t *upload_size, void **req_cls)
{
    srv *s = cls;
    (void)version;
    srv_req *r = *req_cls;
    int is_post = strcmp(method, "POST") == 0;
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

    if (!r && is_get) {
        /* answer on the second call: MHD keeps the connection alive only for
        ** a response queued once the request has been read */
        *req_cls = (void *)&get_marker;
        return MHD_YES;
    }
    if (r == (srv_req *)&get_marker) {
        *upload_size = 0;
        {
            if (post_route(url)) {
                if (strcmp(url, "/api/comments") == 0) return srv_get_api(s, c, url);
                return srv_send_error(c, 405, "this endpoint takes POST", NULL, NULL);
            }
            if (get_route(url)) return srv_get_api(s, c, url);
            return srv_static(s, c, url);
        }
    }
    if (!r) {
        if (!is_post) {
            if (strncmp(url, "/api/", 5) == 0 && !get_endpoint(url) && !post_route(url))
                return srv_send_error(c, 404, "no such endpoint", NULL, NULL);
            return srv_send_error(c, 405, "method not allowed", NULL, NULL);
        }
        if (!post_route(url)) {
            if (get_endpoint(url)) return srv_send_error(c, 405, "this endpoint takes GET", NULL, NULL);
            return srv_send_error(c, strncmp(url, "/api/", 5) == 0 ? 404 : 405,
                                  strncmp(url, "/api/", 5) == 0 ? "no such endpoint" : "method not allowed", NULL,
                                  NULL);
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl) {
            uint64_t n;
            if (srv_parse_u64(cl, &n) == 0 && n > s->max_body) {
                char msg[96];
                snprintf(msg, sizeof msg, "the body is larger than %zu bytes", s->max_body);
                return srv_send_error(c, 413, msg, NULL, NULL);
            }
        }
        r = calloc(1, sizeof *r);
        if (!r) return MHD_NO;
        *req_cls = r;
        return MHD_YES;
    }

    if (r->job) {                              /* resumed by the writer */
        if (!r->job->answer) {                 /* spurious: wait again */
            MHD_suspend_connection(c);
            return MHD_YES;
        }
        return answer_job(c, r);
    }

    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (r->too_big) return MHD_YES;
        if (r->len + n > s->max_body) {
            r->too_big = 1;
            free(r->body);
            r->body = NULL;
            r->len = r->cap = 0;
            return MHD_YES;
        }
        if (r->len + n + 1 > r->cap) {
            size_t cap = r->cap ? r->cap : 1024;
            while (cap < r->len + n + 1) cap *= 2;
            if (cap > s->max_body + 1) cap = s->max_body + 1;
            char *p = realloc(r->body, cap);
            if (!p) return MHD_NO;
            r->body = p;
            r->cap = cap;
        }
        memcpy(r->body + r->len, upload, n);
        r->len += n;
        r->body[r->len] = 0;
        return MHD_YES;
    }

    /* the whole body is here */
    if (r->too_big) {
        char msg[96];
        snprintf(msg, sizeof msg, "the body is larger than %zu bytes", s->max_body);
        return srv_send_error(c, 413, msg, NULL, NULL);
    }
    unsigned status = 400;
    char msg[512];
    msg[0] = 0;
    srv_job *j = srv_decode_post(s, c, url, r->body ? r->body : "", r->len, &status, msg, sizeof msg);
    if (!j) {
        if (status == 429) {
            char ra[24];
            const char *sp = strchr(msg, '|');  /* "SECONDS|message" */
            snprintf(ra, sizeof ra, "%.*s", sp ? (int)(sp - msg) : 1, sp ? msg : "1");
            size_t n = 0;
            char *z = srv_error_json(429, sp ? sp + 1 : msg, NULL, NULL, NULL, &n);
            return send_owned(c, 429, z, n, ra);
        }
        return srv_send_error(c, status, msg, NULL, NULL);
    }
    j->conn = c;
    r->job = j;
    MHD_suspend_connection(c);
    if (srv_enqueue(s, j) != 0) {
        /* shutting down: answer now */
        size_t n = 0;
        j->answer = srv_error_json(503, "the server is shutting down", NULL, NULL, NULL, &n);
        j->http = 503;
        MHD_resume_connection(c);
    }
    return MHD_YES;
}
