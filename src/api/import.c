/*
** import.c: read back what `entente export` writes as JSON lines or CSV, as
** chronicle text, so that export then replay gives the same state digest
** whatever the format. Line N of the result is row N of the input (a CSV
** header becomes a comment line), so diagnostics point at the right row.
*/
#include "api.h"

#include <jansson.h>
#include <string.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int ent__import_format(const char *name)
{
    if (!name) return ENT_FMT_CHRONICLE;
    if (ends_with(name, ".jsonl")) return ENT_FMT_JSONL;
    if (ends_with(name, ".csv")) return ENT_FMT_CSV;
    return ENT_FMT_CHRONICLE;
}

/* Append one event as a chronicle line; a row that cannot be read becomes
** a line that the parser reports with the reason. */
static void put_event(ent_buf *out, const char *date, const char *subject, const char *verb, const char *args,
                      const char *text, int has_text)
{
    ent__buf_printf(out, "%s %s %s", date, subject, verb);
    if (args && *args) {
        ent__buf_putc(out, ' ');
        ent__buf_puts(out, args);
    }
    if (has_text) {
        ent__buf_puts(out, " \"");
        for (const char *p = text; *p; p++) {
            if (*p == '"' || *p == '\\') ent__buf_putc(out, '\\');
            ent__buf_putc(out, *p);
        }
        ent__buf_putc(out, '"');
    }
    ent__buf_putc(out, '\n');
}

static void bad_row(ent_buf *out, const char *why)
{
    /* "!" is not valid chronicle: the parser reports this line as malformed */
    ent__buf_printf(out, "! %s\n", why);
}

static void import_jsonl(const char *text, size_t len, ent_buf *out)
{
    size_t off = 0;
    while (off < len) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
        json_error_t e;
        json_t *o = n ? json_loadb(text + off, n, 0, &e) : NULL;
        if (!n) {
            ent__buf_putc(out, '\n');
        } else if (!o || !json_is_object(o)) {
            bad_row(out, "not a JSON object");
        } else {
            const char *date = json_string_value(json_object_get(o, "date"));
            const char *subject = json_string_value(json_object_get(o, "subject"));
            const char *verb = json_string_value(json_object_get(o, "verb"));
            const char *args = json_string_value(json_object_get(o, "args"));
            json_t *t = json_object_get(o, "text");
            if (!date || !subject || !verb || !args || (t && !json_is_string(t) && !json_is_null(t)))
                bad_row(out, "an event needs date, subject, verb, args (strings) and text (string or null)");
            else
                put_event(out, date, subject, verb, args, json_is_string(t) ? json_string_value(t) : "",
                          json_is_string(t));
        }
        json_decref(o);
        off += n + 1;
    }
}

/* One CSV field (RFC 4180 quoting) starting at *p; returns it in f and
** moves *p past the following comma. *quoted tells whether it was quoted. */
static int csv_field(const char **p, const char *end, ent_buf *f, int *quoted)
{
    ent__buf_reset(f);
    ent__buf_puts(f, "");
    const char *s = *p;
    *quoted = s < end && *s == '"';
    if (*quoted) {
        s++;
        for (;;) {
            if (s >= end) return -1;
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    ent__buf_putc(f, '"');
                    s += 2;
                    continue;
                }
                s++;
                break;
            }
            ent__buf_putc(f, *s++);
        }
    } else {
        while (s < end && *s != ',') ent__buf_putc(f, *s++);
    }
    if (s < end && *s != ',') return -1;
    *p = s < end ? s + 1 : s;
    return 0;
}

static void import_csv(const char *text, size_t len, ent_buf *out)
{
    size_t off = 0;
    int row = 0;
    ent_buf f[8];
    memset(f, 0, sizeof f);
    while (off < len) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
        const char *p = text + off, *end = p + n;
        if (row++ == 0 && n >= 4 && memcmp(p, "seq,", 4) == 0) {
            ent__buf_puts(out, "# seq,date,subject,verb,args,text,src,hash\n");
        } else if (n == 0) {
            ent__buf_putc(out, '\n');
        } else {
            int quoted[8] = { 0 }, k = 0, bad = 0;
            for (; k < 8 && p <= end && !bad; k++) {
                bad = csv_field(&p, end, &f[k], &quoted[k]) != 0;
                if (p == end && k < 7 && (end == text + off || end[-1] != ',')) {
                    k++;
                    break;
                }
            }
            if (bad || k < 7)
                bad_row(out, "a row needs seq,date,subject,verb,args,text,src[,hash]");
            else
                put_event(out, f[1].p, f[2].p, f[3].p, f[4].p, f[5].p, quoted[5]);
        }
        off += n + 1;
    }
    for (int i = 0; i < 8; i++) ent__buf_free(&f[i]);
}

/* Convert an exported file to chronicle text; returns a new buffer. */
int ent__import(const ent_input *in, int format, ent_buf *out)
{
    if (format == ENT_FMT_JSONL) import_jsonl(in->text, in->len, out);
    else import_csv(in->text, in->len, out);
    return out->oom ? ENT_ENOMEM : ENT_OK;
}
