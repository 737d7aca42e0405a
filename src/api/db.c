/*
** db.c: the public interface (entente.h) over the core, the language and
** the journal.
**
** An ent_db holds the charter and world (built from the embedded data/ files
** at open), the institution state (the fold of the whole journal) and the
** journal itself (a SQLite file, or an in-memory one for the built-in
** history). Checking and running a chronicle apply it to a clone of the state;
** a run appends its events in one transaction and keeps the clone only after
** the commit succeeded, so a refused line or a failed commit changes nothing.
*/
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <sodium.h>

extern const struct {
    const char *name;
    const char *text;
    size_t len;
} ent__embedded[];

const char *ent_status_name(int status)
{
    switch (status) {
#define ENT_XX(name, value, text) case value: return #name;
        ENT_STATUS_MAP(ENT_XX)
#undef ENT_XX
    }
    return "UNKNOWN";
}

const char *ent_strstatus(int status)
{
    switch (status) {
#define ENT_XX(name, value, text) case value: return text;
        ENT_STATUS_MAP(ENT_XX)
#undef ENT_XX
    }
    return "unknown status";
}

/* ------------------------------------------------------------------ */
/* Reports.                                                             */

ent_report *ent_report_new(void)
{
    ent_report *r = ent__malloc(sizeof *r);
    if (!r) return NULL;
    memset(r, 0, sizeof *r);
    ent__diags_init(&r->diags);
    return r;
}

void ent_report_free(ent_report *r)
{
    if (!r) return;
    ent__diags_free(&r->diags);
    ent__buf_free(&r->text);
    ent__free(r);
}

void ent_report_clear(ent_report *r)
{
    if (!r) return;
    ent__diags_free(&r->diags);
    ent__diags_init(&r->diags);
    ent__buf_reset(&r->text);
}

const char *ent_report_text(ent_report *r)
{
    if (!r) return "";
    ent__buf_reset(&r->text);
    ent__diags_render(&r->diags, &r->text);
    return r->text.p ? r->text.p : "";
}

int ent_report_errors(const ent_report *r) { return r ? r->diags.nerrors : 0; }
int ent_report_refusals(const ent_report *r) { return r ? r->diags.nrefused : 0; }

void ent__report(ent_report *r, int kind, const char *file, const char *fmt, ...)
{
    if (!r) return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ent__diag_add(&r->diags, kind, file, 0, 0, NULL, 0, NULL, NULL, "%s", msg);
}

/* ------------------------------------------------------------------ */
/* Reading chronicles.                                                  */

/* The text of line `line` (1-based) of buf. */
static void line_text(const char *buf, size_t n, uint32_t line, const char **start, size_t *len)
{
    size_t off = 0;
    for (uint32_t l = 1; l < line && off < n; off++)
        if (buf[off] == '\n') l++;
    size_t s, ln;
    ent__line_at(buf, n, off, &s, &ln);
    *start = buf + s;
    *len = ln;
}

/* Report an outcome for statement st of input `in`. */
static void report_outcome(ent_report *rep, const ent_input *in, const ent_stmt *st, const ent_outcome *o)
{
    if (!rep) return;
    const char *ls = NULL;
    size_t ll = 0;
    if (in && in->text) line_text(in->text, in->len, st->line, &ls, &ll);
    if (o->verdict == ENT_V_REFUSED)
        ent__diag_add(&rep->diags, ENT_DIAG_REFUSED, st->file, st->line, 0, ls, ll, o->rule, o->source, "%s", o->msg);
    else
        ent__diag_add(&rep->diags, ENT_DIAG_ERROR, st->file, st->line, o->col, ls, ll, NULL, NULL, "%s", o->msg);
}

static int is_decl(const ent_stmt *st)
{
    return ent__str_eq(st->subject, "charter") || ent__str_eq(st->subject, "world");
}

/* Apply declarations (charter, world) of one parsed buffer. */
static int apply_decls(ent_db *db, const ent_input *in, ent_vec *stmts, ent_report *rep)
{
    int bad = 0;
    for (size_t i = 0; i < stmts->len; i++) {
        const ent_stmt *st = &ENT_VEC_AT(stmts, ent_stmt, i);
        ent_outcome o;
        if (ent__str_eq(st->subject, "charter"))
            ent__charter_apply(&db->charter, st, &o);
        else if (ent__str_eq(st->subject, "world"))
            ent__world_apply(&db->world, st, &o);
        else {
            memset(&o, 0, sizeof o);
            o.verdict = ENT_V_ERROR;
            o.col = st->col_subject;
            snprintf(o.msg, sizeof o.msg, "only declarations (charter ..., world ...) belong in %s", st->file);
        }
        if (o.verdict != ENT_V_OK) {
            report_outcome(rep, in, st, &o);
            bad = 1;
        }
    }
    return bad;
}

const char *ent_builtin(const char *name, size_t *len)
{
    for (int i = 0; name && ent__embedded[i].name; i++) {
        if (strcmp(ent__embedded[i].name, name) == 0) {
            if (len) *len = ent__embedded[i].len;
            return ent__embedded[i].text;
        }
    }
    return NULL;
}

static const ent_input *embedded(const char *name, ent_input *out)
{
    for (int i = 0; ent__embedded[i].name; i++) {
        if (strcmp(ent__embedded[i].name, name) == 0) {
            out->name = ent__embedded[i].name;
            out->text = ent__embedded[i].text;
            out->len = ent__embedded[i].len;
            return out;
        }
    }
    return NULL;
}

/* Parse an input. Returns the number of malformed lines. */
static int parse_input(const ent_input *in, ent_arena *arena, ent_vec *stmts, ent_report *rep)
{
    ent_diags tmp;
    ent_diags *d = rep ? &rep->diags : &tmp;
    if (!rep) ent__diags_init(&tmp);
    int n = ent__parse(in->name, in->text, in->len, ENT_DATE_NONE, arena, stmts, d);
    if (!rep) ent__diags_free(&tmp);
    return n;
}

/* ------------------------------------------------------------------ */
/* Events: statement <-> journal row.                                    */

static void stmt_to_event(const ent_stmt *st, ent_buf *scratch, ent_event *ev, char date[11], char *srcbuf,
                          size_t srcsz)
{
    /* scratch holds: subject NUL verb NUL args NUL text NUL */
    ent__buf_reset(scratch);
    ent__buf_put(scratch, st->subject.p, st->subject.n);
    ent__buf_putc(scratch, 0);
    size_t verb = scratch->len;
    ent__buf_put(scratch, st->verb.p, st->verb.n);
    ent__buf_putc(scratch, 0);
    size_t args = scratch->len;
    ent__stmt_write_args(st, scratch);
    ent__buf_putc(scratch, 0);
    size_t text = scratch->len;
    ent__buf_put(scratch, st->text.p, st->text.n);
    ent__buf_putc(scratch, 0);
    memset(ev, 0, sizeof *ev);
    if (scratch->oom) return;
    ev->date = ent__date_format(st->date, date);
    ev->subject = scratch->p;
    ev->verb = scratch->p + verb;
    ev->args = scratch->p + args;
    ev->text = st->has_text ? scratch->p + text : NULL;
    /* "file:line", without printf (once an event in the crisis room's groups) */
    const char *file = st->file ? st->file : "-";
    size_t fl = strlen(file);
    if (fl + 12 <= srcsz) {
        char num[12];
        size_t k = sizeof num;
        unsigned v = st->line;
        do num[--k] = (char)('0' + v % 10); while ((v /= 10) != 0);
        memcpy(srcbuf, file, fl);
        srcbuf[fl] = ':';
        memcpy(srcbuf + fl + 1, num + k, sizeof num - k);
        srcbuf[fl + 1 + sizeof num - k] = 0;
    } else {
        snprintf(srcbuf, srcsz, "%s:%u", file, st->line);
    }
    ev->src = srcbuf;
}

