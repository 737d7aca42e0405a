/*
** parse.c: the parser of the chronicle language.
**
** A statement is one line:  [DATE] SUBJECT VERB ARGS... ["text"]  [# comment]
**
** The parser splits the buffer into lines, runs the lexer (lex.c) over each
** and gives the tokens their meaning by position: a first token that starts
** with a digit is the date, then come the subject and the verb (ids), then
** the arguments (words, lists, key=value) and at most one quoted text, in any
** order. It is the only place that knows the date of a line without one: the
** date of the nearest line above that has one, or date0.
**
** Errors: a line holds at most one error, the first found; the line gives no
** statement and the parser goes on with the next, so a buffer reports all its
** errors at once (jq's and Lua's habit of file:line:col plus the source line,
** done by ent__diags_render). Statements of good lines are returned even when
** other lines are bad.
*/
#include "lex.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static const ent_str empty_str = { "", 0 };

/* Parse line z[0..n) (no newline) into *st. *date is the running date: it
** is what a line without a date gets, and a line with a good date sets it,
** even if the rest of the line is bad (so one error does not bring wrong
** dates below it). Sets every field of *st but file and line; args past
** st->nargs are left as they were.
** Returns 1 for a statement, 0 for a blank or comment line, -1 for an error
** (message and column in *lx). */
static int parse_stmt(ent_lexer *lx, const char *z, size_t n, ent_arena *arena, ent_date *date,
                      ent_stmt *st)
{
    ent_token t;
    char buf[48];
    int k;

    if (n > ENT_MAX_LINE) {
        ent__lex_init(lx, z, 0, arena);
        ent__lex_error(lx, ENT_MAX_LINE, "line too long (%zu bytes; at most %d)", n,
                       ENT_MAX_LINE);
        return -1;
    }
    ent__lex_init(lx, z, n, arena);
    k = ent__lex_next(lx, &t);
    if (k == ENT_TOK_END) return 0;
    if (k == ENT_TOK_ERROR) return -1;

    /* DATE */
    st->col_date = 0;
    if (k == ENT_TOK_BARE && t.val.p[0] >= '0' && t.val.p[0] <= '9') {
        ent_date d;
        int r = ent__date_parse(t.val.p, t.val.n, &d);
        if (r == -1) {
            ent__lex_error(lx, t.col - 1u, "malformed date '%s' (want YYYY-MM-DD)",
                           ent__lex_show(t.val, buf, sizeof buf));
            return -1;
        }
        if (r != 0) {
            ent__lex_error(lx, t.col - 1u, "no such date: %s", ent__lex_show(t.val, buf, sizeof buf));
            return -1;
        }
        *date = d;
        st->col_date = t.col;
        k = ent__lex_next(lx, &t);
    }
    st->date = *date;

    /* SUBJECT */
    if (k != ENT_TOK_BARE || !(t.flags & ENT_TF_WORD)) {
        if (k == ENT_TOK_ERROR) return -1;
        if (k == ENT_TOK_END) /* only after a date */
            ent__lex_error(lx, t.col - 1u, "expected a subject after the date");
        else if (k == ENT_TOK_QUOTED)
            ent__lex_error(lx, t.col - 1u, "expected a subject, found quoted text");
        else
            ent__lex_error(lx, t.col - 1u, "expected a subject, found '%s'",
                           ent__lex_show(t.raw, buf, sizeof buf));
        return -1;
    }
    st->subject = t.val;
    st->col_subject = t.col;

    /* VERB */
    k = ent__lex_next(lx, &t);
    if (k != ENT_TOK_BARE || !(t.flags & ENT_TF_WORD)) {
        char sbuf[48];
        const char *subj = ent__lex_show(st->subject, sbuf, sizeof sbuf);
        if (k == ENT_TOK_ERROR) return -1;
        if (k == ENT_TOK_END)
            ent__lex_error(lx, t.col - 1u, "expected a verb after '%s'", subj);
        else if (k == ENT_TOK_QUOTED)
            ent__lex_error(lx, t.col - 1u, "expected a verb after '%s', found quoted text", subj);
        else
            ent__lex_error(lx, t.col - 1u, "expected a verb after '%s', found '%s'", subj,
                           ent__lex_show(t.raw, buf, sizeof buf));
        return -1;
    }
    st->verb = t.val;
    st->col_verb = t.col;

    /* ARGS and the text */
    st->nargs = 0;
    st->npos = 0;
    st->keys = (ent_keyset){ { 0, 0 } };
    st->src_at = 0;
    st->has_text = 0;
    st->text = empty_str;
    st->col_text = 0;
    for (;;) {
        k = ent__lex_next(lx, &t);
        if (k == ENT_TOK_END) {
            st->col_end = t.col;
            return 1;
        }
        if (k == ENT_TOK_ERROR) return -1;
        if (k == ENT_TOK_QUOTED) {
            if (st->has_text) {
                ent__lex_error(lx, t.col - 1u, "only one quoted text per line");
                return -1;
            }
            st->has_text = 1;
            st->text = t.val;
            st->col_text = t.col;
            continue;
        }
        if (st->nargs == ENT_MAX_ARGS) {
            ent__lex_error(lx, t.col - 1u, "too many arguments (at most %d)", ENT_MAX_ARGS);
            return -1;
        }
        int kid = ent__key_id(t.key.p, t.key.n);
        for (int i = 0; kid != ENT_K_NONE && i < st->nargs; i++) {
            if (st->args[i].key_id == kid && (kid != ENT_K_UNKNOWN || ent__str_same(st->args[i].key, t.key))) {
                ent__lex_error(lx, t.col - 1u, "duplicate argument '%.*s='", (int)t.key.n, t.key.p);
                return -1;
            }
        }
        ent_arg *a = &st->args[st->nargs++];
        a->key = t.key;
        a->val = t.val;
        a->kind = (t.flags & ENT_TF_QUOTED) ? ENT_ARG_QUOTED
                  : (t.flags & ENT_TF_LIST) ? ENT_ARG_LIST
                                            : ENT_ARG_WORD;
        a->col = t.col;
        a->key_id = (uint8_t)kid;
        if (kid == ENT_K_NONE)
            st->pos[st->npos++] = (uint8_t)(st->nargs - 1);
        else
            st->keys.w[kid >> 6] |= (uint64_t)1 << (kid & 63);
        if (kid == ENT_K_SRC) st->src_at = st->nargs;
    }
}

