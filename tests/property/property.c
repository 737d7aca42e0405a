/*
** property.c: random chronicles keep the charter's invariants.
**
**   ./build/test-property [SEED] [ROUNDS] [-v] [--no-shrink] [--lenient]
**
** Without SEED, a fixed list of seeds; ROUNDS is the number of steps of each
** scenario (default 350 on the history, 250 on the bare journal file). -v
** prints every step and the library's verdict; --no-shrink skips the
** shrinking; --lenient judges a deployment's legal basis on its proposal's
** date (where the library checks it) instead of its decision's.
**
** From a seed (splitmix64), a generator writes a stream of chronicle lines,
** valid and invalid mixed: requests (own and for others), proposals to deploy
** (CSC and other bodies, member and non-member hosts, with and without a
** request or a UN Security Council decision), votes (yes/no/abstain/out, by
** members, frozen members and non-members, on open and closed proposals,
** twice), closes, contributions (within and past a force's strength),
** arrive/complete/leave facts, UN notices, freezes, joins, departures,
** suspensions, chairs, garbage tokens and bad dates. The stream runs twice:
** on the built-in history in memory (ent_open(NULL, 0)) and on a --bare
** journal file. Each step is either one line (ent_run: a valid line is
** appended, a refused one is not) or a batch of lines (all or nothing).
**
** After every step the state (ent_state, JSON, parsed with jansson) is held
** against a model that the test keeps of what the library accepted (which
** requests, UN decisions, proposals, votes and membership changes), and:
**   1  request:   an adopted deployment on a member's territory (on the
**                 decision's date) rests on the host's own earlier request
**                 for assistance; one request is the basis of one deployment
**   2  territory: an adopted deployment on a non-member's territory (on the
**                 decision's date) rests on a UN Security Council decision
**                 for that host, dated on or before the decision
**                 (1 and 2: when the host's standing changed on the decision's
**                 date itself, either basis will do: the state on a date does
**                 not show the order of the acts within the day; and the
**                 model's standings of the states, which 1 and 2 rest on, must
**                 agree with the state's members on its date)
**   3  consensus: a deployment with an accepted `no` is blocked (and a
**                 blocked one has an accepted `no`)
**   4  refusal:   a refused or malformed input changes nothing (digest,
**                 event count); ent_check agrees with ent_run; an accepted
**                 input appends exactly its statements
**   5  forces:    a deployment's troops never exceed its force's strength
**   6  replay:    ent_verify's replay digest equals the live digest; a file
**                 journal closed and reopened gives the same digest
**   7  export:    the chronicle export, run on a bare db, gives the same digest
**   8  past:      the state on an earlier date (ent_state at DATE, which folds
**                 the events dated up to it) replays, and shows nothing later
**
** On a failure it prints the seed, the scenario, the step and the line, then
** shrinks the stream (delta debugging over lines) to a minimal one that still
** breaks the same invariant. Last line: "property: N passed, M failed", one
** group per (seed, scenario, invariant). Exit 1 on any failure.
*/
#include "entente.h"

#include <jansson.h>

#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NINV 8

/* --lenient: judge a deployment's legal basis on its proposal's date and take
** a request of any kind (the library's first reading), to look past those
** findings. */
static int lenient;
static const char *const inv_name[NINV + 1] = {
    "",
    "request (a member host's own request)",
    "territory (non-member host only with a UN SC decision)",
    "consensus (no decision over an objection)",
    "refusal changes nothing",
    "forces (troops within strength)",
    "replay digest equals live digest",
    "export then replay equals",
    "the state on a past date replays",
};

/* ------------------------------------------------------------------ */
/* Utilities.                                                           */

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "property: out of memory\n");
        exit(70);
    }
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "property: out of memory\n");
        exit(70);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *d = xmalloc(n + 1);
    memcpy(d, s, n + 1);
    return d;
}

#define GROW(arr, n, cap)                                                   \
    do {                                                                    \
        if ((n) >= (cap)) {                                                 \
            (cap) = (cap) ? 2 * (cap) : 16;                                 \
            (arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));         \
        }                                                                   \
    } while (0)

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->n + n + 1) c *= 2;
        b->p = xrealloc(b->p, c);
        b->cap = c;
    }
    if (n) memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }
static void sb_putc(sbuf *b, char c) { sb_put(b, &c, 1); }

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        sb_put(b, tmp, (size_t)n);
        return;
    }
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_put(b, big, (size_t)n);
    free(big);
}

static void sb_reset(sbuf *b)
{
    b->n = 0;
    if (b->p) b->p[0] = 0;
}

static void sb_free(sbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

static int sb_write(void *ud, const char *p, size_t n)
{
    sb_put(ud, p, n);
    return 0;
}

/* Print bytes with non-printable ones escaped, one line per input line. */
static void show(FILE *f, const char *indent, const char *p, size_t n)
{
    fputs(indent, f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\n') {
            fputc('\n', f);
            fputs(indent, f);
        } else if (c == '\t') fputs("\\t", f);
        else if (c < 0x20 || c == 0x7f) fprintf(f, "\\x%02X", c);
        else fputc(c, f);
    }
    fputc('\n', f);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64.                                          */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int rn(rng *r, int n) { return n <= 0 ? 0 : (int)(rnext(r) % (uint64_t)n); }
static int rr(rng *r, int lo, int hi) { return lo + rn(r, hi - lo + 1); }
static int pct(rng *r, int p) { return rn(r, 100) < p; }
#define PICK(r, arr) ((arr)[rn((r), (int)(sizeof(arr) / sizeof((arr)[0])))])

/* ------------------------------------------------------------------ */
/* Civil dates (days since 1970-01-01), Hinnant's algorithms.           */

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* "YYYY-MM-DD" -> days; -1 if not a date. */
static int parse_date(const char *s, long *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > dim[m - 1] + (m == 2 && leap(y))) return -1;
    *out = days_from_civil(y, m, d);
    return 0;
}

static const char *fmt_date(long z, char buf[16])
{
    int y, m, d;
    civil_from_days(z, &y, &m, &d);
    snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
    return buf;
}

/* ------------------------------------------------------------------ */
/* Reading a chronicle line (only lines the library accepted).          */

#define PL_MAX 40

typedef struct pline {
    int has_date;
    long date;
    const char *subj, *verb;
    int npos, nkv, has_text;
    const char *pos[PL_MAX];
    const char *key[PL_MAX], *val[PL_MAX];
    char buf[2 * 4096 + 256];
} pline;

/* Parse p[0..n) (one line). *cur is the running date. Returns 1 for a
** statement, 0 for a blank or comment line, -1 if it does not read. */
static int pl_parse(pline *pl, const char *p, size_t n, long *cur)
{
    size_t i = 0, o = 0;
    int ntok = 0;
    pl->has_date = pl->npos = pl->nkv = pl->has_text = 0;
    pl->subj = pl->verb = NULL;
    if (n > 4096) return -1;
    if (n && p[n - 1] == '\r') n--;
    for (;;) {
        while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
        if (i >= n || p[i] == '#') break;
        if (p[i] == '"') {
            i++;
            while (i < n && p[i] != '"') {
                if (p[i] == '\\' && i + 1 < n) i++;
                pl->buf[o++] = p[i++];
            }
            if (i >= n) return -1;
            i++;
            pl->buf[o++] = 0;
            pl->has_text = 1;
            ntok++;
            continue;
        }
        size_t s = i;
        while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '=' && p[i] != '"') i++;
        char *w = pl->buf + o;
        memcpy(w, p + s, i - s);
        o += i - s;
        pl->buf[o++] = 0;
        if (i < n && p[i] == '=') {
            i++;
            char *v = pl->buf + o;
            if (i < n && p[i] == '"') {
                i++;
                while (i < n && p[i] != '"') {
                    if (p[i] == '\\' && i + 1 < n) i++;
                    pl->buf[o++] = p[i++];
                }
                if (i >= n) return -1;
                i++;
            } else {
                while (i < n && p[i] != ' ' && p[i] != '\t') pl->buf[o++] = p[i++];
            }
            pl->buf[o++] = 0;
            if (pl->nkv == PL_MAX) return -1;
            pl->key[pl->nkv] = w;
            pl->val[pl->nkv++] = v;
        } else if (ntok == 0 && w[0] >= '0' && w[0] <= '9') {
            long d;
            if (parse_date(w, &d)) return -1;
            pl->has_date = 1;
            *cur = d;
        } else if (!pl->subj) pl->subj = w;
        else if (!pl->verb) pl->verb = w;
        else {
            if (pl->npos == PL_MAX) return -1;
            pl->pos[pl->npos++] = w;
        }
        ntok++;
    }
    if (!pl->subj) return pl->has_date ? -1 : 0;
    if (!pl->verb) return -1;
    pl->date = *cur;
    return 1;
}

static const char *pl_kv(const pline *pl, const char *k)
{
    for (int i = 0; i < pl->nkv; i++)
        if (strcmp(pl->key[i], k) == 0) return pl->val[i];
    return NULL;
}

static const char *pl_pos(const pline *pl, int i) { return i < pl->npos ? pl->pos[i] : NULL; }

/* ------------------------------------------------------------------ */
/* The model: what the library accepted.                                */

enum { K_REQ = 1, K_PROP, K_AUTH };
enum { MS_NONE = 0, MS_MEMBER, MS_FROZEN, MS_SUSPENDED, MS_FORMER };
enum { V_YES = 1, V_NO, V_ABSTAIN, V_OUT };

typedef struct rec {
    char *id;
    int kind;
    char st[16];          /* K_REQ: the requester; K_PROP, K_AUTH: the host */
    long date;
    char *req, *mandate;  /* K_PROP: request= and mandate= as written */
    char *what;           /* K_REQ: assistance/consultations; K_PROP: deploy...; */
    char force[16];
} rec;