/* Rebuild the chronicle line of an event (date subject verb args "text"). */
void ent__event_line(const ent_event *ev, ent_buf *b)
{
    ent__buf_reset(b);
    ent__buf_puts(b, ev->date);
    ent__buf_putc(b, ' ');
    ent__buf_puts(b, ev->subject);
    ent__buf_putc(b, ' ');
    ent__buf_puts(b, ev->verb);
    if (ev->args[0]) {
        ent__buf_putc(b, ' ');
        ent__buf_puts(b, ev->args);
    }
    if (ev->text) {
        ent__buf_puts(b, " \"");
        for (const char *p = ev->text; *p;) { /* runs without a quote or a backslash in one copy */
            size_t n = strcspn(p, "\"\\");
            ent__buf_put(b, p, n);
            p += n;
            if (*p) {
                ent__buf_putc(b, '\\');
                ent__buf_putc(b, *p++);
            }
        }
        ent__buf_putc(b, '"');
    }
}

/* Replay: fold events into an institution state. */
typedef struct replay {
    ent_db *db;
    ent_inst *inst;
    ent_date upto;         /* only events dated <= upto (ENT_DATE_MAX: all) */
    ent_buf line;
    ent_arena arena;
    ent_report *rep;
    int status;
    uint64_t bad_seq;
    uint64_t upto_seq;     /* only events up to this sequence number (0: all) */
} replay;

#define REPLAY_STOP 1000   /* a callback's value that ends a scan early, not an error */

static int replay_one(void *ud, const ent_event *ev)
{
    replay *r = ud;
    if (r->upto_seq && ev->seq > r->upto_seq) return REPLAY_STOP;
    ent__event_line(ev, &r->line);
    if (r->line.oom) return r->status = ENT_ENOMEM;
    ent_stmt st;
    char msg[256];
    uint16_t col;
    if (ent__parse_line("journal", (uint32_t)ev->seq, r->line.p, r->line.len, ENT_DATE_NONE, &r->arena, &st, msg,
                        sizeof msg, &col)) {
        ent__report(r->rep, ENT_DIAG_ERROR, "journal", "event %llu does not parse: %s: %s",
                    (unsigned long long)ev->seq, msg, r->line.p);
        r->bad_seq = ev->seq;
        return r->status = ENT_EINPUT;
    }
    if (st.date > r->upto) return 0;
    ent_outcome o;
    int v = ent__inst_apply(r->inst, &st, &o);
    ent__arena_clear(&r->arena);
    if (v == ENT_V_OK) return 0;
    if (v == ENT_V_NOMEM) return r->status = ENT_ENOMEM;
    ent__report(r->rep, ENT_DIAG_ERROR, "journal", "event %llu (%s) is not valid under the charter: %s%s%s%s: %s",
                (unsigned long long)ev->seq, ev->src, o.msg, o.rule ? " [" : "", o.rule ? o.rule : "",
                o.rule ? "]" : "", r->line.p);
    r->bad_seq = ev->seq;
    return r->status = ENT_EINPUT;
}

/* The one-thread replay of ent__replay and ent_rewind: scan the journal into
** r->inst (initialized by the caller); the status, with the report made. */
static int replay_scan(ent_db *db, replay *r, ent_report *rep)
{
    char err[512] = "";
    uint64_t bad = 0;
    int rc = ent__journal_scan(db->j, 0, replay_one, r, &bad, err, sizeof err);
    ent__buf_free(&r->line);
    ent__arena_free(&r->arena);
    if (rc == REPLAY_STOP) rc = r->status = ENT_OK; /* past the last event wanted */
    if (rc != ENT_OK && r->status == ENT_OK) {
        ent__report(rep, ENT_DIAG_ERROR, db->path ? db->path : "journal", "%s", err);
        r->status = rc;
    }
    return r->status;
}

int ent_rewind(ent_db *db, uint64_t seq, ent_report *rep)
{
    uint64_t n = ent__journal_count(db->j);
    if (seq == 0 || seq > n) {
        ent__report(rep, ENT_DIAG_ERROR, "rewind", "no event %llu: the journal has %llu", (unsigned long long)seq,
                    (unsigned long long)n);
        return ENT_EUSAGE;
    }
    replay r;
    memset(&r, 0, sizeof r);
    ent_inst st;
    r.db = db, r.inst = &st, r.upto = ENT_DATE_MAX, r.upto_seq = seq, r.rep = rep;
    if (ent__inst_init(&st, &db->charter, &db->world)) return ENT_ENOMEM;
    int rc = replay_scan(db, &r, rep);
    if (rc != ENT_OK) {
        ent__inst_free(&st);
        return rc;
    }
    ent__spare_drop(db);
    ent__inst_free(&db->inst);
    db->inst = st;
    db->upto_seq = seq;
    db->flags |= ENT_OPEN_READONLY; /* a view of the past: nothing may be appended to it */
    return ENT_OK;
}

/* ------------------------------------------------------------------ */
/* Replay on two threads. The journal's scan (SQLite, the BLAKE2b chain)
** and the rebuilding of each line run on one thread; parsing and applying
** run on the caller's; two batches go back and forth between them. The two
** halves cost about the same, so a replay takes about half the time. */

#define REPLAY_BATCH 4096

typedef struct rbatch {
    ent_arena arena;           /* the lines and unescaped texts of the batch */
    ent_stmt st[REPLAY_BATCH];
    uint64_t seq[REPLAY_BATCH];
    const char *src[REPLAY_BATCH];
    const char *line[REPLAY_BATCH];
    uint32_t len[REPLAY_BATCH];
    int n;
} rbatch;

typedef struct rpipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rbatch *b[2];
    int full[2];               /* batch i is ready for the consumer */
    int done;                  /* the producer has finished */
    int stop;                  /* the consumer wants no more */
    int cur;                   /* the producer's batch */
    ent_journal *j;
    ent_buf line;
    /* the producer's outcome */
    int status;
    uint64_t bad_seq;
    char err[600];
} rpipe;

