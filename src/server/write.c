/*
** write.c: the POST endpoints' bodies decoded into jobs for the writer.
**   POST /api/commands            Authorization: Bearer TOKEN; text/plain
**                                 chronicle lines, or application/json
**                                 {"lines":[...]} or {"chronicle":"..."};
**                                 Idempotency-Key header (optional)
**   POST /api/conferences/ID/register   open; {"name","email"[,"party"]}
**   POST /api/comments            Bearer TOKEN; {"about","stance","text"}
** Unknown JSON fields, wrong types, missing fields: 400 naming the field.
** The writer (writer.c) turns a register or comment job into its chronicle
** line, dated with the server's date, once it knows the token's name.
*/
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

void srv_job_free(srv_job *j)
{
    if (!j) return;
    free(j->text);
    free(j->a);
    free(j->b);
    free(j->c);
    free(j->d);
    free(j->answer);
    free(j);
}

#define FAIL(st, ...)                                  \
    do {                                               \
        *status = (st);                                \
        snprintf(msg, msgsz, __VA_ARGS__);             \
        goto fail;                                     \
    } while (0)

/* The bearer token of the request into tok: 1, 0 if there is none, -1 if
** the header is there but is not "Bearer <43 base64url characters>". */
static int bearer(struct MHD_Connection *c, char tok[SRV_MAX_TOKEN + 1])
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    tok[0] = 0;
    if (!h) return 0;
    if (strncasecmp(h, "Bearer ", 7) != 0) return -1;
    h += 7;
    while (*h == ' ') h++;
    size_t n = strlen(h);
    if (n != ENT_TOKEN_CHARS) return -1;
    for (size_t i = 0; i < n; i++) {
        char ch = h[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_'))
            return -1;
    }
    memcpy(tok, h, n + 1);
    return 1;
}

/* The JSON object of a body, with only the fields named in allowed
** (a NULL-terminated list); NULL with the error in msg. */
static json_t *json_body(const char *body, size_t len, const char *const *allowed, char *msg, size_t msgsz)
{
    json_error_t e;
    json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
    if (!o) {
        snprintf(msg, msgsz, "malformed JSON at line %d, column %d: %s", e.line, e.column, e.text);
        return NULL;
    }
    if (!json_is_object(o)) {
        snprintf(msg, msgsz, "the body must be a JSON object");
        json_decref(o);
        return NULL;
    }
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++) ok |= strcmp(*a, k) == 0;
        if (!ok) {
            snprintf(msg, msgsz, "unknown field '%.64s'", k);
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* The string field f of o: its value, NULL if absent; *bad when present and
** not a string, or longer than max bytes, or empty. */
static const char *str_field(json_t *o, const char *f, size_t max, int *bad)
{
    json_t *v = json_object_get(o, f);
    if (!v) return NULL;
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

static int is_type(struct MHD_Connection *c, const char *type)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!h) return 0;
    size_t n = strlen(type);
    return strncasecmp(h, type, n) == 0 && (h[n] == 0 || h[n] == ';' || h[n] == ' ');
}

static srv_job *commands(struct MHD_Connection *c, const char *body, size_t len, unsigned *status, char *msg,
                         size_t msgsz)
{
    srv_job *j = calloc(1, sizeof *j);
    json_t *o = NULL;
    if (!j) FAIL(500, "out of memory");
    j->kind = SRV_JOB_COMMANDS;
    int b = bearer(c, j->token);
    if (b == 0) FAIL(401, "this endpoint needs a token: Authorization: Bearer TOKEN");
    if (b < 0) FAIL(401, "malformed token: Authorization: Bearer and 43 characters of base64url");
    const char *idem = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");
    if (idem) {
        size_t n = strlen(idem);
        if (n == 0 || n > SRV_MAX_IDEM) FAIL(400, "Idempotency-Key: 1 to %d bytes", SRV_MAX_IDEM);
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)idem[i] < 0x21 || (unsigned char)idem[i] > 0x7e)
                FAIL(400, "Idempotency-Key: printable ASCII without spaces");
        memcpy(j->idem, idem, n + 1);
    }
    if (is_type(c, "application/json")) {
        static const char *const allowed[] = { "lines", "chronicle", NULL };
        o = json_body(body, len, allowed, msg, msgsz);
        if (!o) {
            *status = 400;
            goto fail;
        }
        json_t *lines = json_object_get(o, "lines"), *chron = json_object_get(o, "chronicle");
        if (lines && chron) FAIL(400, "give either 'lines' or 'chronicle', not both");
        if (!lines && !chron) FAIL(400, "missing field 'lines' (or 'chronicle')");
        if (chron) {
            if (!json_is_string(chron)) FAIL(400, "field 'chronicle' must be a string");
            j->len = json_string_length(chron);
            j->text = malloc(j->len + 1);
            if (!j->text) FAIL(500, "out of memory");
            memcpy(j->text, json_string_value(chron), j->len + 1);
        } else {
            if (!json_is_array(lines) || json_array_size(lines) == 0)
                FAIL(400, "field 'lines' must be a non-empty array of strings");
            size_t total = 0, i;
            json_t *v;
            json_array_foreach(lines, i, v) {
                if (!json_is_string(v)) FAIL(400, "field 'lines': item %zu is not a string", i);
                const char *z = json_string_value(v);
                if (strchr(z, '\n') || strlen(z) != json_string_length(v))
                    FAIL(400, "field 'lines': item %zu holds a line break or a NUL", i);
                total += json_string_length(v) + 1;
            }
            j->text = malloc(total + 1);
            if (!j->text) FAIL(500, "out of memory");
            json_array_foreach(lines, i, v) {
                memcpy(j->text + j->len, json_string_value(v), json_string_length(v));
                j->len += json_string_length(v);
                j->text[j->len++] = '\n';
            }
            j->text[j->len] = 0;
        }
        json_decref(o);
        o = NULL;
    } else if (is_type(c, "text/plain") || !MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type")) {
        j->text = malloc(len + 1);
        if (!j->text) FAIL(500, "out of memory");
        memcpy(j->text, body, len);
        j->text[len] = 0;
        j->len = len;
        if (memchr(body, 0, len)) FAIL(400, "the body holds a NUL byte");
    } else {
        FAIL(415, "Content-Type must be text/plain (chronicle lines) or application/json");
    }
    {
        size_t k = 0;
        while (k < j->len && (j->text[k] == ' ' || j->text[k] == '\n' || j->text[k] == '\r' || j->text[k] == '\t'))
            k++;
        if (k == j->len) FAIL(400, "no command: the body is empty");
    }
    return j;