int ent__parse(const char *file, const char *buf, size_t len, ent_date date0, ent_arena *arena,
               ent_vec *out, ent_diags *diags)
{
    ent_lexer lx;
    ent_date date = date0;
    const char *p = buf, *end = buf + len;
    uint32_t line = 0;
    int nerr = 0;

    assert(out->elem == sizeof(ent_stmt));
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n > 0 && p[n - 1] == '\r') n--;
        line++;

        ent_stmt *st = ent__vec_push(out);
        if (!st) {
            ent__diag_add(diags, ENT_DIAG_ERROR, file, line, 0, NULL, 0, NULL, NULL,
                          "out of memory");
            return nerr + 1;
        }
        int r = parse_stmt(&lx, p, n, arena, &date, st);
        if (r > 0) {
            st->file = file;
            st->line = line;
        } else {
            out->len--; /* give the slot back */
            if (r < 0) {
                nerr++;
                ent__diag_add(diags, ENT_DIAG_ERROR, file, line, lx.err_col, p, n, NULL, NULL,
                              "%s", lx.err);
            }
        }
        p = nl ? nl + 1 : end;
    }
    return nerr;
}

int ent__parse_line(const char *file, uint32_t line, const char *buf, size_t len, ent_date date0,
                    ent_arena *arena, ent_stmt *out, char *msg, size_t msgsz, uint16_t *col)
{
    ent_lexer lx;
    ent_date date = date0;
    int r = parse_stmt(&lx, buf, len, arena, &date, out);
    if (r > 0) {
        out->file = file;
        out->line = line;
        if (msg && msgsz) msg[0] = 0;
        if (col) *col = 0;
        return 0;
    }
    if (r == 0) ent__lex_error(&lx, 0, "expected a statement, found an empty line");
    if (msg && msgsz) snprintf(msg, msgsz, "%s", lx.err);
    if (col) *col = lx.err_col;
    return -1;
}