typedef struct mch {
    long date;
    char st[16];
    int status;
} mch;

typedef struct mvote {
    int prop;             /* index into recs */
    char st[16];
    int v;
} mvote;

typedef struct model {
    rec *recs;
    int nrec, caprec;
    int *tab;             /* open addressing over recs: index + 1 */
    int tabcap;
    mch *m;
    int nm, capm;
    mvote *votes;
    int nvotes, capvotes;
    struct applied {
        char st[16];
    } *applied;               /* states whose application was accepted */
    int napplied, capapplied;
} model;

static uint64_t hstr(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int model_find(const model *M, const char *id)
{
    if (!id || !M->tabcap) return -1;
    for (uint64_t i = hstr(id) & (uint64_t)(M->tabcap - 1);; i = (i + 1) & (uint64_t)(M->tabcap - 1)) {
        int k = M->tab[i];
        if (!k) return -1;
        if (strcmp(M->recs[k - 1].id, id) == 0) return k - 1;
    }
}

static void model_rehash(model *M)
{
    int cap = M->tabcap ? M->tabcap * 2 : 64;
    free(M->tab);
    M->tab = xmalloc((size_t)cap * sizeof *M->tab);
    memset(M->tab, 0, (size_t)cap * sizeof *M->tab);
    M->tabcap = cap;
    for (int r = 0; r < M->nrec; r++) {
        uint64_t i = hstr(M->recs[r].id) & (uint64_t)(cap - 1);
        while (M->tab[i]) i = (i + 1) & (uint64_t)(cap - 1);
        M->tab[i] = r + 1;
    }
}

static rec *model_add(model *M, const char *id, int kind)
{
    GROW(M->recs, M->nrec, M->caprec);
    rec *r = &M->recs[M->nrec++];
    memset(r, 0, sizeof *r);
    r->id = xstrdup(id);
    r->kind = kind;
    if (2 * M->nrec >= M->tabcap) model_rehash(M);
    else {
        uint64_t i = hstr(id) & (uint64_t)(M->tabcap - 1);
        while (M->tab[i]) i = (i + 1) & (uint64_t)(M->tabcap - 1);
        M->tab[i] = M->nrec;
    }
    return r;
}

static void model_free(model *M)
{
    for (int i = 0; i < M->nrec; i++) {
        free(M->recs[i].id);
        free(M->recs[i].req);
        free(M->recs[i].mandate);
        free(M->recs[i].what);
    }
    free(M->recs);
    free(M->tab);
    free(M->m);
    free(M->votes);
    free(M->applied);
    memset(M, 0, sizeof *M);
}

static void copy_code(char dst[16], const char *s) { snprintf(dst, 16, "%s", s ? s : ""); }

static void model_mch(model *M, const char *st, long d, int status)
{
    GROW(M->m, M->nm, M->capm);
    M->m[M->nm].date = d;
    copy_code(M->m[M->nm].st, st);
    M->m[M->nm].status = status;
    M->nm++;
}

/* A state's standing on d: the latest change dated d or before; among
** changes of the same date, the one recorded last. */
static int model_mstatus(const model *M, const char *st, long d)
{
    int ms = MS_NONE;
    long best = 0;
    int have = 0;
    for (int i = 0; i < M->nm; i++) {
        if (M->m[i].date > d || strcmp(M->m[i].st, st) != 0) continue;
        if (!have || M->m[i].date >= best) {
            best = M->m[i].date;
            ms = M->m[i].status;
            have = 1;
        }
    }
    return ms;
}

static int model_is_member(const model *M, const char *st, long d)
{
    int ms = model_mstatus(M, st, d);
    return ms == MS_MEMBER || ms == MS_FROZEN;
}

static int model_voted(const model *M, int prop, const char *st)
{
    for (int i = 0; i < M->nvotes; i++)
        if (M->votes[i].prop == prop && strcmp(M->votes[i].st, st) == 0) return M->votes[i].v;
    return 0;
}

/* ------------------------------------------------------------------ */
/* A run: one scenario on one seed.                                     */

enum { SC_HISTORY = 0, SC_BARE_FILE = 1, NSC = 2, SC_BARE_MEM = 2 /* only to shrink */ };
static const char *const sc_name[NSC + 1] = { "history (in memory)", "bare journal file", "bare (in memory)" };

typedef struct step {
    char *text;
    size_t len;
    int batch;
    int rc;               /* what ent_run said */
} step;

typedef struct gen {
    rng r;
    long date;            /* the cursor */
    int nid;              /* id counter */
} gen;

typedef struct run {
    int sc;
    uint64_t seed;
    int quiet, verbose;
    ent_db *db;
    char path[256];
    ent_report *rep;
    model M;
    json_t *state;        /* the last state JSON (the generator's hints) */
    gen G;
    step *steps;
    int nsteps, capsteps;
    int cur;              /* the step being executed (-1: setup) */
    const char *cur_text; /* its text */
    size_t cur_len;
    unsigned failed;      /* bit per invariant */
    unsigned checks;      /* bit per invariant: the ones to check (shrinking checks one) */
    int fail_step[NINV + 1];
    int since_verify;
    int nbatch;
    long probe;           /* shrinking: check the state on this date only */
    long probe_failed;    /* the first date whose state did not replay */
} run;

static void fail(run *R, int inv, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(run *R, int inv, const char *fmt, ...)
{
    unsigned bit = 1u << inv;
    if (R->failed & bit) return;
    R->failed |= bit;
    R->fail_step[inv] = R->cur;
    if (R->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stdout, "FAIL invariant %d (%s): seed=%llu (0x%llx) scenario=%s step=%d: ", inv, inv_name[inv],
            (unsigned long long)R->seed, (unsigned long long)R->seed, sc_name[R->sc], R->cur);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    if (R->cur_text) {
        fprintf(stdout, "  %s:\n", R->cur >= 0 && R->steps && R->cur < R->nsteps && R->steps[R->cur].batch
                                       ? "failing batch" : "failing line");
        show(stdout, "    ", R->cur_text, R->cur_len);
    }
    const char *t = ent_report_text(R->rep);
    if (t && *t) {
        fprintf(stdout, "  library diagnostics:\n");
        show(stdout, "    ", t, strlen(t));
    }
    fflush(stdout);
}

/* Apply an accepted statement to the model. */
static void model_apply(run *R, const pline *pl)
{
    model *M = &R->M;
    const char *v = pl->verb, *id = pl_kv(pl, "id");
    if (strcmp(v, "request") == 0 && id) {
        if (model_find(M, id) >= 0) fail(R, 4, "the library accepted a second record with id %s", id);
        rec *r = model_add(M, id, K_REQ);
        copy_code(r->st, pl->subj);
        r->date = pl->date;
        r->what = xstrdup(pl_pos(pl, 0) ? pl_pos(pl, 0) : "");
    } else if (strcmp(v, "authorize") == 0 && id) {
        if (model_find(M, id) >= 0) fail(R, 4, "the library accepted a second record with id %s", id);
        rec *r = model_add(M, id, K_AUTH);
        copy_code(r->st, pl_kv(pl, "host"));
        r->date = pl->date;
    } else if (strcmp(v, "propose") == 0 && id) {
        if (model_find(M, id) >= 0) fail(R, 4, "the library accepted a second record with id %s", id);
        const char *rq = pl_kv(pl, "request"), *mn = pl_kv(pl, "mandate");
        rec *r = model_add(M, id, K_PROP);
        copy_code(r->st, pl_kv(pl, "host"));
        copy_code(r->force, pl_kv(pl, "force"));
        r->date = pl->date;
        r->what = xstrdup(pl_pos(pl, 0) ? pl_pos(pl, 0) : "");
        r->req = rq ? xstrdup(rq) : NULL;
        r->mandate = mn ? xstrdup(mn) : NULL;
    } else if (strcmp(v, "vote") == 0) {
        int p = model_find(M, pl_pos(pl, 0));
        const char *vv = pl_pos(pl, 1);
        if (p < 0 || !vv) return;
        GROW(M->votes, M->nvotes, M->capvotes);
        mvote *mv = &M->votes[M->nvotes++];
        mv->prop = p;
        copy_code(mv->st, pl->subj);
        mv->v = strcmp(vv, "yes") == 0 ? V_YES : strcmp(vv, "no") == 0 ? V_NO : strcmp(vv, "abstain") == 0 ? V_ABSTAIN : V_OUT;
    } else if (strcmp(v, "join") == 0) {
        model_mch(M, pl->subj, pl->date, MS_MEMBER);
    } else if (strcmp(v, "leave") == 0 && pl->npos == 0) {
        model_mch(M, pl->subj, pl->date, MS_FORMER);
    } else if (strcmp(v, "freeze") == 0) {
        model_mch(M, pl->subj, pl->date, MS_FROZEN);
    } else if (strcmp(v, "unfreeze") == 0) {
        model_mch(M, pl->subj, pl->date, MS_MEMBER);
    } else if (strcmp(v, "suspend") == 0 && pl_pos(pl, 0)) {
        model_mch(M, pl_pos(pl, 0), pl->date, MS_SUSPENDED);
    } else if (strcmp(v, "admit") == 0 && pl_pos(pl, 0)) {
        model_mch(M, pl_pos(pl, 0), pl->date, MS_MEMBER);
    } else if (strcmp(v, "notify-withdrawal") == 0) {
        /* former when the notice period has run: 6 months (the switch
        ** withdrawal.notice-months' default), the day clamped to the month */
        int y, m, d;
        civil_from_days(pl->date, &y, &m, &d);
        m += 6;
        y += (m - 1) / 12;
        m = (m - 1) % 12 + 1;
        static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        int last = dim[m - 1] + (m == 2 && leap(y));
        model_mch(M, pl->subj, days_from_civil(y, m, d > last ? last : d), MS_FORMER);
    } else if (strcmp(v, "apply") == 0) {
        GROW(M->applied, M->napplied, M->capapplied);
        copy_code(M->applied[M->napplied++].st, pl->subj);
    }
}

/* Feed an accepted input to the model; returns its number of statements. */
static int model_feed(run *R, const char *text, size_t len)
{
    static pline pl;
    long cur = -1000000;
    int n = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ln = (size_t)((nl ? nl : end) - p);
        int k = pl_parse(&pl, p, ln, &cur);
        if (k < 0) fail(R, 4, "an accepted line does not read as a statement");
        if (k > 0) {
            n++;
            model_apply(R, &pl);
        }
        p = nl ? nl + 1 : end;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* State JSON and the invariants on it.                                 */

static const char *js(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static long ji(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

static int force_strength(const char *f)
{
    if (strcmp(f, "CPKF") == 0) return 3600;
    if (strcmp(f, "CRRF") == 0) return 20000;
    if (strcmp(f, "CRDF") == 0) return 4000;
    return -1;
}

static int is_adopted(const char *decision)
{
    return decision && (strcmp(decision, "adopted") == 0 || strcmp(decision, "adopted-limited") == 0);
}

/* Does proposal p rest on host's own request for assistance? */
static int request_basis(const model *M, const rec *p, const char *host, char *why, size_t n)
{
    char b1[16], b2[16];
    int q = model_find(M, p->req);
    if (!p->req) snprintf(why, n, "no request");
    else if (q < 0 || M->recs[q].kind != K_REQ) snprintf(why, n, "request=%s is not a request the library accepted", p->req);
    else if (strcmp(M->recs[q].st, host) != 0) snprintf(why, n, "request %s is %s's, not the host's", p->req, M->recs[q].st);
    else if (M->recs[q].date > p->date)
        snprintf(why, n, "request %s (%s) is dated after the proposal (%s)", p->req, fmt_date(M->recs[q].date, b1),
                 fmt_date(p->date, b2));
    else if (!lenient && strcmp(M->recs[q].what, "assistance") != 0)
        snprintf(why, n, "request %s is a request for %s, not for assistance", p->req, M->recs[q].what);
    else return 1;
    return 0;
}

/* Does proposal p rest on a UN Security Council decision for host, dated
** on or before the decision (dd)? */
static int mandate_basis(const model *M, const rec *p, const char *host, long dd, char *why, size_t n)
{
    char b1[16], b2[16];
    int a = model_find(M, p->mandate);
    if (!p->mandate) snprintf(why, n, "no UN Security Council decision");
    else if (a < 0 || M->recs[a].kind != K_AUTH)
        snprintf(why, n, "mandate=%s is not a UN SC decision the library accepted", p->mandate);
    else if (strcmp(M->recs[a].st, host) != 0)
        snprintf(why, n, "UN SC decision %s is for %s, not the host", p->mandate, M->recs[a].st);
    else if (M->recs[a].date > dd)
        snprintf(why, n, "UN SC decision %s (%s) is dated after the decision (%s)", p->mandate,
                 fmt_date(M->recs[a].date, b1), fmt_date(dd, b2));
    else return 1;
    return 0;
}

static void check_state(run *R)
{
    char *out = NULL;
    int rc = ent_state(R->db, NULL, ENT_FMT_JSON, &out, R->rep);
    if (rc != ENT_OK || !out) {
        fail(R, 1, "ent_state(JSON) failed: %s", ent_status_name(rc));
        ent_free(out);
        return;
    }
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    if (!root) {
        fail(R, 1, "the state JSON does not parse: %s (line %d): %.200s", je.text, je.line, out);
        ent_free(out);
        return;
    }
    ent_free(out);
    if (R->state) json_decref(R->state);
    R->state = root;
    json_t *deps = json_object_get(root, "deployments");
    if (!json_is_array(deps)) {
        fail(R, 1, "the state JSON has no deployments array");
        return;
    }
    model *M = &R->M;
    size_t i;
    json_t *d;
    /* the model's standings agree with the state's (else the model, which
    ** 1 and 2 rest on, is out of date, or the library's timeline is wrong) */
    long today;
    json_t *ms = json_object_get(root, "members"), *m;
    if (!parse_date(js(root, "date"), &today)) {
        static const char *const names[] = { "none", "member", "frozen", "suspended", "former" };
        json_array_foreach(ms, i, m) {
            const char *code = js(m, "code"), *st = js(m, "status");
            if (!code || !st) continue;
            int mine = model_mstatus(M, code, today);
            int theirs = strcmp(st, "member") == 0 ? MS_MEMBER : strcmp(st, "frozen") == 0 ? MS_FROZEN
                         : strcmp(st, "suspended") == 0 ? MS_SUSPENDED : MS_FORMER;
            if ((mine >= MS_MEMBER && mine <= MS_SUSPENDED) || theirs != MS_FORMER) {
                if (mine != theirs)
                    fail(R, 2, "the state says %s is %s on %s, the model of the accepted acts says %s", code, st,
                         js(root, "date"), names[mine]);
            }
        }
    }
    const char **used = xmalloc((size_t)(M->nrec + 1) * sizeof *used); /* by record: the deployment it answers */
    memset(used, 0, (size_t)(M->nrec + 1) * sizeof *used);
    json_array_foreach(deps, i, d) {
        const char *id = js(d, "id"), *host = js(d, "host"), *force = js(d, "force");
        const char *decision = js(d, "decision"), *decided = js(d, "decided");
        long troops = ji(d, "troops");
        if (!id || !host || !force || !decision) {
            fail(R, 1, "a deployment without id/host/force/decision in the state JSON");
            continue;
        }
        int pi = model_find(M, id);
        if (pi < 0 || M->recs[pi].kind != K_PROP) {
            fail(R, 1, "deployment %s is not a proposal the library accepted", id);
            continue;
        }
        const rec *p = &M->recs[pi];
        if (strcmp(p->st, host) != 0) fail(R, 1, "deployment %s: host %s, but it was proposed for %s", id, host, p->st);
        /* 5: forces */
        int strength = force_strength(force);
        long sum = 0;
        json_t *cs = json_object_get(d, "contingents"), *c;
        size_t j;
        json_array_foreach(cs, j, c) {
            long t = ji(c, "troops");
            if (t < 0) fail(R, 5, "deployment %s: a contingent of %s has %ld troops", id, js(c, "state"), t);
            sum += t;
        }
        if (strength < 0) fail(R, 5, "deployment %s: unknown force %s", id, force);
        else if (troops < 0 || troops > strength)
            fail(R, 5, "deployment %s of the %s has %ld troops, past the strength of %d", id, force, troops, strength);
        if (sum != troops) fail(R, 5, "deployment %s: contingents sum to %ld troops, the deployment says %ld", id, sum, troops);
        if (troops > 0 && !is_adopted(decision))
            fail(R, 5, "deployment %s has %ld troops without an adopted decision (%s)", id, troops, decision);
        /* 3: consensus */
        int objection = 0;
        for (int k = 0; k < M->nvotes; k++)
            if (M->votes[k].prop == pi && M->votes[k].v == V_NO) objection = k + 1;
        if (objection && strcmp(decision, "blocked") != 0)
            fail(R, 3, "deployment %s: %s's 'no' was accepted, but the decision is %s, not blocked", id,
                 M->votes[objection - 1].st, decision);
        if (!objection && strcmp(decision, "blocked") == 0)
            fail(R, 3, "deployment %s is blocked, but no 'no' vote was accepted", id);
        if (!is_adopted(decision) || strcmp(p->what ? p->what : "", "deploy") != 0) continue;
        long dd;
        if (parse_date(decided, &dd)) {
            fail(R, 1, "deployment %s is %s without a decision date", id, decision);
            continue;
        }
        /* The standing of the host on the decision's date, at its start
        ** and at its end: when it changed that day, the journal order
        ** within the day decides, which the state on a date does not show,
        ** so then either legal basis will do. */
        if (lenient) dd = p->date;
        int m0 = model_is_member(M, host, dd - 1), m1 = model_is_member(M, host, dd);
        char why_req[300], why_man[300], b1[16];
        int ok_req = request_basis(M, p, host, why_req, sizeof why_req);
        if (ok_req && (m0 || m1)) { /* one request, one deployment */
            int q = model_find(M, p->req);
            if (used[q] && strcmp(used[q], id) != 0)
                fail(R, 1, "request %s is the basis of two adopted deployments: %s and %s", p->req, used[q], id);
            used[q] = id;
        }
        int ok_man = mandate_basis(M, p, host, dd, why_man, sizeof why_man);
        if (m0 && m1 && !ok_req)
            fail(R, 1, "deployment %s on %s's territory (a member on %s) is %s: %s", id, host, fmt_date(dd, b1),
                 decision, why_req);
        else if (!m0 && !m1 && !ok_man)
            fail(R, 2, "deployment %s is %s on %s on the territory of %s, %s that day: %s", id, decision,
                 fmt_date(dd, b1), host, model_mstatus(M, host, dd) == MS_NONE ? "never a member" : "not a member",
                 why_man);
        else if (m0 != m1 && !ok_req && !ok_man)
            fail(R, m1 ? 1 : 2, "deployment %s is %s on %s, the day %s's membership changed, with neither basis: %s; %s",
                 id, decision, fmt_date(dd, b1), host, why_req, why_man);
    }
    free(used);
}

/* 6: replay digest equals live digest. */
static void check_verify(run *R)
{
    char live[65], dg[65];
    ent_digest(R->db, live);
    ent_report_clear(R->rep);
    int rc = ent_verify(R->db, dg, R->rep);
    if (rc != ENT_OK) fail(R, 6, "ent_verify returned %s", ent_status_name(rc));
    else if (strcmp(dg, live) != 0) fail(R, 6, "replay digest %s != live digest %s", dg, live);
    R->since_verify = 0;
}

/* 6: the state on an earlier date is the fold of the events dated up to
** it, so it replays (ent_state replays the journal for a past date), and
** shows nothing dated after it. */
static void check_past(run *R)
{
    long dates[1];
    int n = 1;
    char b[16];
    int which = rn(&R->G.r, 3);
    if (R->probe) dates[0] = R->probe; /* shrinking: the date that failed */
    else if (which == 1 && R->M.nrec) /* a recent record's date */
        dates[0] = R->M.recs[R->M.nrec - 1 - rn(&R->G.r, R->M.nrec < 20 ? R->M.nrec : 20)].date;
    else if (which == 2 && R->M.nvotes) /* the date of the last proposal voted on */
        dates[0] = R->M.recs[R->M.votes[R->M.nvotes - 1].prop].date;
    else dates[0] = R->G.date - rn(&R->G.r, 90);
    for (int i = 0; i < n; i++) {
        char *out = NULL;
        fmt_date(dates[i], b);
        ent_report_clear(R->rep);
        int rc = ent_state(R->db, b, ENT_FMT_JSON, &out, R->rep);
        if (rc != ENT_OK) {
            const char *t = ent_report_text(R->rep);
            if (!(R->failed >> 8 & 1)) R->probe_failed = dates[i];
            fail(R, 8, "the state on %s does not replay: %s: %.600s", b, ent_status_name(rc), t);
        } else {
            json_t *root = json_loads(out, 0, NULL);
            json_t *d, *deps = json_object_get(root, "deployments");
            size_t k;
            json_array_foreach(deps, k, d) {
                long pd;
                if (parse_date(js(d, "proposed"), &pd) || pd > dates[i])
                    fail(R, 8, "the state on %s shows deployment %s proposed on %s", b, js(d, "id"), js(d, "proposed"));
            }
            if (!root) fail(R, 8, "the state on %s is not JSON", b);
            json_decref(root);
        }
        ent_free(out);
    }
}

/* 6 (file journal): close and reopen. */
static void check_reopen(run *R)
{
    if (R->sc != SC_BARE_FILE) return;
    char before[65], after[65];
    ent_digest(R->db, before);
    uint64_t n = ent_event_count(R->db);
    ent_close(R->db);
    R->db = NULL;
    ent_report_clear(R->rep);
    int rc = ent_open(&R->db, R->path, 0, R->rep);
    if (rc != ENT_OK) {
        fail(R, 6, "reopening the journal %s failed: %s", R->path, ent_status_name(rc));
        ent_report_clear(R->rep);
        rc = ent_open(&R->db, R->path, ENT_OPEN_BARE, R->rep);
        if (rc != ENT_OK) {
            fprintf(stderr, "property: cannot reopen %s: %s\n", R->path, ent_report_text(R->rep));
            exit(70);
        }
        return;
    }
    ent_digest(R->db, after);
    if (strcmp(before, after) != 0) fail(R, 6, "reopened journal digest %s != live digest %s before closing", after, before);
    if (ent_event_count(R->db) != n)
        fail(R, 6, "reopened journal has %llu events, not %llu", (unsigned long long)ent_event_count(R->db),
             (unsigned long long)n);
}

/* 7: export, replay on a bare db, same digest. */
static void check_export(run *R)
{
    sbuf ex = { 0 };
    int rc = ent_export(R->db, ENT_FMT_CHRONICLE, sb_write, &ex);
    if (rc != ENT_OK) {
        fail(R, 7, "ent_export(chronicle) returned %s", ent_status_name(rc));
        sb_free(&ex);
        return;
    }
    ent_db *d2 = NULL;
    ent_report *rep2 = ent_report_new();
    rc = ent_open(&d2, NULL, ENT_OPEN_BARE, rep2);
    if (rc != ENT_OK) {
        fail(R, 7, "ent_open(bare) returned %s", ent_status_name(rc));
    } else {
        ent_input in = { "export", ex.p ? ex.p : "", ex.n };
        size_t app = 0;
        rc = ent_run(d2, &in, 1, &app, rep2);
        char a[65], b[65];
        ent_digest(R->db, a);
        ent_digest(d2, b);
        if (rc != ENT_OK) {
            const char *t = ent_report_text(rep2);
            fail(R, 7, "the export does not run on a bare db: %s\n%.*s", ent_status_name(rc), 2000, t);
        } else if (strcmp(a, b) != 0) fail(R, 7, "export-replay digest %s != live digest %s", b, a);
        else if (ent_event_count(d2) != ent_event_count(R->db))
            fail(R, 7, "export-replay has %llu events, the journal %llu", (unsigned long long)ent_event_count(d2),
                 (unsigned long long)ent_event_count(R->db));
        ent_close(d2);
    }
    ent_report_free(rep2);
    sb_free(&ex);
}

/* Run one input: check, run, and the invariants. */
static void exec_step(run *R, const char *text, size_t len, int batch)
{
    char d0[65], d1[65], d2[65];
    R->cur_text = text;
    R->cur_len = len;
    ent_digest(R->db, d0);
    uint64_t n0 = ent_event_count(R->db);
    ent_input in = { batch ? "batch" : "line", text, len };
    ent_report_clear(R->rep);
    int rc_check = ent_check(R->db, &in, 1, R->rep);
    ent_digest(R->db, d1);
    if (strcmp(d0, d1) != 0 || ent_event_count(R->db) != n0)
        fail(R, 4, "ent_check (%s) changed the state", ent_status_name(rc_check));
    ent_report_clear(R->rep);
    size_t app = 12345;
    int rc = ent_run(R->db, &in, 1, &app, R->rep);
    ent_digest(R->db, d2);
    uint64_t n2 = ent_event_count(R->db);
    if (R->verbose) {
        printf("  [%d] %s%s:\n", R->cur, ent_status_name(rc), batch ? " (batch)" : "");
        show(stdout, "      ", text, len);
    }
    if (R->cur >= 0 && R->cur < R->nsteps) R->steps[R->cur].rc = rc;
    if (rc_check != rc) fail(R, 4, "ent_check says %s, ent_run %s", ent_status_name(rc_check), ent_status_name(rc));
    if (rc == ENT_OK) {
        if (ent_report_errors(R->rep) || ent_report_refusals(R->rep))
            fail(R, 4, "ent_run OK with %d errors and %d refusals in the report", ent_report_errors(R->rep),
                 ent_report_refusals(R->rep));
        int nst = model_feed(R, text, len);
        if (app != (size_t)nst) fail(R, 4, "ent_run appended %zu statements of %d", app, nst);
        if (n2 != n0 + app)
            fail(R, 4, "ent_run appended %zu, the event count went from %llu to %llu", app, (unsigned long long)n0,
                 (unsigned long long)n2);
        if (app == 0 && strcmp(d0, d2) != 0) fail(R, 4, "an input without statements changed the digest");
    } else {
        if (rc != ENT_REFUSED && rc != ENT_EINPUT)
            fail(R, 4, "ent_run returned %s (%s)", ent_status_name(rc), ent_strstatus(rc));
        if (strcmp(d0, d2) != 0) fail(R, 4, "a %s input changed the digest: %s -> %s", ent_status_name(rc), d0, d2);
        if (n2 != n0)
            fail(R, 4, "a %s input changed the event count: %llu -> %llu", ent_status_name(rc), (unsigned long long)n0,
                 (unsigned long long)n2);
        if (app != 0) fail(R, 4, "a %s input reports %zu statements appended", ent_status_name(rc), app);
        if (rc == ENT_REFUSED && (ent_report_refusals(R->rep) == 0 || ent_report_errors(R->rep) != 0))
            fail(R, 4, "REFUSED with %d refusals and %d errors in the report", ent_report_refusals(R->rep),
                 ent_report_errors(R->rep));
        if (rc == ENT_EINPUT && ent_report_errors(R->rep) == 0) fail(R, 4, "EINPUT without an error in the report");
    }
    if (R->checks & (1u << 1 | 1u << 2 | 1u << 3 | 1u << 5)) check_state(R);
    if (batch || ++R->since_verify >= 16) {
        if (R->checks & 1u << 6) check_verify(R);
        if (R->checks & 1u << 8) check_past(R);
        if (batch && (R->checks & 1u << 7) && (R->nbatch++ % 2 == 0 || R->quiet)) check_export(R);
    }
    R->cur_text = NULL;
}

/* ------------------------------------------------------------------ */
/* The generator.                                                       */

static const char *const MEMBERS6[] = { "AM", "BY", "KZ", "KG", "RU", "TJ" };
static const char *const OTHERS[] = { "AZ", "GE", "UZ", "CN", "IR", "AF", "TM", "UA", "MN", "TR", "NO", "FI", "PL", "KP" };
static const char *const BADSTATES[] = { "XX", "kz", "RUS", "Q1", "ZZ", "csc" };
static const char *const BODIES[] = { "CSC", "CMFA", "CMD", "CSSC", "PC" };
static const char *const FORCES[] = { "CPKF", "CRRF", "CRDF" };
static const char *const BADDATES[] = { "2027-02-30", "2027-13-01", "2027-00-10", "27-01-01", "2027/01/01",
                                        "0000-01-01", "10000-01-01", "2027-1-1", "2026-02-29", "2027-04-31",
                                        "2027-01-001", "2O27-01-01", "20270101" };
static const char *const WORDS[] = { "Threat", "to", "sovereignty", "and", "integrity", "protect", "strategic",
                                     "facilities", "border", "incident", "mission", "peacekeeping", "Қазақстан",
                                     "Россия", "Հայաստան", "#hash", "a=b", "x,y", "\\\"quoted\\\"", "back\\\\slash",
                                     "tab-free", "ümlaut", "CSC", "2022-01-06" };

/* Names from the last state JSON. */
static int hint_members(run *R, const char *status, const char **out, int max)
{
    int n = 0;
    json_t *ms = R->state ? json_object_get(R->state, "members") : NULL, *m;
    size_t i;
    json_array_foreach(ms, i, m) {
        const char *c = js(m, "code"), *s = js(m, "status");
        if (c && s && strcmp(s, status) == 0 && n < max) out[n++] = c;
    }
    return n;
}

static json_t *deps_of(run *R) { return R->state ? json_object_get(R->state, "deployments") : NULL; }

/* A deployment from the hints: want 0 any, 1 open, 2 adopted, 3 closed. */
static json_t *pick_dep(run *R, int want)
{
    json_t *deps = deps_of(R), *d, *cand[256];
    int n = 0;
    size_t i;
    json_array_foreach(deps, i, d) {
        const char *dec = js(d, "decision");
        if (!dec) continue;
        int ok = want == 0 || (want == 1 && strcmp(dec, "open") == 0) || (want == 2 && is_adopted(dec)) ||
                 (want == 3 && strcmp(dec, "open") != 0);
        if (ok) {
            if (n < 256) cand[n++] = d;
            else cand[rn(&R->G.r, 256)] = d;
        }
    }
    if (!n) return NULL;
    /* prefer recent ones */
    if (pct(&R->G.r, 60)) return cand[n - 1 - rn(&R->G.r, n < 3 ? n : 3)];
    return cand[rn(&R->G.r, n)];
}

static const char *pick_state(run *R)
{
    rng *r = &R->G.r;
    const char *act[64];
    int k = rn(r, 100);
    if (k < 55) {
        int n = hint_members(R, "member", act, 64);
        if (n) return act[rn(r, n)];
    }
    if (k < 65) {
        const char *s = PICK(r, ((const char *const[]){ "frozen", "suspended", "former" }));
        int n = hint_members(R, s, act, 64);
        if (n) return act[rn(r, n)];
    }
    if (k < 78) return PICK(r, MEMBERS6);
    if (k < 96) return PICK(r, OTHERS);
    return PICK(r, BADSTATES);
}

static const char *pick_active(run *R)
{
    const char *act[64];
    int n = hint_members(R, "member", act, 64);
    return n ? act[rn(&R->G.r, n)] : PICK(&R->G.r, MEMBERS6);
}

static const char *pick_nonmember(run *R)
{
    rng *r = &R->G.r;
    const char *s = PICK(r, OTHERS);
    for (int tries = 0; tries < 8; tries++) {
        json_t *ms = R->state ? json_object_get(R->state, "members") : NULL, *m;
        size_t i;
        int mem = 0;
        json_array_foreach(ms, i, m) {
            const char *c = js(m, "code"), *st = js(m, "status");
            if (c && st && strcmp(c, s) == 0 && (strcmp(st, "member") == 0 || strcmp(st, "frozen") == 0)) mem = 1;
        }
        if (!mem) return s;
        s = PICK(r, OTHERS);
    }
    return s;
}

static const char *pick_body(run *R)
{
    rng *r = &R->G.r;
    int k = rn(r, 100);
    if (k < 85) return "CSC";
    if (k < 97) return PICK(r, BODIES);
    return PICK(r, ((const char *const[]){ "UNSC", "SG", "NATO" }));
}

/* A record id of the model of the given kind (0 any), or NULL. */
static const char *pick_rec(run *R, int kind, const char *st)
{
    model *M = &R->M;
    int n = 0, idx[64];
    for (int i = M->nrec - 1; i >= 0 && n < 64; i--) {
        if (kind && M->recs[i].kind != kind) continue;
        if (st && strcmp(M->recs[i].st, st) != 0) continue;
        idx[n++] = i;
    }
    if (!n) return NULL;
    return M->recs[idx[pct(&R->G.r, 50) ? rn(&R->G.r, n < 4 ? n : 4) : rn(&R->G.r, n)]].id;
}

/* An open request of st from the hints. */
static const char *open_request(run *R, const char *st)
{
    json_t *rq = R->state ? json_object_get(R->state, "requests") : NULL, *q;
    const char *best = NULL;
    size_t i;
    json_array_foreach(rq, i, q) {
        const char *s = js(q, "state"), *status = js(q, "status"), *id = js(q, "id");
        if (s && status && id && strcmp(s, st) == 0 && strcmp(status, "open") == 0) best = id;
    }
    return best;
}

static void new_id(run *R, char *buf, size_t n, const char *prefix)
{
    rng *r = &R->G.r;
    int k = rn(r, 100);
    R->G.nid++;
    if (k < 3 && R->M.nrec) snprintf(buf, n, "%s", R->M.recs[rn(r, R->M.nrec)].id); /* duplicate */
    else if (k < 5) snprintf(buf, n, "%s_%d-x%c", prefix, R->G.nid, 'a' + rn(r, 26));
    else if (k < 6) snprintf(buf, n, "%sLongIdentifier_%d_abcdefghijklmnopqrstuvwxyz0123456789abcdefghij", prefix, R->G.nid);
    else if (k < 7) snprintf(buf, n, "%d%s", R->G.nid, prefix); /* not an id */
    else snprintf(buf, n, "%s%d", prefix, R->G.nid);
}

static void put_text(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    int k = rn(r, 100);
    if (k < 30) return;
    sb_puts(b, " \"");
    if (k < 33) {
        sb_putc(b, '"');
        return;
    }
    int n = rr(r, 1, 6);
    for (int i = 0; i < n; i++) {
        if (i) sb_putc(b, ' ');
        sb_puts(b, PICK(r, WORDS));
    }
    if (k == 99) sb_puts(b, PICK(r, ((const char *const[]){ "\\n", "\x01", "\xff", "\xc3\x28" }))); /* bad */
    if (k != 98) sb_putc(b, '"'); /* 98: unterminated */
}

static void put_src(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    int k = rn(r, 100);
    if (k < 6) sb_puts(b, " src=S70");
    else if (k < 8) sb_puts(b, " src=S70,S68");
    else if (k < 9) sb_puts(b, PICK(r, ((const char *const[]){ " src=NOPE", " src=S70,,S68", " src=" })));
}

/* The date in front of a line. first: the first line of its input. skew: a
** line whose date matters to the time invariants (votes, closes, changes of
** standing): more often dated out of order. */
static void put_date(run *R, sbuf *b, int batch, int first, int skew)
{
    rng *r = &R->G.r;
    gen *G = &R->G;
    char buf[16];
    int k = rn(r, 1000);
    int bad = 15, nodate = batch && !first ? 165 : 20, back = skew ? 120 : 40, far = skew ? 40 : 5;
    if (k < bad) {
        sb_puts(b, PICK(r, BADDATES));
        sb_putc(b, ' ');
        return;
    }
    k -= bad;
    if (k < nodate) { /* no date: the line before's (none: an error) */
        sb_puts(b, PICK(r, ((const char *const[]){ "", "           ", "\t" })));
        return;
    }
    k -= nodate;
    if (k < back) { /* backdated; the cursor stays */
        sb_printf(b, "%s ", fmt_date(G->date - rr(r, 1, 20), buf));
        return;
    }
    k -= back;
    if (k < far) { /* later than the lines to come; the cursor stays */
        if (pct(r, 50)) sb_printf(b, "9999-12-%02d ", rr(r, 1, 31));
        else sb_printf(b, "%s ", fmt_date(G->date + rr(r, 30, 400), buf));
        return;
    }
    int a = rn(r, 100);
    if (a < 70) {
    } else if (a < 94) G->date += rr(r, 1, 3);
    else G->date += rr(r, 5, 40);
    sb_printf(b, "%s ", fmt_date(G->date, buf));
}

static void gen_request(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    char id[128];
    const char *st = pct(r, 80) ? pick_active(R) : pick_state(R);
    new_id(R, id, sizeof id, "R");
    sb_printf(b, "%s request %s id=%s", st, pct(r, 90) ? "assistance" : pct(r, 80) ? "consultations" : "help", id);
    int k = rn(r, 100);
    if (k < 10) sb_printf(b, " host=%s", pick_state(R)); /* for another state */
    else if (k < 20) sb_printf(b, " host=%s", st);
    if (pct(r, 50)) sb_puts(b, pct(r, 80) ? " article=treaty-4" : " article=\"Treaty art. 4\"");
    if (pct(r, 2)) sb_puts(b, " colour=red");
    if (pct(r, 2)) sb_puts(b, " extra");
    put_src(R, b);
    put_text(R, b);
}

static void gen_authorize(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    char id[128];
    new_id(R, id, sizeof id, "M");
    sb_printf(b, "%s authorize id=%s", pct(r, 95) ? "UNSC" : "CSC", id);
    if (pct(r, 95)) sb_printf(b, " host=%s", pct(r, 75) ? pick_nonmember(R) : pick_state(R));
    put_text(R, b);
}

static void gen_propose(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    char id[128];
    new_id(R, id, sizeof id, "D");
    int k = rn(r, 100);
    const char *host = k < 65 ? pick_active(R) : k < 88 ? pick_nonmember(R) : pick_state(R);
    sb_printf(b, "%s propose %s id=%s", pick_body(R), pct(r, 97) ? "deploy" : "invade", id);
    k = rn(r, 100);
    if (k < 92) sb_printf(b, " force=%s", PICK(r, FORCES));
    else if (k < 96) sb_puts(b, " force=NATO");
    sb_printf(b, " host=%s", host);
    k = rn(r, 100);
    const char *req = NULL;
    if (k < 65) req = open_request(R, host);
    else if (k < 75) req = pick_rec(R, K_REQ, NULL);           /* someone's */
    else if (k < 82) req = pick_rec(R, K_REQ, host);           /* maybe answered */
    else if (k < 84) req = "R999999";
    else if (k < 85) req = pick_rec(R, K_PROP, NULL);          /* not a request */
    if (req) sb_printf(b, " request=%s", req);
    k = rn(r, 100);
    const char *man = NULL;
    if (k < 40) man = pick_rec(R, K_AUTH, host);
    else if (k < 50) man = pick_rec(R, K_AUTH, NULL);
    else if (k < 51) man = "M999999";
    if (man) sb_printf(b, " mandate=%s", man);
    k = rn(r, 100);
    if (k < 40) sb_printf(b, " days=%d", rr(r, 1, 60));
    else if (k < 43) sb_printf(b, " days=%s", PICK(r, ((const char *const[]){ "0", "3651", "-5", "ten", "3650", "1" })));
    put_src(R, b);
    put_text(R, b);
}

static void gen_vote(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    int k = rn(r, 100);
    json_t *d = pick_dep(R, k < 80 ? 1 : k < 95 ? 3 : 0);
    const char *id = d ? js(d, "id") : NULL;
    if (!id || pct(r, 3)) id = pct(r, 50) ? "D999999" : "not-a-proposal";
    int pi = model_find(&R->M, id);
    const char *st = NULL;
    if (pi >= 0 && pct(r, 75)) { /* someone who has not voted */
        const char *act[64], *nv[64];
        int n = hint_members(R, "member", act, 64), m = 0;
        for (int i = 0; i < n; i++)
            if (!model_voted(&R->M, pi, act[i])) nv[m++] = act[i];
        if (m) st = nv[rn(r, m)];
    }
    if (!st) st = pick_state(R);
    k = rn(r, 100);
    const char *v = k < 76 ? "yes" : k < 84 ? "no" : k < 91 ? "abstain" : k < 97 ? "out" : PICK(r, ((const char *const[]){ "maybe", "YES", "no,yes" }));
    sb_printf(b, "%s vote %s %s", st, id, v);
    if (pct(r, 2)) sb_puts(b, " twice");
    put_src(R, b);
}

static void gen_close(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    json_t *d = pick_dep(R, pct(r, 80) ? 1 : 0);
    const char *id = d ? js(d, "id") : "D999999";
    sb_printf(b, "%s close %s", pct(r, 85) ? "CSC" : pick_body(R), id);
}

static void gen_contribute(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    json_t *d = pick_dep(R, pct(r, 85) ? 2 : 0);
    const char *id = d ? js(d, "id") : "D999999";
    long troops = d ? ji(d, "troops") : 0;
    const char *force = d ? js(d, "force") : NULL;
    int strength = force ? force_strength(force) : 3600;
    long room = strength - troops;
    if (room < 1) room = 1;
    const char *st = pct(r, 85) ? pick_active(R) : pick_state(R);
    int k = rn(r, 100);
    if (k < 55) sb_printf(b, "%s contribute %s troops=%ld", st, id, 1 + (long)rn(r, (int)(room < 2000 ? room : 2000)));
    else if (k < 70) sb_printf(b, "%s contribute %s troops=%ld", st, id, room);
    else if (k < 92) sb_printf(b, "%s contribute %s troops=%ld", st, id, room + rr(r, 1, 5000));
    else
        sb_printf(b, "%s contribute %s troops=%s", st, id,
                  PICK(r, ((const char *const[]){ "0", "-5", "abc", "12345678901", "999999999", "10000000", "1e3" })));
}

/* A state with a contingent in deployment d (from the hints), else any. */
static const char *contingent_state(run *R, json_t *d)
{
    json_t *cs = d ? json_object_get(d, "contingents") : NULL, *c;
    const char *cand[32];
    int n = 0;
    size_t i;
    json_array_foreach(cs, i, c) {
        const char *s = js(c, "state");
        if (s && n < 32) cand[n++] = s;
    }
    if (n && pct(&R->G.r, 80)) return cand[rn(&R->G.r, n)];
    return pick_state(R);
}

static void gen_fact(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    json_t *d = pick_dep(R, pct(r, 80) ? 2 : 0);
    const char *id = d ? js(d, "id") : "D999999";
    int k = rn(r, 100);
    if (k < 45) sb_printf(b, "%s arrive %s", contingent_state(R, d), id);
    else if (k < 75) sb_printf(b, "%s leave %s", contingent_state(R, d), id);
    else if (k < 90) {
        const char *host = d ? js(d, "host") : "KZ";
        int j = rn(r, 100);
        sb_printf(b, "%s complete %s", j < 75 ? host : j < 85 ? "CSC" : j < 92 ? pick_body(R) : pick_state(R), id);
    } else
        sb_printf(b, "%s notify-un %s", pct(r, 80) ? "SG" : pct(r, 50) ? "CSC" : pick_state(R), id);
    put_src(R, b);
}

static void gen_membership(run *R, sbuf *b, int bare)
{
    rng *r = &R->G.r;
    const char *act[64];
    int nact = hint_members(R, "member", act, 64);
    int k = rn(r, 100);
    json_t *open = pick_dep(R, 1);
    if (open && js(open, "host") && pct(r, 60)) { /* the host of an open proposal changes its standing */
        const char *h = js(open, "host"), *fz[64];
        int member = 0, n = hint_members(R, "member", act, 64), m = hint_members(R, "frozen", fz, 64);
        for (int i = 0; i < n; i++) member |= strcmp(act[i], h) == 0;
        for (int i = 0; i < m; i++) member |= strcmp(fz[i], h) == 0;
        int j = rn(r, 100);
        if (!member) sb_printf(b, j < 30 ? "%s join" : j < 65 ? "%s apply" : "CSC admit %s", h);
        else sb_printf(b, j < 20 ? "%s leave" : j < 40 ? "%s notify-withdrawal" : j < 75 ? "CSC suspend %s" : "%s freeze", h);
        put_src(R, b);
        return;
    }
    if (bare && nact < 4) k = 0;
    if (k < 12 || (bare && nact < 4)) { /* join: mostly the six (back), sometimes a newcomer */
        const char *st = pct(r, 70) ? PICK(r, MEMBERS6) : pick_state(R);
        sb_printf(b, "%s join", st);
    } else if (k < 19) sb_printf(b, "%s apply", pct(r, 80) ? pick_nonmember(R) : pick_state(R));
    else if (k < 26) {
        const model *M = &R->M;
        sb_printf(b, "%s admit %s", pct(r, 90) ? "CSC" : pick_body(R),
                  M->napplied && pct(r, 75) ? M->applied[rn(r, M->napplied)].st : pick_state(R));
    } else if (k < 30) sb_printf(b, "%s notify-withdrawal", pct(r, 70) ? pick_active(R) : pick_state(R));
    else if (k < 45) sb_printf(b, "%s freeze", pct(r, 70) ? pick_active(R) : pick_state(R));
    else if (k < 65) {
        const char *fz[64];
        int n = hint_members(R, "frozen", fz, 64);
        sb_printf(b, "%s unfreeze", n && pct(r, 80) ? fz[rn(r, n)] : pick_state(R));
    } else if (k < 78) sb_printf(b, "%s leave", nact > 3 || pct(r, 30) ? pick_state(R) : PICK(r, OTHERS));
    else if (k < 90) sb_printf(b, "%s suspend %s", pct(r, 85) ? "CSC" : pick_body(R), nact > 3 ? pick_state(R) : PICK(r, OTHERS));
    else {
        int j = rn(r, 3);
        sb_printf(b, "%s chair%s", pct(r, 70) ? pick_active(R) : pick_state(R),
                  j == 0 ? "" : j == 1 ? " temporary" : " exception");
        if (j) put_text(R, b);
    }
    put_src(R, b);
}

static void gen_garbage(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    static const char *const toks[] = { "=", "==", "a=", "=b", "\"", "#", "x,", ",y", "a,,b", "KZ", "vote", "deploy",
                                        "D1", "yes", "9999999999", "-1", "\xc3\xa9", "\t", "id=", "id=\"\"",
                                        "host=\"K Z\"", "CSC", "propose", "troops=1", "Ab_c-9", "'", "\\", "()",
                                        "key=val=ue", "K.Z", "\"unterminated", "\"\\q\"", "UNSC", "*", "ÿ" };
    int k = rn(r, 100);
    if (k < 35) {
        int n = rr(r, 1, 7);
        for (int i = 0; i < n; i++) {
            if (i) sb_putc(b, ' ');
            sb_puts(b, PICK(r, toks));
        }
    } else if (k < 45) sb_printf(b, "%s %s D1", pick_state(R), PICK(r, ((const char *const[]){ "dance", "Vote", "veto", "declare", "approve" })));
    else if (k < 52) sb_puts(b, PICK(r, ((const char *const[]){ "charter force XF strength=1 \"X\"", "world state XX capital=X lat=0 lon=0 \"X\"",
                                                                 "charter rule request source=\"none\" \"gone\"", "world border KZ CN closed" })));
    else if (k < 58) sb_puts(b, PICK(r, ((const char *const[]){ "# a comment", "", "   ", "\t# indented comment" })));
    else if (k < 64) {
        const char bad[] = { 'K', 'Z', ' ', 'j', 'o', 'i', 'n', ' ', (char)rr(r, 1, 31), 0 };
        sb_puts(b, bad);
    } else if (k < 67) {
        sb_puts(b, "KZ request assistance id=R");
        sb_put(b, "\0", 1); /* a NUL byte in the line */
        sb_puts(b, "x");
    } else if (k < 70) {
        sb_puts(b, "KZ request assistance id=Rlong \"");
        for (int i = 0; i < 4200; i++) sb_putc(b, 'a' + i % 26);
        sb_putc(b, '"');
    } else if (k < 73) {
        sb_puts(b, "CSC close");
        for (int i = 0; i < 30; i++) sb_printf(b, " a%d", i);
    } else if (k < 80) sb_printf(b, "%s %s", pick_state(R), PICK(r, ((const char *const[]){ "vote", "request", "contribute", "arrive" })));
    else if (k < 86) sb_printf(b, "SG acting \"%s\"", PICK(r, WORDS));
    else if (k < 92) sb_printf(b, "CMFA recommend SG state=%s", pick_state(R));
    else sb_printf(b, "CSC appoint SG state=%s from=2027-01-01 to=2029-12-31 \"Someone\"", pick_state(R));
}

/* One random line (without newline). */
static void gen_line(run *R, sbuf *b, int batch, int first)
{
    rng *r = &R->G.r;
    int bare = R->sc == SC_BARE_FILE;
    const char *act[64];
    int nact = hint_members(R, "member", act, 64);
    int k = rn(r, 100);
    if (bare && nact < 4 && k < 60) k = 90; /* a bare journal needs members */
    if (k < 10) { /* garbage: no date in front (sometimes one) */
        if (pct(r, 50)) put_date(R, b, batch, first, 0);
        gen_garbage(R, b);
        return;
    }
    if (k < 36 && !pick_dep(R, 1) && pct(r, 70)) k = 50; /* nothing open: propose */
    put_date(R, b, batch, first, k < 36 || (k >= 69 && k < 73) || k >= 84);
    if (k < 36) gen_vote(R, b);
    else if (k < 48) gen_contribute(R, b);
    else if (k < 58) gen_propose(R, b);
    else if (k < 66) gen_request(R, b);
    else if (k < 69) gen_authorize(R, b);
    else if (k < 73) gen_close(R, b);
    else if (k < 84) gen_fact(R, b);
    else gen_membership(R, b, bare);
}

/* A story: a whole procedure in one batch, sometimes with one bad line. */
static void gen_story(run *R, sbuf *b)
{
    rng *r = &R->G.r;
    gen *G = &R->G;
    char buf[16], rid[64], did[64], mid[64];
    const char *act[64];
    int nact = hint_members(R, "member", act, 64);
    if (nact == 0) {
        gen_line(R, b, 1, 1);
        return;
    }
    G->date += rr(r, 0, 3);
    G->nid++;
    snprintf(rid, sizeof rid, "R%d", G->nid);
    snprintf(did, sizeof did, "D%d", G->nid);
    snprintf(mid, sizeof mid, "M%d", G->nid);
    int kind = rn(r, 100); /* <60 member host; <80 non-member host; else an objection */
    const char *force = PICK(r, FORCES);
    sbuf L[40];
    int nl = 0;
    memset(L, 0, sizeof L);
    const char *host = kind < 60 || kind >= 80 ? act[rn(r, nact)] : pick_nonmember(R);
    if (kind < 60 || kind >= 80) {
        sb_printf(&L[nl++], "%s %s request assistance id=%s article=treaty-4 \"story\"", fmt_date(G->date, buf), host, rid);
        sb_printf(&L[nl++], "CSC propose deploy id=%s force=%s host=%s request=%s%s", did, force, host, rid,
                  pct(r, 50) ? " days=30" : "");
    } else {
        sb_printf(&L[nl++], "%s UNSC authorize id=%s host=%s \"story\"", fmt_date(G->date, buf), mid, host);
        sb_printf(&L[nl++], "CSC propose deploy id=%s force=%s host=%s mandate=%s", did, force, host, mid);
    }
    /* votes in a shuffled order */
    const char *order[64];
    for (int i = 0; i < nact; i++) order[i] = act[i];
    for (int i = nact - 1; i > 0; i--) {
        int j = rn(r, i + 1);
        const char *t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    int closed = 0;
    for (int i = 0; i < nact && nl < 30; i++) {
        if (kind >= 80 && i == nact - 1) {
            sb_printf(&L[nl++], "%s vote %s no", order[i], did);
            closed = 2;
            break;
        }
        if (i == nact - 1 && pct(r, 25)) {
            sb_printf(&L[nl++], "CSC close %s", did); /* limited format */
            closed = 1;
            break;
        }
        sb_printf(&L[nl++], "%s vote %s %s", order[i], did, pct(r, 85) ? "yes" : pct(r, 50) ? "abstain" : "out");
    }
    if (!closed) closed = 1;
    if (closed == 1 && nl < 36) {
        int strength = force_strength(force);
        const char *c1 = act[rn(r, nact)];
        int t = rr(r, 1, strength / 2);
        if (pct(r, 50)) sb_printf(&L[nl++], "%s %s contribute %s troops=%d", fmt_date(G->date + 1, buf), c1, did, t);
        else sb_printf(&L[nl++], "%s contribute %s troops=%d", c1, did, t);
        sb_printf(&L[nl++], "%s arrive %s", c1, did);
        if (pct(r, 30)) sb_printf(&L[nl++], "SG notify-un %s", did);
    }
    if (pct(r, 25)) { /* corrupt one line: the whole batch is refused */
        int i = rn(r, nl);
        sb_reset(&L[i]);
        switch (rn(r, 5)) {
        case 0: sb_printf(&L[i], "%s vote %s yes", pick_nonmember(R), did); break;
        case 1: sb_printf(&L[i], "RU contribute %s troops=%d", did, 99999); break;
        case 2: sb_printf(&L[i], "AM request assistance id=%sx host=KZ", rid); break;
        case 3: sb_puts(&L[i], "2027-02-30 KZ join"); break;
        default: gen_garbage(R, &L[i]); break;
        }
    }
    for (int i = 0; i < nl; i++) {
        if (i) sb_putc(b, '\n');
        sb_put(b, L[i].p ? L[i].p : "", L[i].n);
        sb_free(&L[i]);
    }
}

static void gen_step(run *R, sbuf *b, int *batch)
{
    rng *r = &R->G.r;
    sb_reset(b);
    int k = rn(r, 100);
    if (k < 78) {
        *batch = 0;
        gen_line(R, b, 0, 1);
        return;
    }
    *batch = 1;
    if (k < 89) {
        gen_story(R, b);
        return;
    }
    int n = rr(r, 2, 6);
    for (int i = 0; i < n; i++) {
        if (i) sb_puts(b, pct(r, 5) ? "\r\n" : "\n");
        gen_line(R, b, 1, i == 0);
    }
}

/* ------------------------------------------------------------------ */
/* Runs.                                                                */

static int file_counter;

/* The journal files of the runs alive (the file, -wal, -shm), removed at
** exit and on a fatal signal too (an exit(70), a SIGPIPE from `| head`). */
static char live_paths[4][3][300];

static void remove_journal(const char *path)
{
    char aux[300];
    unlink(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
}

static void remove_live_journals(void)
{
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 3; k++)
            if (live_paths[i][k][0]) unlink(live_paths[i][k]); /* async-signal-safe */
}

static void on_signal(int sig)
{
    remove_live_journals();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void track_path(const char *path, int add)
{
    for (int i = 0; i < 4; i++) {
        if (add && !live_paths[i][0][0]) {
            snprintf(live_paths[i][1], sizeof live_paths[i][1], "%s-wal", path);
            snprintf(live_paths[i][2], sizeof live_paths[i][2], "%s-shm", path);
            snprintf(live_paths[i][0], sizeof live_paths[i][0], "%s", path);
            return;
        }
        if (!add && strcmp(live_paths[i][0], path) == 0) {
            live_paths[i][0][0] = live_paths[i][1][0] = live_paths[i][2][0] = 0;
            return;
        }
    }
}

static void run_init(run *R, int sc, uint64_t seed, int quiet, unsigned checks)
{
    memset(R, 0, sizeof *R);
    R->sc = sc;
    R->checks = checks;
    R->seed = seed;
    R->quiet = quiet;
    R->cur = -1;
    R->G.r.s = seed * 2 + (uint64_t)sc;
    R->rep = ent_report_new();
    int rc;
    if (sc == SC_HISTORY) {
        rc = ent_open(&R->db, NULL, 0, R->rep);
    } else if (sc == SC_BARE_MEM) {
        rc = ent_open(&R->db, NULL, ENT_OPEN_BARE, R->rep);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(R->path, sizeof R->path, "%s/entente-property-%ld-%d.db", tmp && *tmp ? tmp : "/tmp", (long)getpid(),
                 file_counter++);
        remove_journal(R->path);
        track_path(R->path, 1);
        rc = ent_open(&R->db, R->path, ENT_OPEN_BARE, R->rep);
    }
    if (rc != ENT_OK) {
        fprintf(stderr, "property: cannot open (%s): %s\n", ent_status_name(rc), ent_report_text(R->rep));
        exit(70);
    }
    /* the model learns the built-in history from the export */
    sbuf ex = { 0 };
    if (ent_export(R->db, ENT_FMT_CHRONICLE, sb_write, &ex) != ENT_OK) {
        fprintf(stderr, "property: cannot export the initial journal\n");
        exit(70);
    }
    model_feed(R, ex.p ? ex.p : "", ex.n);
    sb_free(&ex);
    check_state(R); /* the hints, always */
    if (checks & 1u << 6) check_verify(R);
    if (checks & 1u << 7) check_export(R);
    long d;
    const char *sd = R->state ? js(R->state, "date") : NULL;
    R->G.date = sc == SC_HISTORY && sd && !parse_date(sd, &d) ? d : days_from_civil(2026, 1, 1);
}

static void run_final(run *R)
{
    R->cur = R->nsteps;
    if (R->checks & 1u << 6) check_verify(R);
    if (R->checks & 1u << 8) check_past(R);
    if (R->checks & 1u << 7) check_export(R);
    if (R->checks & 1u << 6) check_reopen(R);
}

static void run_free(run *R)
{
    ent_close(R->db);
    ent_report_free(R->rep);
    if (R->state) json_decref(R->state);
    model_free(&R->M);
    for (int i = 0; i < R->nsteps; i++) free(R->steps[i].text);
    free(R->steps);
    if (R->path[0]) {
        remove_journal(R->path);
        track_path(R->path, 0);
    }
}

static void add_step(run *R, const char *text, size_t len, int batch)
{
    GROW(R->steps, R->nsteps, R->capsteps);
    step *s = &R->steps[R->nsteps++];
    s->text = xmalloc(len + 1);
    memcpy(s->text, text, len);
    s->text[len] = 0;
    s->len = len;
    s->batch = batch;
}

/* ------------------------------------------------------------------ */
/* Shrinking: delta debugging over the lines of the stream.            */

typedef struct sline {
    const char *p;
    size_t n;
    int group;            /* the step it came from */
    int batch;
} sline;

/* Does the stream made of the kept lines break invariant inv? */
static int shrink_test(int sc, uint64_t seed, const sline *L, const char *keep, int n, int inv, long probe)
{
    run R;
    run_init(&R, sc, seed, 1, 1u << inv);
    R.probe = probe;
    sbuf b = { 0 };
    for (int i = 0; i < n && !(R.failed >> inv & 1);) {
        if (!keep[i]) {
            i++;
            continue;
        }
        int g = L[i].group, batch = L[i].batch;
        sb_reset(&b);
        int first = 1;
        for (; i < n && L[i].group == g; i++) {
            if (!keep[i]) continue;
            if (!first) sb_putc(&b, '\n');
            sb_put(&b, L[i].p, L[i].n);
            first = 0;
        }
        add_step(&R, b.p ? b.p : "", b.n, batch);
        R.cur = R.nsteps - 1;
        exec_step(&R, b.p ? b.p : "", b.n, batch);
    }
    if (!(R.failed >> inv & 1)) run_final(&R);
    int bad = R.failed >> inv & 1;
    sb_free(&b);
    run_free(&R);
    return bad;
}

static void shrink(run *R, int inv, double budget)
{
    int upto = R->fail_step[inv];
    if (upto >= R->nsteps) upto = R->nsteps - 1;
    sline *L = NULL;
    int n = 0, cap = 0;
    for (int s = 0; s <= upto; s++) {
        const char *p = R->steps[s].text, *end = p + R->steps[s].len;
        if (!R->steps[s].batch) {
            GROW(L, n, cap);
            L[n++] = (sline){ p, R->steps[s].len, s, 0 };
            continue;
        }
        while (p <= end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            GROW(L, n, cap);
            L[n++] = (sline){ p, (size_t)((nl ? nl : end) - p), s, 1 };
            if (!nl) break;
            p = nl + 1;
        }
    }
    char *keep = xmalloc((size_t)n + 1), *trial = xmalloc((size_t)n + 1);
    memset(keep, 1, (size_t)n);
    double t0 = now_s();
    int tests = 0;
    long probe = inv == 8 ? R->probe_failed : 0;
    /* a bare journal file shrinks in memory, unless the file is the point */
    int sc = R->sc == SC_BARE_FILE && inv != 6 ? SC_BARE_MEM : R->sc;
    if (!shrink_test(sc, R->seed, L, keep, n, inv, probe)) {
        if (sc == R->sc || !shrink_test(sc = R->sc, R->seed, L, keep, n, inv, probe)) {
            printf("  (the failure does not reproduce from the recorded steps; not shrunk)\n");
            goto out;
        }
    }
    /* first drop every input that the library refused (not the failing one) */
    if (inv != 4) {
        memcpy(trial, keep, (size_t)n);
        for (int i = 0; i < n; i++)
            if (L[i].group != upto && R->steps[L[i].group].rc != ENT_OK) trial[i] = 0;
        tests++;
        if (shrink_test(sc, R->seed, L, trial, n, inv, probe)) memcpy(keep, trial, (size_t)n);
    }
    for (int chunk = n / 2 > 0 ? n / 2 : 1;; chunk = chunk / 2 > 0 ? chunk / 2 : 1) {
        int changed = 0;
        for (int i = 0; i < n; i += chunk) {
            int any = 0;
            memcpy(trial, keep, (size_t)n);
            for (int j = i; j < i + chunk && j < n; j++) {
                any |= trial[j];
                trial[j] = 0;
            }
            if (!any) continue;
            if (now_s() - t0 > budget) goto done;
            tests++;
            if (shrink_test(sc, R->seed, L, trial, n, inv, probe)) {
                memcpy(keep, trial, (size_t)n);
                changed = 1;
            }
        }
        if (chunk == 1 && !changed) break;
    }
done:;
    int kept = 0;
    for (int i = 0; i < n; i++) kept += keep[i];
    printf("  minimal stream for invariant %d (%d of %d lines, %d trials, %.1fs%s), on %s:\n", inv, kept, n, tests,
           now_s() - t0, now_s() - t0 > budget ? ", time budget reached" : "",
           sc == SC_HISTORY ? "the built-in history (ent_open(NULL, 0))"
           : sc == SC_BARE_MEM ? "a bare db (ent_open(NULL, ENT_OPEN_BARE))" : "a bare journal file");
    for (int i = 0; i < n;) {
        if (!keep[i]) {
            i++;
            continue;
        }
        int g = L[i].group;
        if (L[i].batch) printf("    batch {\n");
        for (; i < n && L[i].group == g; i++)
            if (keep[i]) show(stdout, L[i].batch ? "      " : "    ", L[i].p, L[i].n);
        if (L[i - 1].batch) printf("    }\n");
    }
out:
    fflush(stdout);
    free(keep);
    free(trial);
    free(L);
}

/* ------------------------------------------------------------------ */
/* Main.                                                                */

int main(int argc, char **argv)
{
    static const uint64_t default_seeds[] = { 1, 2, 3, 42, 20220106, 0xC5707EA7ull };
    uint64_t seeds[64];
    int nseeds = 0, rounds = 0, verbose = 0, do_shrink = 1;
    double shrink_budget = 10.0; /* seconds, for all the shrinking of a run */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) verbose = 1;
        else if (strcmp(argv[i], "--no-shrink") == 0) do_shrink = 0;
        else if (strcmp(argv[i], "--lenient") == 0) lenient = 1;
        else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "usage: %s [SEED] [ROUNDS] [-v] [--no-shrink] [--lenient]\n", argv[0]);
            return 64;
        } else if (!nseeds) {
            char *e;
            seeds[nseeds++] = strtoull(argv[i], &e, 0);
            if (*e) {
                fprintf(stderr, "property: bad seed '%s'\n", argv[i]);
                return 64;
            }
        } else {
            rounds = atoi(argv[i]);
            if (rounds <= 0) {
                fprintf(stderr, "property: bad rounds '%s'\n", argv[i]);
                return 64;
            }
        }
    }
    if (!nseeds) {
        nseeds = (int)(sizeof default_seeds / sizeof default_seeds[0]);
        memcpy(seeds, default_seeds, sizeof default_seeds);
    }
    int rounds_sc[NSC] = { rounds ? rounds : 350, rounds ? rounds : 250 };
    int passed = 0, failed = 0;
    unsigned shrunk = 0;
    double t0 = now_s();
    atexit(remove_live_journals);
    signal(SIGPIPE, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    for (int si = 0; si < nseeds; si++) {
        for (int sc = 0; sc < NSC; sc++) {
            run R;
            double ts = now_s();
            run_init(&R, sc, seeds[si], 0, ~0u);
            R.verbose = verbose;
            sbuf b = { 0 };
            int accepted = 0;
            for (int s = 0; s < rounds_sc[sc]; s++) {
                int batch;
                gen_step(&R, &b, &batch);
                add_step(&R, b.p ? b.p : "", b.n, batch);
                R.cur = s;
                uint64_t n0 = ent_event_count(R.db);
                exec_step(&R, R.steps[s].text, R.steps[s].len, batch);
                accepted += ent_event_count(R.db) != n0;
                if (sc == SC_BARE_FILE && s % 50 == 49) check_reopen(&R);
            }
            run_final(&R);
            sb_free(&b);
            int ndec[6] = { 0 }, troops = 0;
            static const char *const decs[5] = { "open", "adopted", "adopted-limited", "blocked", "lapsed" };
            json_t *d;
            size_t di;
            json_array_foreach(deps_of(&R), di, d) {
                const char *dec = js(d, "decision");
                int k = 5;
                for (int j = 0; j < 5; j++)
                    if (dec && strcmp(dec, decs[j]) == 0) k = j;
                ndec[k]++;
                troops += ji(d, "troops") > 0;
            }
            printf("seed %llu (0x%llx), %s: %d steps (%d accepted), %llu events; deployments: %d open, %d adopted, "
                   "%d limited, %d blocked, %d lapsed, %d with troops; %.2fs\n",
                   (unsigned long long)seeds[si], (unsigned long long)seeds[si], sc_name[sc], R.nsteps, accepted,
                   (unsigned long long)ent_event_count(R.db), ndec[0], ndec[1], ndec[2], ndec[3], ndec[4], troops,
                   now_s() - ts);
            for (int inv = 1; inv <= NINV; inv++) {
                if (R.failed >> inv & 1) {
                    failed++;
                    if (do_shrink && !(shrunk >> inv & 1) && shrink_budget > 0.5) {
                        shrunk |= 1u << inv;
                        double t1 = now_s();
                        shrink(&R, inv, shrink_budget < 6 ? shrink_budget : 6);
                        shrink_budget -= now_s() - t1;
                    }
                } else passed++;
            }
            run_free(&R);
        }
    }
    printf("property: %.2fs\n", now_s() - t0);
    printf("property: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