/* Producer side, called by the scan for each event. */
static int pipe_one(void *ud, const ent_event *ev)
{
    rpipe *p = ud;
    rbatch *b = p->b[p->cur];
    ent__event_line(ev, &p->line);
    if (p->line.oom) return p->status = ENT_ENOMEM;
    char *line = ent__arena_strndup(&b->arena, p->line.p, p->line.len);
    char *src = ent__arena_strndup(&b->arena, ev->src, strlen(ev->src));
    if (!line || !src) return p->status = ENT_ENOMEM;
    b->seq[b->n] = ev->seq;
    b->src[b->n] = src;
    b->line[b->n] = line;
    b->len[b->n] = (uint32_t)p->line.len;
    if (++b->n < REPLAY_BATCH) return 0;
    /* hand the batch over and wait for the other one to be free */
    pthread_mutex_lock(&p->mu);
    p->full[p->cur] = 1;
    pthread_cond_broadcast(&p->cv);
    p->cur ^= 1;
    while (p->full[p->cur] && !p->stop) pthread_cond_wait(&p->cv, &p->mu);
    int stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    if (stop) return ENT_ESOFTWARE; /* any non-zero value ends the scan */
    ent__arena_clear(&p->b[p->cur]->arena);
    p->b[p->cur]->n = 0;
    return 0;
}

