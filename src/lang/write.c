/*
** write.c: the canonical text of a statement.
**
**   [DATE ]SUBJECT VERB ARG... ["text"]
**
** Single spaces, the arguments in their order, key=value for keyed ones,
** quoted strings escaped with \" and \\ only. The journal stores the
** arguments in this form and `entente export --format chronicle` writes whole
** statements in it, so the one property that matters is the round trip: a
** statement that came from the parser, written and parsed again, gives the
** same date, subject, verb, arguments (key, value, kind, order) and text.
*/
#include "lex.h"

/* Can v be written bare after `key=` and be read back as the same value?
** (Non-empty, bare bytes only, and if a list then without empty items.) */
static int bare_ok(ent_str v)
{
    if (v.n == 0) return 0;
    for (uint32_t i = 0; i < v.n; i++) {
        unsigned char c = (unsigned char)v.p[i];
        if (!(ent__lex_class[c] & ENT_C_BARE)) return 0;
        if (c == ',' && (i == 0 || v.p[i - 1] == ',' || i + 1 == v.n)) return 0;
    }
    return 1;
}

/* Append s as "..." with " and \ escaped. */
static void put_quoted(ent_buf *b, ent_str s)
{
    uint32_t run = 0;
    ent__buf_putc(b, '"');
    for (uint32_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c != '"' && c != '\\') continue;
        ent__buf_put(b, s.p + run, i - run);
        ent__buf_putc(b, '\\');
        run = i; /* the byte itself goes out with the next run */
    }
    ent__buf_put(b, s.p + run, s.n - run);
    ent__buf_putc(b, '"');
}

/* Append the arguments, each preceded by a space if lead, else all but the
** first. A keyed value that is not bare-safe (empty, or with bytes a bare
** value cannot hold) is written quoted so that its text survives; a
** positional argument is written as it is (the parser never makes one that
** is not bare-safe). */
static void put_args(const ent_stmt *s, int lead, ent_buf *b)
{
    for (int i = 0; i < s->nargs; i++) {
        const ent_arg *a = &s->args[i];
        if (i > 0 || lead) ent__buf_putc(b, ' ');
        if (a->key.n) {
            ent__buf_put(b, a->key.p, a->key.n);
            ent__buf_putc(b, '=');
            if (a->kind == ENT_ARG_QUOTED || !bare_ok(a->val)) {
                put_quoted(b, a->val);
                continue;
            }
        }
        ent__buf_put(b, a->val.p, a->val.n);
    }
}

void ent__stmt_write(const ent_stmt *s, int with_date, ent_buf *b)
{
    ent__buf_put(b, "", 0); /* b->p is a string even if nothing follows */
    if (with_date && s->date != ENT_DATE_NONE) {
        char d[11];
        ent__buf_put(b, ent__date_format(s->date, d), 10);
        ent__buf_putc(b, ' ');
    }
    ent__buf_put(b, s->subject.p, s->subject.n);
    ent__buf_putc(b, ' ');
    ent__buf_put(b, s->verb.p, s->verb.n);
    put_args(s, 1, b);
    if (s->has_text) {
        ent__buf_putc(b, ' ');
        put_quoted(b, s->text);
    }
}

void ent__stmt_write_args(const ent_stmt *s, ent_buf *b)
{
    ent__buf_put(b, "", 0);
    put_args(s, 0, b);
}
