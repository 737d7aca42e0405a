/*
** text.c: the server's pure helpers: no I/O, no globals, no allocation.
** Each takes bytes and returns bytes or a verdict, so the fuzzers of
** issue 6 can call them directly:
**   srv_parse_refusal   a report's first refusal: message, rule, source
**   srv_first_line      a report's first line (the message of an error)
**   srv_redact_email    hide e-mail addresses in event text, in place
**   srv_chron_quote     a string as a chronicle "quoted text"
**   srv_safe_path       a URL path as a path under the web directory
**   srv_content_type    the Content-Type of a file name
**   srv_arg_value       key=value of a chronicle line's arguments
**   srv_parse_u64, srv_valid_date, srv_valid_word
*/
#include "server.h"

#include <string.h>

/* Copy at most n bytes of p to out (size outsz), NUL-terminated. */
static void copy(char *out, size_t outsz, const char *p, size_t n)
{
    if (!outsz) return;
    if (n >= outsz) n = outsz - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

/* A report's refused line: "FILE:LINE: refused: MESSAGE [rule; source]".
** 1 when one was found (the first), else 0 (outputs "" then). */
int srv_parse_refusal(const char *report, char *rule, size_t rulesz, char *source, size_t sourcesz,
                      char *message, size_t msgsz)
{
    copy(rule, rulesz, "", 0);
    copy(source, sourcesz, "", 0);
    copy(message, msgsz, "", 0);
    const char *p = report ? strstr(report, ": refused: ") : NULL;
    if (!p) return 0;
    p += strlen(": refused: ");
    const char *eol = strchr(p, '\n');
    if (!eol) eol = p + strlen(p);
    /* the last " [" ... "]" of the line holds "rule; source" */
    const char *open = NULL;
    for (const char *q = p; q + 1 < eol; q++)
        if (q[0] == ' ' && q[1] == '[') open = q;
    if (!open || eol[-1] != ']') {
        copy(message, msgsz, p, (size_t)(eol - p));
        return 1;
    }
    copy(message, msgsz, p, (size_t)(open - p));
    const char *in = open + 2, *end = eol - 1;
    const char *semi = memchr(in, ';', (size_t)(end - in));
    if (!semi) {
        copy(rule, rulesz, in, (size_t)(end - in));
        return 1;
    }
    copy(rule, rulesz, in, (size_t)(semi - in));
    semi++;
    while (semi < end && *semi == ' ') semi++;
    copy(source, sourcesz, semi, (size_t)(end - semi));
    return 1;
}

/* The message of a report's first line (after "...: error: "), without
** its end; 0 if the report is empty. */
int srv_first_line(const char *report, char *out, size_t outsz)
{
    copy(out, outsz, "", 0);
    if (!report || !*report) return 0;
    const char *eol = strchr(report, '\n');
    size_t n = eol ? (size_t)(eol - report) : strlen(report);
    /* "FILE:LINE:COL: error: MESSAGE": the message */
    const char *e = strstr(report, ": error: ");
    if (e && (size_t)(e - report) < n) {
        e += strlen(": error: ");
        n -= (size_t)(e - report);
        report = e;
    }
    copy(out, outsz, report, n);
    return 1;
}

/* Every "email=" value in s[0..n) has its bytes but '@' and '.' turned into
** '*', in place: an event's text keeps its shape (and JSON stays JSON: a
** quote or a backslash ends the value and is never touched). */
void srv_redact_email(char *s, size_t n)
{
    static const char key[] = "email=";
    const size_t k = sizeof key - 1;
    for (size_t i = 0; i + k <= n; i++) {
        if (memcmp(s + i, key, k) != 0) continue;
        size_t j = i + k;
        if (j < n && s[j] == '\\') j++;      /* \" in JSON text */
        if (j < n && s[j] == '"') j++;
        for (; j < n; j++) {
            char ch = s[j];
            if (ch == '"' || ch == '\\' || ch == ' ' || ch == '\n' || ch == ',' || ch == 0) break;
            if (ch != '@' && ch != '.') s[j] = '*';
        }
        i = j ? j - 1 : 0;
    }
}

/* s as a chronicle quoted string ("..." with \" and \\) into dst: its
** length, or -1 if s holds a control byte (other than tab) or dst is too
** small. */
int srv_chron_quote(char *dst, size_t dstsz, const char *s)
{
    size_t o = 0;
    if (dstsz < 3) return -1;
    dst[o++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f) return -1;
        int esc = *p == '"' || *p == '\\';
        if (o + 2 + (size_t)esc >= dstsz) return -1;
        if (esc) dst[o++] = '\\';
        dst[o++] = (char)*p;
    }
    dst[o++] = '"';
    dst[o] = 0;
    return (int)o;
}