static void *pipe_producer(void *ud)
{
    rpipe *p = ud;
    uint64_t bad = 0;
    char err[512] = "";
    int rc = ent__journal_scan(p->j, 0, pipe_one, p, &bad, err, sizeof err);
    pthread_mutex_lock(&p->mu);
    if (rc != ENT_OK && p->status == ENT_OK && !p->stop) {
        p->status = rc;
        p->bad_seq = bad;
        snprintf(p->err, sizeof p->err, "%s", err);
    }
    if (p->status == ENT_OK && p->b[p->cur]->n) p->full[p->cur] = 1; /* the last, partial batch */
    p->done = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Journals shorter than this are replayed on one thread (tests lower it). */
uint64_t ent__replay_pipeline_min = 20000;

static int replay_pipelined(ent_db *db, ent_date upto, ent_inst *out, ent_report *rep)
{
    rpipe p;
    memset(&p, 0, sizeof p);
    p.j = db->j;
    p.b[0] = ent__malloc(sizeof(rbatch));
    p.b[1] = ent__malloc(sizeof(rbatch));
    if (!p.b[0] || !p.b[1]) {
        ent__free(p.b[0]);
        ent__free(p.b[1]);
        return ENT_ENOMEM;
    }
    memset(&p.b[0]->arena, 0, sizeof p.b[0]->arena);
    memset(&p.b[1]->arena, 0, sizeof p.b[1]->arena);
    p.b[0]->n = p.b[1]->n = 0;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    pthread_t th;
    int status = ENT_OK;
    ent_arena parse_arena = { 0 }; /* unescaped texts of the statement being applied */
    if (pthread_create(&th, NULL, pipe_producer, &p) != 0) {
        status = ENT_ESOFTWARE;
    } else {
        for (int i = 0;; i ^= 1) {
            pthread_mutex_lock(&p.mu);
            while (!p.full[i] && !p.done) pthread_cond_wait(&p.cv, &p.mu);
            int have = p.full[i];
            pthread_mutex_unlock(&p.mu);
            if (!have) break; /* done, nothing left */
            rbatch *b = p.b[i];
            for (int k = 0; k < b->n && status == ENT_OK; k++) {
                char msg[256];
                uint16_t col;
                if (ent__parse_line("journal", (uint32_t)b->seq[k], b->line[k], b->len[k], ENT_DATE_NONE, &parse_arena,
                                    &b->st[k], msg, sizeof msg, &col)) {
                    ent__report(rep, ENT_DIAG_ERROR, "journal", "event %llu does not parse: %s: %s",
                                (unsigned long long)b->seq[k], msg, b->line[k]);
                    status = ENT_EINPUT;
                    break;
                }
                if (b->st[k].date > upto) continue;
                ent_outcome o;
                int v = ent__inst_apply(out, &b->st[k], &o);
                ent__arena_clear(&parse_arena);
                if (v == ENT_V_NOMEM) status = ENT_ENOMEM;
                else if (v != ENT_V_OK) {
                    ent__report(rep, ENT_DIAG_ERROR, "journal", "event %llu (%s) is not valid under the charter: %s%s%s%s: %s",
                                (unsigned long long)b->seq[k], b->src[k], o.msg, o.rule ? " [" : "",
                                o.rule ? o.rule : "", o.rule ? "]" : "", b->line[k]);
                    status = ENT_EINPUT;
                }
            }
            pthread_mutex_lock(&p.mu);
            p.full[i] = 0;
            if (status != ENT_OK) p.stop = 1;
            pthread_cond_broadcast(&p.cv);
            pthread_mutex_unlock(&p.mu);
            if (status != ENT_OK) break;
        }
        pthread_join(th, NULL);
        if (status == ENT_OK && p.status != ENT_OK) {
            ent__report(rep, ENT_DIAG_ERROR, db->path ? db->path : "journal", "%s", p.err);
            status = p.status;
        }
    }
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    ent__buf_free(&p.line);
    ent__arena_free(&parse_arena);
    for (int i = 0; i < 2; i++) {
        ent__arena_free(&p.b[i]->arena);
        ent__free(p.b[i]);
    }
    return status;
}

/* Fold the journal's events dated <= upto into a fresh state. */
int ent__replay(ent_db *db, ent_date upto, ent_inst *out, ent_report *rep)
{
    replay r;
    memset(&r, 0, sizeof r);
    r.db = db;
    r.inst = out;
    r.upto = upto;
    r.rep = rep;
    r.upto_seq = db->upto_seq;
    if (ent__inst_init(out, &db->charter, &db->world)) return ENT_ENOMEM;
    if (!db->upto_seq && ent__journal_count(db->j) >= ent__replay_pipeline_min) {
        int rc = replay_pipelined(db, upto, out, rep);
        if (rc != ENT_OK) ent__inst_free(out);
        return rc;
    }
    int rc = replay_scan(db, &r, rep);
    if (rc != ENT_OK) ent__inst_free(out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Applying inputs.                                                     */

typedef struct pending {
    ent_arena own;
    ent_arena *arena;      /* &own, or a group's (ent_run_batch: one for all its commands) */
    ent_vec stmts;         /* ent_stmt, of every input */
    ent_vec owner;         /* int: index of the input of each statement */
} pending;

static void pending_free(pending *p)
{
    ent__arena_free(&p->own);
    ent__vec_free(&p->stmts);
    ent__vec_free(&p->owner);
}

/* Ids that a failed line would have created; a later line that refers to one
** is skipped with a note instead of piling "unknown id" errors on the first. */
typedef struct failed_ids {
    ent_vec ids;          /* ent_str */
} failed_ids;

static int refers_to_failed(const failed_ids *f, const ent_stmt *st, ent_str *which)
{
    for (size_t i = 0; i < f->ids.len; i++) {
        ent_str id = ENT_VEC_AT(&f->ids, ent_str, i);
        if (ent__str_same(st->subject, id)) {
            *which = id;
            return 1;
        }
        for (int a = 0; a < st->nargs; a++) {
            if (st->args[a].key.n && ent__str_eq(st->args[a].key, "id")) continue;
            if (ent__str_same(st->args[a].val, id)) {
                *which = id;
                return 1;
            }
        }
    }
    return 0;
}

/* Who puts a command (ent_run_batch): its lines are checked by the rule
** `authority` (auth.c) before the charter sees them. */
typedef struct author {
    const char *principal;
    const char *name;
} author;

/* Parse and validate inputs, applying them to *work (the state they are
** checked against). On ENT_OK, *work holds the new state and p the
** statements to append; on failure *work may hold part of them: *applied
** (the statements applied) says whether it does, and the caller discards
** it. who != NULL: every line must pass the rule `authority` first
** (ENT_EFORBIDDEN; malformed lines take precedence, then forbidden ones). */
static int validate_into(ent_db *db, const ent_input *in, int n, ent_inst *clone, pending *p, ent_report *rep,
                         const author *who, size_t *applied, ent_arena *arena)
{
    int errors = 0, refusals = 0, forbidden = 0;
    failed_ids failed;
    ent__vec_init(&failed.ids, sizeof(ent_str));
    memset(p, 0, sizeof *p);
    p->arena = arena ? arena : &p->own;
    ent__vec_init(&p->stmts, sizeof(ent_stmt));
    ent__vec_init(&p->owner, sizeof(int));
    *applied = 0;
    ent_input *conv = n ? ent__arena_alloc(p->arena, (size_t)n * sizeof *conv) : NULL;
    for (int f = 0; f < n && conv; f++) {
        /* exported JSON lines and CSV are read back as chronicle text */
        conv[f] = in[f];
        int fmt = ent__import_format(in[f].name);
        if (fmt != ENT_FMT_CHRONICLE) {
            ent_buf b = { 0 };
            ent__import(&in[f], fmt, &b);
            conv[f].text = b.p ? ent__arena_strndup(p->arena, b.p, b.len) : "";
            conv[f].len = b.len;
            if (b.oom || !conv[f].text) p->arena->oom = 1;
            ent__buf_free(&b);
        }
    }
    if (!conv || p->arena->oom) {
        ent__vec_free(&failed.ids);
        return ENT_ENOMEM;
    }
    in = conv;
    for (int f = 0; f < n; f++) {
        size_t first = p->stmts.len;
        size_t first_diag = rep ? rep->diags.items.len : 0;
        errors += parse_input(&in[f], p->arena, &p->stmts, rep);
        if (p->stmts.oom || p->arena->oom) {
            ent__vec_free(&failed.ids);
            return ENT_ENOMEM;
        }
        for (size_t i = first; i < p->stmts.len; i++) {
            ent_stmt *st = &ENT_VEC_AT(&p->stmts, ent_stmt, i);
            ent_outcome o;
            if (is_decl(st)) {
                memset(&o, 0, sizeof o);
                o.verdict = ENT_V_ERROR;
                o.col = st->col_subject;
                snprintf(o.msg, sizeof o.msg,
                         "'%.*s' declarations belong to the built-in charter and world, not to a chronicle",
                         (int)st->subject.n, st->subject.p);
            } else {
                ent_str which;
                if (refers_to_failed(&failed, st, &which)) {
                    if (rep)
                        ent__diag_add(&rep->diags, ENT_DIAG_NOTE, st->file, st->line, 0, NULL, 0, NULL, NULL,
                                      "not checked: it refers to '%.*s', which an earlier line failed to create",
                                      (int)which.n, which.p);
                    const ent_arg *ida = ent__stmt_key(st, ENT_K_ID);
                    ent_str *slot = ida ? ent__vec_push(&failed.ids) : NULL;
                    if (slot) *slot = ida->val;
                    st->verb.n = 0;
                    continue;
                }
                if (who && ent__authorize(db, clone, who->principal, who->name, st, &o) != ENT_V_OK) {
                    forbidden++; /* reported as a refusal, with the rule `authority` */
                } else {
                    ent__inst_apply(clone, st, &o);
                    if (o.verdict == ENT_V_OK) ++*applied;
                }
            }
            if (o.verdict == ENT_V_NOMEM) {
                ent__vec_free(&failed.ids);
                return ENT_ENOMEM;
            }
            if (o.verdict != ENT_V_OK) {
                const ent_arg *ida = ent__stmt_key(st, ENT_K_ID);
                ent_str *slot = ida ? ent__vec_push(&failed.ids) : NULL;
                if (slot) *slot = ida->val;
                report_outcome(rep, &in[f], st, &o);
                if (o.verdict != ENT_V_REFUSED) errors++;
                else if (!o.rule || strcmp(o.rule, "authority") != 0) refusals++;
                st->verb.n = 0; /* mark: not to be appended */
                continue;
            }
            int *ow = ent__vec_push(&p->owner);
            if (!ow) {
                ent__vec_free(&failed.ids);
                return ENT_ENOMEM;
            }
            *ow = f;
        }
        if (rep) ent__diags_sort_from(&rep->diags, first_diag);
    }
    ent__vec_free(&failed.ids);
    if (errors || refusals || forbidden)
        return errors ? ENT_EINPUT : forbidden ? ENT_EFORBIDDEN : ENT_REFUSED;
    return ENT_OK;
}

/* validate_into on a clone of the state; on failure the clone is freed. */
static int validate(ent_db *db, const ent_input *in, int n, ent_inst *clone, pending *p, ent_report *rep)
{
    size_t applied;
    if (ent__inst_clone(clone, &db->inst)) {
        memset(p, 0, sizeof *p);
        return ENT_ENOMEM;
    }
    int rc = validate_into(db, in, n, clone, p, rep, NULL, &applied, NULL);
    if (rc != ENT_OK) ent__inst_free(clone);
    return rc;
}

int ent_check(ent_db *db, const ent_input *in, int n, ent_report *rep)
{
    ent_inst clone;
    pending p;
    int rc = validate(db, in, n, &clone, &p, rep);
    if (rc == ENT_OK) ent__inst_free(&clone);
    pending_free(&p);
    return rc;
}

/* Inside a transaction: record in meta the reading of the charter (its
** switches) the events were checked under. The values known to be there
** after the last commit (sw_stored) spare the reads of meta while the
** switches stay as they were: a group of the crisis room's writer would
** otherwise read every switch back. */
static int store_switches(ent_db *db, char *err, size_t errsz)
{
    int rc = ENT_OK;
    if (!db->path) return ENT_OK;
    if (db->sw_known) {
        int i = 0;
        while (i < db->charter.nswitches && strcmp(db->sw_stored[i], db->charter.switches[i].value) == 0) i++;
        if (i == db->charter.nswitches) return ENT_OK;
    }
    db->sw_known = 0;
    for (int i = 0; rc == ENT_OK && i < db->charter.nswitches; i++) {
        char key[80];
        const ent_switch *w = &db->charter.switches[i];
        snprintf(key, sizeof key, "switch.%s", w->name);
        char *old = ent__journal_meta_get(db->j, key);
        if ((old && strcmp(old, w->value) != 0) || (!old && strcmp(w->value, w->dflt) != 0))
            rc = ent__journal_meta_set(db->j, key, w->value, err, errsz);
        ent__free(old);
    }
    return rc;
}

/* After a commit that stored the switches: meta holds the current ones. */
static void switches_committed(ent_db *db)
{
    for (int i = 0; i < db->charter.nswitches; i++)
        memcpy(db->sw_stored[i], db->charter.switches[i].value, sizeof db->sw_stored[i]);
    db->sw_known = 1;
}

/* Inside a transaction: append the statements not marked (verb.n == 0);
** log != NULL: each event's JSON line too (ent_batch_log). */
static int append_stmts(ent_db *db, ent_vec *stmts, ent_buf *scratch, ent_buf *log, char *err, size_t errsz)
{
    int rc = ENT_OK;
    for (size_t i = 0; rc == ENT_OK && i < stmts->len; i++) {
        const ent_stmt *st = &ENT_VEC_AT(stmts, ent_stmt, i);
        if (!st->verb.n) continue;
        ent_event ev;
        char date[11], src[300];
        stmt_to_event(st, scratch, &ev, date, src, sizeof src);
        if (scratch->oom) return ENT_ENOMEM;
        rc = ent__journal_append(db->j, &ev, err, errsz);
        if (rc == ENT_OK && log) {
            ent__event_jsonl(&ev, log);
            if (log->oom) return ENT_ENOMEM;
        }
    }
    return rc;
}

/* Append statements (all valid) in one transaction. */
static int append_all(ent_db *db, ent_vec *stmts, ent_report *rep)
{
    char err[512] = "";
    ent_buf scratch = { 0 };
    int rc = ent__journal_begin(db->j, err, sizeof err);
    if (rc == ENT_OK) rc = store_switches(db, err, sizeof err);
    if (rc == ENT_OK) rc = append_stmts(db, stmts, &scratch, NULL, err, sizeof err);
    ent__buf_free(&scratch);
    if (rc == ENT_OK) rc = ent__journal_commit(db->j, err, sizeof err);
    if (rc == ENT_OK) switches_committed(db);
    if (rc != ENT_OK) {
        ent__journal_rollback(db->j);
        ent__report(rep, ENT_DIAG_ERROR, db->path ? db->path : "journal", "nothing was written: %s",
                    err[0] ? err : ent_strstatus(rc));
    }
    return rc;
}

int ent_run(ent_db *db, const ent_input *in, int n, size_t *appended, ent_report *rep)
{
    ent_inst clone;
    pending p;
    if (appended) *appended = 0;
    if (db->flags & ENT_OPEN_READONLY) {
        ent__report(rep, ENT_DIAG_ERROR, db->path ? db->path : "journal", "the journal is open read-only");
        return ENT_EUSAGE;
    }
    int rc = validate(db, in, n, &clone, &p, rep);
    if (rc != ENT_OK) {
        pending_free(&p);
        return rc;
    }
    rc = append_all(db, &p.stmts, rep);
    if (rc == ENT_OK) {
        ent__spare_drop(db);
        ent__inst_free(&db->inst);
        db->inst = clone;
        if (appended) *appended = p.owner.len;
    } else {
        ent__inst_free(&clone);
    }
    pending_free(&p);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Commands in groups (the crisis room's writer).                       */
/*                                                                      */
/* One working state per group (not per command): a command is applied  */
/* to it line by line, and one that fails after some of its lines were   */
/* applied makes the group rebuild the working state (a new clone of the */
/* live state, then the accepted commands' statements again). The usual  */
/* command, one line, fails before it changes anything (ent__inst_apply  */
/* changes nothing on a refusal). The working state is not cloned each   */
/* time either: after a commit the old live state, with the group's      */
/* statements applied to it again, is kept as the next group's (the     */
/* spare), so a group costs its statements twice, not a copy of a state  */
/* that grows with the journal (a clone is made only after a failure).   */
/* Tokens are checked from the journal's cache, which is synced with     */
/* the tokens table (PRAGMA data_version) once a group.                  */

#define IDEM_KEY_MAX 128

typedef struct bcmd {
    pending p;                 /* its statements (valid while the group runs) */
    int accepted;
    unsigned char body[32];    /* hash of principal, name, input name and text */
    char name[64];             /* the token's name ("" without a token) */
} bcmd;

/* What a command said, for its idempotency key. */
static void body_hash(const ent_command *c, const char *name, unsigned char out[32])
{
    crypto_generichash_state h;
    const char *in_name = c->in.name ? c->in.name : "";
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, (const unsigned char *)c->principal, strlen(c->principal) + 1);
    crypto_generichash_update(&h, (const unsigned char *)name, strlen(name) + 1);
    crypto_generichash_update(&h, (const unsigned char *)in_name, strlen(in_name) + 1);
    if (c->in.len) crypto_generichash_update(&h, (const unsigned char *)c->in.text, c->in.len);
    crypto_generichash_final(&h, out, 32);
}

/* Re-make *work: a clone of the live state with the statements of the
** accepted commands before `upto` applied again (they were valid in this
** order, so they are again). */
static int rebuild_work(ent_db *db, ent_inst *work, bcmd *bc, int upto)
{
    ent__inst_free(work);
    if (ent__inst_clone(work, &db->inst)) return ENT_ENOMEM;
    for (int k = 0; k < upto; k++) {
        if (!bc[k].accepted) continue;
        for (size_t i = 0; i < bc[k].p.stmts.len; i++) {
            const ent_stmt *st = &ENT_VEC_AT(&bc[k].p.stmts, ent_stmt, i);
            ent_outcome o;
            if (!st->verb.n) continue;
            int v = ent__inst_apply(work, st, &o);
            if (v == ENT_V_NOMEM) return ENT_ENOMEM;
            if (v != ENT_V_OK) return ENT_ESOFTWARE;
        }
    }
    return ENT_OK;
}

/* Apply the accepted commands' statements to *s (the state before the
** group): ENT_OK when every one holds again. */
static int catch_up(ent_inst *s, const bcmd *bc, int n)
{
    for (int k = 0; k < n; k++) {
        if (!bc[k].accepted) continue;
        for (size_t i = 0; i < bc[k].p.stmts.len; i++) {
            const ent_stmt *st = &ENT_VEC_AT(&bc[k].p.stmts, ent_stmt, i);
            ent_outcome o;
            if (!st->verb.n) continue;
            int v = ent__inst_apply(s, st, &o);
            if (v == ENT_V_NOMEM) return ENT_ENOMEM;
            if (v != ENT_V_OK) return ENT_ESOFTWARE;
        }
    }
    return ENT_OK;
}

void ent__spare_drop(ent_db *db)
{
    if (!db->have_spare) return;
    ent__inst_free(&db->spare);
    db->have_spare = 0;
}

/* Every command of the group gets the status that kept it from being
** committed (nothing is stored). */
static int batch_fail(ent_db *db, ent_command *cmds, int n, int rc, const char *why)
{
    for (int i = 0; i < n; i++) {
        cmds[i].status = rc;
        cmds[i].replayed = 0;
        cmds[i].appended = 0;
        cmds[i].first_seq = cmds[i].last_seq = 0;
        ent__report(cmds[i].rep, ENT_DIAG_ERROR, db->path ? db->path : "journal", "nothing was written: %s",
                    why && *why ? why : ent_strstatus(rc));
    }
    return rc;
}

int ent_run_batch(ent_db *db, ent_command *cmds, int n)
{
    char err[512] = "";
    int rc = ENT_OK, any_key = 0, naccepted = 0, have_work = 0;
    if (db->batch_log.oom) ent__buf_free(&db->batch_log);
    ent__buf_reset(&db->batch_log);
    if (n < 0 || (n > 0 && !cmds)) return ENT_EUSAGE;
    for (int i = 0; i < n; i++) {
        ent_command *c = &cmds[i];
        c->status = ENT_OK;
        c->replayed = 0;
        c->appended = 0;
        c->first_seq = c->last_seq = 0;
        c->principal[0] = 0;
        if (c->idem_key) any_key = 1;
    }
    if (n == 0) return ENT_OK;
    if (db->flags & ENT_OPEN_READONLY) return batch_fail(db, cmds, n, ENT_EUSAGE, "the journal is open read-only");
    /* the idem table must exist before the transaction (store.h) */
    if (any_key && (rc = ent__journal_idem_prepare(db->j, err, sizeof err)) != ENT_OK)
        return batch_fail(db, cmds, n, rc, err);
    /* the tokens: whether another process changed them, once for the group */
    for (int i = 0; i < n; i++)
        if (cmds[i].token) {
            if ((rc = ent__journal_token_sync(db->j)) != ENT_OK) return batch_fail(db, cmds, n, rc, "the tokens cannot be read");
            break;
        }
    bcmd *bc = ent__malloc((size_t)n * sizeof *bc);
    if (!bc) return batch_fail(db, cmds, n, ENT_ENOMEM, NULL);
    memset(bc, 0, (size_t)n * sizeof *bc);
    ent_inst work;
    uint64_t next_seq = ent__journal_count(db->j) + 1;

    for (int i = 0; i < n && rc == ENT_OK; i++) {
        ent_command *c = &cmds[i];
        char *name = bc[i].name;
        author who = { c->principal, name };
        /* the token: unknown, malformed or revoked leaves principal "" */
        if (c->token) {
            int t = ent__token_who(db, c->token, c->principal, name, 0);
            if (t != ENT_OK) {
                c->status = t;
                ent__report(c->rep, ENT_DIAG_ERROR, "token",
                            t == ENT_EFORBIDDEN ? "the token is unknown, malformed or revoked" : "the token cannot be checked: %s",
                            ent_strstatus(t));
                continue;
            }
        }
        /* the idempotency key: seen with this body, the stored outcome */
        if (c->idem_key) {
            size_t kl = strlen(c->idem_key);
            if (kl == 0 || kl > IDEM_KEY_MAX) {
                c->status = ENT_EUSAGE;
                ent__report(c->rep, ENT_DIAG_ERROR, "idempotency-key", "an idempotency key has 1 to %d bytes, not %zu",
                            IDEM_KEY_MAX, kl);
                continue;
            }
            body_hash(c, name, bc[i].body);
            int seen = 0, same = 0;
            for (int k = i - 1; k >= 0 && !seen; k--) {
                if (!bc[k].accepted || cmds[k].replayed || !cmds[k].idem_key || strcmp(cmds[k].idem_key, c->idem_key))
                    continue;
                seen = 1;
                same = sodium_memcmp(bc[k].body, bc[i].body, 32) == 0;
                if (same) {
                    c->appended = cmds[k].appended;
                    c->first_seq = cmds[k].first_seq;
                    c->last_seq = cmds[k].last_seq;
                }
            }
            ent_idem v;
            if (!seen) {
                int g = ent__journal_idem_get(db->j, c->idem_key, &v);
                if (g == ENT_OK) {
                    seen = 1;
                    same = sodium_memcmp(v.body, bc[i].body, 32) == 0;
                    if (same) {
                        c->appended = (size_t)v.appended;
                        c->first_seq = v.first_seq;
                        c->last_seq = v.last_seq;
                    }
                } else if (g != ENT_ENOTFOUND) {
                    c->status = g;
                    ent__report(c->rep, ENT_DIAG_ERROR, "idempotency-key", "the key cannot be looked up: %s",
                                ent_strstatus(g));
                    continue;
                }
            }
            if (seen && same) {
                c->replayed = 1;
                continue;
            }
            if (seen) {
                c->status = ENT_EUSAGE;
                c->appended = 0;
                ent__report(c->rep, ENT_DIAG_ERROR, "idempotency-key",
                            "idempotency key reused with another body: '%s' was used for another command", c->idem_key);
                continue;
            }
        }
        if (!have_work) {
            if (db->have_spare) {          /* equal to the live state: no clone */
                work = db->spare;
                db->have_spare = 0;
            } else if (ent__inst_clone(&work, &db->inst)) {
                rc = ENT_ENOMEM;
                break;
            }
            have_work = 1;
        }
        size_t applied = 0;
        int v = validate_into(db, &c->in, 1, &work, &bc[i].p, c->rep, c->token ? &who : NULL, &applied, &db->batch_arena);
        if (v == ENT_OK) {
            bc[i].accepted = 1;
            naccepted++;
            c->appended = bc[i].p.owner.len;
            if (c->appended) {
                c->first_seq = next_seq;
                c->last_seq = next_seq + c->appended - 1;
                next_seq += c->appended;
            }
            continue;
        }
        c->status = v;
        pending_free(&bc[i].p);
        memset(&bc[i].p, 0, sizeof bc[i].p);
        db->batch_arena.oom = 0;       /* a failed block leaves nothing to undo */
        if (applied) rc = rebuild_work(db, &work, bc, i); /* part of it was applied: undo */
    }

    if (rc == ENT_OK && naccepted) {
        /* every accepted command in one transaction, with the keys */
        ent_buf scratch = { 0 };
        rc = ent__journal_begin(db->j, err, sizeof err);
        if (rc == ENT_OK) rc = store_switches(db, err, sizeof err);
        for (int i = 0; i < n && rc == ENT_OK; i++) {
            if (!bc[i].accepted) continue;
            rc = append_stmts(db, &bc[i].p.stmts, &scratch, &db->batch_log, err, sizeof err);
            if (rc == ENT_OK && cmds[i].idem_key) {
                ent_idem v;
                memset(&v, 0, sizeof v);
                snprintf(v.principal, sizeof v.principal, "%s", cmds[i].principal);
                memcpy(v.body, bc[i].body, 32);
                v.status = ENT_OK;
                v.first_seq = cmds[i].first_seq;
                v.last_seq = cmds[i].last_seq;
                v.appended = cmds[i].appended;
                snprintf(v.name, sizeof v.name, "%s", bc[i].name);
                rc = ent__journal_idem_put(db->j, cmds[i].idem_key, &v, err, sizeof err);
            }
        }
        ent__buf_free(&scratch);
        if (rc == ENT_OK && ent__journal_count(db->j) != next_seq - 1) {
            snprintf(err, sizeof err, "the group's sequence numbers do not match the journal's");
            rc = ENT_ESOFTWARE;
        }
        if (rc == ENT_OK) rc = ent__journal_commit(db->j, err, sizeof err);
        if (rc == ENT_OK) switches_committed(db);
        if (rc != ENT_OK) {
            ent__journal_rollback(db->j);
            ent__buf_reset(&db->batch_log);
        }
    }
    if (rc == ENT_OK && naccepted) {
        /* the old live state, brought up to date with the group's
        ** statements, is the next group's working state (applying them
        ** again costs far less than cloning a state that grows) */
        ent_inst old = db->inst;
        db->inst = work;
        have_work = 0;
        if (catch_up(&old, bc, n) == ENT_OK) {
            db->spare = old;
            db->have_spare = 1;
        } else {
            ent__inst_free(&old);
        }
    } else if (have_work && rc == ENT_OK && !naccepted) {
        /* nothing accepted: work is the live state again (a refused line
        ** changes nothing; a command refused after some of its lines was
        ** undone by rebuild_work) */
        db->spare = work;
        db->have_spare = 1;
        have_work = 0;
    }
    if (have_work) ent__inst_free(&work);
    for (int i = 0; i < n; i++) pending_free(&bc[i].p);
    ent__arena_clear(&db->batch_arena); /* its first block serves the next group */
    db->batch_arena.oom = 0;
    ent__free(bc);
    if (rc != ENT_OK) return batch_fail(db, cmds, n, rc, err);
    return ENT_OK;
}

const char *ent_batch_log(ent_db *db, size_t *len)
{
    if (!db || db->batch_log.oom || !db->batch_log.p) {
        if (len) *len = 0;
        return "";
    }
    if (len) *len = db->batch_log.len;
    return db->batch_log.p;
}

/* ------------------------------------------------------------------ */
/* Open and close.                                                      */

/* The declarations: the built-in sources, charter and world; or, with
** charter files (ncharter > 0), the built-in sources and world, then the
** files, which declare the organization and may add states and sources
** (docs/charters.md). An error in a charter file is malformed input. */
static int load_builtin_decls(ent_db *db, const ent_input *charter, int ncharter, ent_report *rep)
{
    static const char *const files[] = { "data/sources.chron", "data/charter.chron", "data/world.chron" };
    ent__charter_init(&db->charter);
    ent__world_init(&db->world);
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    size_t nbuiltin = sizeof files / sizeof files[0];
    for (size_t i = 0; i < nbuiltin + (size_t)ncharter; i++) {
        ent_input in;
        if (ncharter && i == 1) continue; /* another organization: not the CSTO's charter */
        if (i >= nbuiltin) {
            in = charter[i - nbuiltin];
            if (!in.name) in.name = "charter";
            if (!in.text) in.len = 0, in.text = "";
        } else if (!embedded(files[i], &in)) {
            ent__report(rep, ENT_DIAG_ERROR, files[i], "built-in file missing");
            return ENT_ESOFTWARE;
        }
        crypto_generichash_update(&h, (const unsigned char *)in.text, in.len);
        ent_arena arena = { 0 };
        ent_vec stmts;
        ent__vec_init(&stmts, sizeof(ent_stmt));
        int bad = parse_input(&in, &arena, &stmts, rep);
        if (!bad) bad = apply_decls(db, &in, &stmts, rep);
        int oom = stmts.oom || arena.oom;
        ent__vec_free(&stmts);
        ent__arena_free(&arena);
        if (oom) return ENT_ENOMEM;
        if (bad) return i >= nbuiltin ? ENT_EINPUT : ENT_ESOFTWARE;
    }
    if (ncharter && (!db->charter.org[0] || !db->charter.nbodies)) {
        ent__report(rep, ENT_DIAG_ERROR, charter[0].name ? charter[0].name : "charter",
                    "a charter file declares its organization and at least one body ('charter organization', 'charter body')");
        return ENT_EINPUT;
    }
    db->charter_file = ncharter > 0;
    unsigned char dg[32];
    crypto_generichash_final(&h, dg, sizeof dg);
    sodium_bin2hex(db->charter_digest, sizeof db->charter_digest, dg, sizeof dg);
    return ENT_OK;
}

/* Apply and append the built-in history to an empty journal. */
static int load_builtin_history(ent_db *db, ent_report *rep)
{
    ent_input in;
    if (!embedded("data/history.chron", &in)) return ENT_ESOFTWARE;
    size_t n;
    int rc = ent_run(db, &in, 1, &n, rep);
    if (rc == ENT_EINPUT || rc == ENT_REFUSED) rc = ENT_ESOFTWARE; /* our own data must be valid */
    return rc;
}

int ent_open(ent_db **out, const char *path, unsigned flags, ent_report *rep)
{
    return ent_open_charter(out, path, flags, NULL, 0, rep);
}

int ent_open_charter(ent_db **out, const char *path, unsigned flags, const ent_input *charter, int ncharter,
                     ent_report *rep)
{
    *out = NULL;
    if (ncharter < 0 || (ncharter > 0 && !charter)) return ENT_EUSAGE;
    if (ncharter > 0) flags |= ENT_OPEN_BARE; /* the built-in history is the CSTO's */
    if (sodium_init() < 0) return ENT_ESOFTWARE;
    ent_db *db = ent__malloc(sizeof *db);
    if (!db) return ENT_ENOMEM;
    memset(db, 0, sizeof *db);
    db->flags = flags;
    db->today = ENT_DATE_NONE;
    int rc = load_builtin_decls(db, charter, ncharter, rep);
    if (rc == ENT_OK && ent__inst_init(&db->inst, &db->charter, &db->world)) rc = ENT_ENOMEM;
    if (rc != ENT_OK) {
        ent_close(db);
        return rc;
    }
    if (path) {
        db->path = ent__strndup(path, strlen(path));
        if (!db->path) {
            ent_close(db);
            return ENT_ENOMEM;
        }
    }
    char err[512] = "";
    int created = 0;
    rc = ent__journal_open(&db->j, path ? path : ":memory:", !(flags & ENT_OPEN_NOCREATE) && !(flags & ENT_OPEN_READONLY),
                           (flags & ENT_OPEN_READONLY) != 0, &created, err, sizeof err);
    if (rc != ENT_OK) {
        ent__report(rep, ENT_DIAG_ERROR, path ? path : "journal", "%s", err);
        ent_close(db);
        return rc;
    }
    if (created) {
        rc = ent__journal_meta_set(db->j, "charter", db->charter.org, err, sizeof err);
        if (rc == ENT_OK) rc = ent__journal_meta_set(db->j, "charter_digest", db->charter_digest, err, sizeof err);
        if (rc == ENT_OK)
            rc = ent__journal_meta_set(db->j, "charter_origin", db->charter_file ? "file" : "built-in", err, sizeof err);
        if (rc == ENT_OK)
            rc = ent__journal_meta_set(db->j, "history", flags & ENT_OPEN_BARE ? "bare" : "built-in", err, sizeof err);
        if (rc != ENT_OK) ent__report(rep, ENT_DIAG_ERROR, path ? path : "journal", "%s", err);
        if (rc == ENT_OK && !(flags & ENT_OPEN_BARE)) rc = load_builtin_history(db, rep);
    } else {
        char *org = ent__journal_meta_get(db->j, "charter");
        if (org && strcmp(org, db->charter.org) != 0) {
            ent__report(rep, ENT_DIAG_ERROR, path, "the journal was made under the %s charter, not %s", org,
                        db->charter.org);
            rc = ENT_EINPUT;
        }
        ent__free(org);
        /* a journal made under a charter file opens only under the same text */
        char *origin = rc == ENT_OK ? ent__journal_meta_get(db->j, "charter_origin") : NULL;
        char *dg = rc == ENT_OK ? ent__journal_meta_get(db->j, "charter_digest") : NULL;
        int was_file = origin && strcmp(origin, "file") == 0;
        if (rc == ENT_OK && was_file != db->charter_file) {
            ent__report(rep, ENT_DIAG_ERROR, path, "the journal was made under %s %s charter, not %s",
                        was_file ? "a charter file of the" : "the built-in", db->charter.org,
                        db->charter_file ? "a charter file (give no --charter)" : "the built-in one (give its --charter FILE)");
            rc = ENT_EINPUT;
        } else if (rc == ENT_OK && db->charter_file && dg && strcmp(dg, db->charter_digest) != 0) {
            ent__report(rep, ENT_DIAG_ERROR, path,
                        "the journal was made under another text of the %s charter (digest %.16s, this one %.16s)",
                        db->charter.org, dg, db->charter_digest);
            rc = ENT_EINPUT;
        }
        ent__free(origin);
        ent__free(dg);
        for (int i = 0; rc == ENT_OK && i < db->charter.nswitches; i++) {
            char key[80];
            snprintf(key, sizeof key, "switch.%s", db->charter.switches[i].name);
            char *v = ent__journal_meta_get(db->j, key);
            if (v && ent__charter_set_switch(&db->charter, db->charter.switches[i].name, v)) {
                ent__report(rep, ENT_DIAG_ERROR, path, "the journal's switch %s=%s is not a value the charter allows", key + 7, v);
                rc = ENT_EINPUT;
            }
            ent__free(v);
        }
        if (rc == ENT_OK) {
            ent_inst fresh;
            ent__spare_drop(db);
            ent__inst_free(&db->inst);
            rc = ent__replay(db, ENT_DATE_MAX, &fresh, rep);
            if (rc == ENT_OK) db->inst = fresh;
            else ent__inst_init(&db->inst, &db->charter, &db->world);
        }
    }
    if (rc != ENT_OK) {
        ent_close(db);
        return rc;
    }
    *out = db;
    return ENT_OK;
}

void ent_close(ent_db *db)
{
    if (!db) return;
    if (db->j) ent__journal_close(db->j);
    ent__spare_drop(db);
    ent__inst_free(&db->inst);
    ent__buf_free(&db->batch_log);
    ent__arena_free(&db->batch_arena);
    ent__free(db->path);
    ent__free(db);
}

/* A switch is a reading of the charter for the whole journal: setting one
** re-folds every event under the new reading (refused if an event no longer
** holds). The next successful run stores the switches in the journal's meta,
** in its own transaction, so later opens replay under the same reading and a
** refused run leaves the journal as it was. */
int ent_set_switch(ent_db *db, const char *name, const char *value, ent_report *rep)
{
    const char *cur = ent__charter_switch(&db->charter, name);
    if (!cur) {
        ent__report(rep, ENT_DIAG_ERROR, "--set", "unknown interpretation switch '%s'", name);
        return ENT_EUSAGE;
    }
    char old[sizeof db->charter.switches[0].value];
    snprintf(old, sizeof old, "%s", cur);
    if (ent__charter_set_switch(&db->charter, name, value)) {
        const ent_switch *w = NULL;
        for (int i = 0; i < db->charter.nswitches; i++)
            if (strcmp(db->charter.switches[i].name, name) == 0) w = &db->charter.switches[i];
        ent__report(rep, ENT_DIAG_ERROR, "--set", "switch %s takes %s%s, not '%s'", name,
                    w && strstr(w->values, "..") ? "a whole number " : "one of ", w ? w->values : "?", value);
        return ENT_EUSAGE;
    }
    if (strcmp(old, value) == 0) return ENT_OK;
    ent_inst fresh;
    int rc = ent__replay(db, ENT_DATE_MAX, &fresh, rep);
    if (rc != ENT_OK) {
        ent__charter_set_switch(&db->charter, name, old);
        ent__report(rep, ENT_DIAG_ERROR, "--set", "the journal does not hold under %s=%s (see above); the switch is unchanged",
                    name, value);
        return rc == ENT_EINPUT ? ENT_REFUSED : rc;
    }
    ent__spare_drop(db);
    ent__inst_free(&db->inst);
    db->inst = fresh;
    return ENT_OK;
}

int ent_set_today(ent_db *db, const char *date)
{
    ent_date d;
    if (!date || ent__date_parse(date, strlen(date), &d)) return ENT_EUSAGE;
    db->today = d;
    return ENT_OK;
}

uint64_t ent_event_count(ent_db *db) { return ent__journal_count(db->j); }

void ent_digest(ent_db *db, char digest[65])
{
    unsigned char dg[32];
    ent__inst_digest(&db->inst, dg);
    sodium_bin2hex(digest, 65, dg, sizeof dg);
}

int ent_verify(ent_db *db, char digest[65], ent_report *rep)
{
    ent_inst fresh;
    int rc = ent__replay(db, ENT_DATE_MAX, &fresh, rep);
    if (rc != ENT_OK) return rc;
    unsigned char a[32], b[32];
    ent__inst_digest(&fresh, a);
    ent__inst_digest(&db->inst, b);
    ent__inst_free(&fresh);
    sodium_bin2hex(digest, 65, a, sizeof a);
    if (memcmp(a, b, sizeof a) != 0) {
        ent__report(rep, ENT_DIAG_ERROR, db->path ? db->path : "journal",
                    "replay gives a state digest different from the live state");
        return ENT_ESOFTWARE;
    }
    return ENT_OK;
}

/* The date a query without one is about. */
ent_date ent__default_date(ent_db *db)
{
    if (db->today != ENT_DATE_NONE) return db->today;
    return db->inst.last_date;
}

/* Parse a date argument, or take the default. */
int ent__query_date(ent_db *db, const char *date, ent_date *d, ent_report *rep)
{
    if (!date) {
        *d = ent__default_date(db);
        if (*d == ENT_DATE_NONE) ent__date_make(1992, 5, 15, d);
        return ENT_OK;
    }
    int r = ent__date_parse(date, strlen(date), d);
    if (r) {
        ent__report(rep, ENT_DIAG_ERROR, "--at", r == -2 ? "no such date: %s" : "not a date YYYY-MM-DD: %s", date);
        return ENT_EUSAGE;
    }
    return ENT_OK;
}

/* The state as of date d: the live state when d is on or after every event,
** else a replay of the events dated <= d. *owned says whether to free it. */
int ent__state_at(ent_db *db, ent_date d, ent_inst *tmp, const ent_inst **out, ent_report *rep)
{
    if (db->inst.last_date == ENT_DATE_NONE || d >= db->inst.last_date) {
        *out = &db->inst;
        return ENT_OK;
    }
    int rc = ent__replay(db, d, tmp, rep);
    if (rc == ENT_OK) *out = tmp;
    return rc;
}