fail:
    json_decref(o);
    srv_job_free(j);
    return NULL;
}

static srv_job *registration(srv *s, struct MHD_Connection *c, const char *url, const char *body, size_t len,
                             unsigned *status, char *msg, size_t msgsz)
{
    srv_job *j = calloc(1, sizeof *j);
    json_t *o = NULL;
    if (!j) FAIL(500, "out of memory");
    j->kind = SRV_JOB_REGISTER;
    const char *id = url + strlen("/api/conferences/");
    size_t idn = (size_t)(strchr(id, '/') - id);
    j->a = strndup(id, idn);
    if (!j->a) FAIL(500, "out of memory");
    if (!srv_valid_word(j->a, 64)) FAIL(404, "no conference '%.64s'", j->a);
    if (!is_type(c, "application/json")) FAIL(415, "Content-Type must be application/json");
    static const char *const allowed[] = { "name", "email", "party", NULL };
    o = json_body(body, len, allowed, msg, msgsz);
    if (!o) {
        *status = 400;
        goto fail;
    }
    int bad = 0;
    const char *name = str_field(o, "name", 200, &bad);
    if (bad || !name) FAIL(400, "field 'name': a string of 1 to 200 bytes is required");
    const char *email = str_field(o, "email", 254, &bad);
    if (bad || !email) FAIL(400, "field 'email': a string of 1 to 254 bytes is required");
    const char *party = str_field(o, "party", 16, &bad);
    if (bad || (party && !srv_valid_word(party, 16))) FAIL(400, "field 'party': a code such as UN");
    char ip[64];
    unsigned wait = srv_limit_take(s->limits, srv_client_ip(c, ip), 0, s->reg_per_min);
    if (wait) FAIL(429, "%u|too many registrations from this address: try again in %u s", wait, wait);
    j->b = strdup(name);
    j->c = strdup(email);
    j->d = party ? strdup(party) : NULL;
    if (!j->b || !j->c || (party && !j->d)) FAIL(500, "out of memory");
    json_decref(o);
    return j;
fail:
    json_decref(o);
    srv_job_free(j);
    return NULL;
}

static srv_job *comment(srv *s, struct MHD_Connection *c, const char *body, size_t len, unsigned *status, char *msg,
                        size_t msgsz)
{
    srv_job *j = calloc(1, sizeof *j);
    json_t *o = NULL;
    if (!j) FAIL(500, "out of memory");
    j->kind = SRV_JOB_COMMENT;
    int b = bearer(c, j->token);
    if (b == 0) FAIL(401, "commenting needs a token (a participant's, from registration, or a delegation's)");
    if (b < 0) FAIL(401, "malformed token: Authorization: Bearer and 43 characters of base64url");
    if (!is_type(c, "application/json")) FAIL(415, "Content-Type must be application/json");
    static const char *const allowed[] = { "about", "stance", "text", NULL };
    o = json_body(body, len, allowed, msg, msgsz);
    if (!o) {
        *status = 400;
        goto fail;
    }
    int bad = 0;
    const char *about = str_field(o, "about", 64, &bad);
    if (bad || !about || !srv_valid_word(about, 64)) FAIL(400, "field 'about': the id of a record is required");
    const char *stance = str_field(o, "stance", 16, &bad);
    if (bad || !stance ||
        (strcmp(stance, "for") != 0 && strcmp(stance, "against") != 0 && strcmp(stance, "neutral") != 0))
        FAIL(400, "field 'stance': for, against or neutral");
    const char *text = str_field(o, "text", 2000, &bad);
    if (bad || !text) FAIL(400, "field 'text': a string of 1 to 2000 bytes is required");
    char ip[64];
    unsigned wait = srv_limit_take(s->limits, srv_client_ip(c, ip), 1, s->comment_per_min);
    if (wait) FAIL(429, "%u|too many comments from this address: try again in %u s", wait, wait);
    j->a = strdup(about);
    j->b = strdup(stance);
    j->c = strdup(text);
    if (!j->a || !j->b || !j->c) FAIL(500, "out of memory");
    json_decref(o);
    return j;
fail:
    json_decref(o);
    srv_job_free(j);
    return NULL;
}

srv_job *srv_decode_post(srv *s, struct MHD_Connection *c, const char *url, const char *body, size_t len,
                         unsigned *status, char *msg, size_t msgsz)
{
    if (strcmp(url, "/api/commands") == 0) return commands(c, body, len, status, msg, msgsz);
    if (strcmp(url, "/api/comments") == 0) return comment(s, c, body, len, status, msg, msgsz);
    return registration(s, c, url, body, len, status, msg, msgsz);
}