/* A URL path ("/", "/app.js", "/vendor/d3.js") as a relative path under the
** web directory: each segment of [A-Za-z0-9_~.-], not starting with '.'
** (no "..", no hidden files), no empty segment; "/" and a path ending in
** '/' name index.html. 0, or -1 for a path that is not served. */
int srv_safe_path(const char *url, char *out, size_t outsz)
{
    if (!url || url[0] != '/' || outsz < 16) return -1;
    const char *p = url + 1;
    size_t o = 0;
    int seg_start = 1;
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '/') {
            if (seg_start) return -1;         /* "//" or a leading "/" */
            seg_start = 1;
        } else {
            int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                     ch == '_' || ch == '-' || ch == '~' || ch == '.';
            if (!ok) return -1;
            if (seg_start && ch == '.') return -1;
            seg_start = 0;
        }
        if (o + 1 >= outsz) return -1;
        out[o++] = (char)ch;
    }
    if (o == 0 || out[o - 1] == '/') {
        static const char idx[] = "index.html";
        if (o + sizeof idx > outsz) return -1;
        memcpy(out + o, idx, sizeof idx);
        return 0;
    }
    out[o] = 0;
    return 0;
}

const char *srv_content_type(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        { ".html", "text/html; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".mjs", "text/javascript; charset=utf-8" },
        { ".json", "application/json" },
        { ".map", "application/json" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".jpg", "image/jpeg" },
        { ".ico", "image/x-icon" },
        { ".woff2", "font/woff2" },
        { ".txt", "text/plain; charset=utf-8" },
        { ".webmanifest", "application/manifest+json" },
    };
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t k = strlen(types[i].ext);
        if (n > k && strcmp(path + n - k, types[i].ext) == 0) return types[i].type;
    }
    return "application/octet-stream";
}

/* A decimal number without sign, at most 19 digits: 0, or -1. */
int srv_parse_u64(const char *s, uint64_t *v)
{
    uint64_t x = 0;
    size_t n = 0;
    if (!s || !*s) return -1;
    for (; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n >= 19) return -1;
        x = x * 10 + (uint64_t)(*s - '0');
    }
    *v = x;
    return 0;
}

/* "YYYY-MM-DD" by shape (the library checks the calendar). */
int srv_valid_date(const char *s)
{
    if (!s || strlen(s) != 10) return 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-') return 0;
        } else if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/* A chronicle word used as an id or a code: [A-Za-z0-9_.:+/-], 1..max bytes,
** starting with a letter. */
int srv_valid_word(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max) return 0;
    if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                 ch == '-' || ch == '.';
        if (!ok) return 0;
    }
    return 1;
}

/* The value of key= in a chronicle line's arguments (`id=A1 author="X Y"
** title="..."`), unquoted into out: 1 if found, else 0. */
int srv_arg_value(const char *args, const char *key, char *out, size_t outsz)
{
    size_t k = strlen(key);
    const char *p = args;
    copy(out, outsz, "", 0);
    if (!p || !k) return 0;
    while (*p) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        const char *tok = p;
        /* the token's key, if any */
        const char *eq = NULL;
        while (*p && *p != ' ' && *p != '\t' && *p != '"' && *p != '=') p++;
        if (*p == '=') eq = p++;
        size_t o = 0;
        int match = eq && (size_t)(eq - tok) == k && memcmp(tok, key, k) == 0;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                char ch = *p++;
                if (ch == '\\' && *p) ch = *p++;
                if (match && o + 1 < outsz) out[o++] = ch;
            }
            if (*p == '"') p++;
        } else {
            while (*p && *p != ' ' && *p != '\t') {
                if (match && o + 1 < outsz) out[o++] = *p;
                p++;
            }
        }
        if (match) {
            if (outsz) out[o] = 0;
            return 1;
        }
    }
    return 0;
}
