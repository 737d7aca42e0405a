/*
** world.c: the world the organization lives in: states, their capitals,
** land borders and sea links.
**
** The world is declared by chronicle lines whose subject is `world`:
**
**     world state KZ capital=Astana lat=51.1605 lon=71.4704 src=S139 "Kazakhstan"
**     world border KZ RU src=S139
**     world border AM TR closed src=S136
**     world sea KZ RU sea=Caspian src=S142
**
** ent__world_apply() checks a line completely before it changes anything, so
** a line that is refused leaves the world as it was. States are interned as
** small integers (their index in w->states) in the order they are declared; a
** border or sea link may name only states declared before it.
**
** Distances are great-circle distances between capitals (haversine formula on
** a sphere of the IUGG mean Earth radius, 6371.0088 km).
*/
#include "core.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_RADIUS_KM 6371.0088
#define DEG2RAD (3.14159265358979323846 / 180.0)

#define N_LINKS ((int)(sizeof(((ent_world *)0)->links) / sizeof(((ent_world *)0)->links[0])))

/* ------------------------------------------------------------------ */
/* Outcomes                                                            */

static void outcome_clear(ent_outcome *o)
{
    o->verdict = ENT_V_OK;
    o->col = 0;
    o->rule = NULL;
    o->source = NULL;
    o->msg[0] = 0;
}

/* Set *o to ENT_V_ERROR at column col with a printf-style message. Returns
** ENT_V_ERROR so that callers can `return fail(...)`. */
static int fail(ent_outcome *o, uint16_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(ent_outcome *o, uint16_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->msg, sizeof o->msg, fmt, ap);
    va_end(ap);
    o->verdict = ENT_V_ERROR;
    o->col = col;
    return ENT_V_ERROR;
}

/* ------------------------------------------------------------------ */
/* Small helpers over arguments                                        */

/* Copy an ent_str into dst (size dstsz) with a NUL. Returns 0, or -1 when
** it does not fit (dst is then left empty). */
static int copy_str(char *dst, size_t dstsz, ent_str s)
{
    if ((size_t)s.n >= dstsz) {
        dst[0] = 0;
        return -1;
    }
    memcpy(dst, s.p, s.n);
    dst[s.n] = 0;
    return 0;
}

static int is_state_code(ent_str s)
{
    return s.n == 2 && s.p[0] >= 'A' && s.p[0] <= 'Z' && s.p[1] >= 'A' && s.p[1] <= 'Z';
}

/* Parse a decimal number that must fill the whole of s. strtod() needs a
** NUL-terminated string, and an ent_str is not one, so copy it first.
** Returns 0 and sets *out, or -1. */
static int parse_number(ent_str s, double *out)
{
    char tmp[64];
    if (s.n == 0 || s.n >= sizeof tmp) return -1;
    memcpy(tmp, s.p, s.n);
    tmp[s.n] = 0;
    /* strtod also takes hex, "inf", "nan" and leading blanks: refuse them. */
    for (uint32_t i = 0; i < s.n; i++) {
        char c = tmp[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return -1;
    }
    char *end = NULL;
    double v = strtod(tmp, &end);
    if (end != tmp + s.n || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* Check the keys of s against the NULL-terminated list `allowed`: every key
** must be allowed and appear once. Returns ENT_V_OK or fails o. */
static int check_keys(const ent_stmt *s, const char *const *allowed, ent_outcome *o)
{
    for (int i = 0; i < s->nargs; i++) {
        const ent_arg *a = &s->args[i];
        if (a->key.n == 0) continue;
        int known = 0;
        for (int k = 0; allowed[k]; k++)
            if (ent__str_is(a->key, allowed[k])) known = 1;
        if (!known)
            return fail(o, a->col, "unknown key '%.*s' for 'world %.*s'", (int)a->key.n,
                        a->key.p, (int)s->verb.n, s->verb.p);
        for (int j = 0; j < i; j++)
            if (ent__str_same(s->args[j].key, a->key))
                return fail(o, a->col, "key '%.*s' given twice", (int)a->key.n, a->key.p);
    }
    return ENT_V_OK;
}

/* The value of key `key`, which must be present and non-empty. */
static const ent_arg *need_key(const ent_stmt *s, int kid, ent_outcome *o)
{
    const char *key = ent__key_name(kid);
    const ent_arg *a = ent__stmt_key(s, kid);
    if (!a) {
        fail(o, s->col_verb, "missing %s= in 'world %.*s'", key, (int)s->verb.n, s->verb.p);
        return NULL;
    }
    if (a->val.n == 0) {
        fail(o, a->col, "empty %s=", key);
        return NULL;
    }
    return a;
}

/* A positional argument that must name a declared state. */
static int need_state(const ent_world *w, const ent_arg *a, ent_state_id *id, ent_outcome *o)
{
    if (!is_state_code(a->val))
        return fail(o, a->col, "bad state code '%.*s' (two upper-case letters expected)",
                    (int)a->val.n, a->val.p);
    *id = ent__world_find(w, a->val);
    if (*id < 0) return fail(o, a->col, "unknown state '%.*s'", (int)a->val.n, a->val.p);
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* The verbs                                                           */

/* world state CODE capital=NAME lat=DEG lon=DEG [src=TAGS] "Name" */
static int apply_state(ent_world *w, const ent_stmt *s, ent_outcome *o)
{
    static const char *const keys[] = { "capital", "lat", "lon", "src", NULL };
    if (check_keys(s, keys, o)) return o->verdict;

    int npos = ent__stmt_npos(s);
    if (npos < 1) return fail(o, s->col_verb, "missing state code in 'world state'");
    if (npos > 1) {
        const ent_arg *x = ent__stmt_pos(s, 1);
        return fail(o, x->col, "unexpected argument '%.*s'", (int)x->val.n, x->val.p);
    }
    const ent_arg *code = ent__stmt_pos(s, 0);
    if (!is_state_code(code->val))
        return fail(o, code->col, "bad state code '%.*s' (two upper-case letters expected)",
                    (int)code->val.n, code->val.p);
    if (ent__world_find(w, code->val) >= 0)
        return fail(o, code->col, "state '%.*s' declared twice", (int)code->val.n, code->val.p);

    ent_country c;
    memset(&c, 0, sizeof c);
    memcpy(c.code, code->val.p, 2);

    const ent_arg *cap = need_key(s, ENT_K_CAPITAL, o);
    if (!cap) return o->verdict;
    if (copy_str(c.capital, sizeof c.capital, cap->val))
        return fail(o, cap->col, "capital too long (at most %d bytes)", (int)sizeof c.capital - 1);

    const ent_arg *lat = need_key(s, ENT_K_LAT, o);
    if (!lat) return o->verdict;
    if (parse_number(lat->val, &c.lat) || c.lat < -90.0 || c.lat > 90.0)
        return fail(o, lat->col, "bad latitude '%.*s' (a number of degrees in [-90, 90])",
                    (int)lat->val.n, lat->val.p);

    const ent_arg *lon = need_key(s, ENT_K_LON, o);
    if (!lon) return o->verdict;
    if (parse_number(lon->val, &c.lon) || c.lon < -180.0 || c.lon > 180.0)
        return fail(o, lon->col, "bad longitude '%.*s' (a number of degrees in [-180, 180])",
                    (int)lon->val.n, lon->val.p);

    const ent_arg *src = ent__stmt_key(s, ENT_K_SRC);
    if (src && copy_str(c.src, sizeof c.src, src->val))
        return fail(o, src->col, "src too long (at most %d bytes)", (int)sizeof c.src - 1);

    if (!s->has_text || s->text.n == 0)
        return fail(o, s->col_verb, "missing name: 'world state %s' needs \"Name\"", c.code);
    if (copy_str(c.name, sizeof c.name, s->text))
        return fail(o, s->col_text, "name too long (at most %d bytes)", (int)sizeof c.name - 1);

    if (w->nstates >= ENT_MAX_STATES)
        return fail(o, code->col, "too many states (at most %d)", ENT_MAX_STATES);
    w->by_code[(c.code[0] - 'A') * 26 + (c.code[1] - 'A')] = (int8_t)(w->nstates + 1);
    w->states[w->nstates++] = c;
    return ENT_V_OK;
}

/* world border A B [closed] [src=TAGS]     (sea == 0)
** world sea A B sea=NAME [src=TAGS]        (sea == 1) */
static int apply_link(ent_world *w, const ent_stmt *s, int sea, ent_outcome *o)
{
    static const char *const border_keys[] = { "src", NULL };
    static const char *const sea_keys[] = { "sea", "src", NULL };
    const char *what = sea ? "sea" : "border";
    if (check_keys(s, sea ? sea_keys : border_keys, o)) return o->verdict;

    int npos = ent__stmt_npos(s);
    if (npos < 2) return fail(o, s->col_verb, "'world %s' needs two state codes", what);

    ent_link l;
    memset(&l, 0, sizeof l);
    l.sea = (uint8_t)sea;
    const ent_arg *pa = ent__stmt_pos(s, 0), *pb = ent__stmt_pos(s, 1);
    if (need_state(w, pa, &l.a, o) || need_state(w, pb, &l.b, o)) return o->verdict;
    if (l.a == l.b)
        return fail(o, pb->col, "a state cannot border itself ('%s')", w->states[l.a].code);

    for (int i = 2; i < npos; i++) {
        const ent_arg *x = ent__stmt_pos(s, i);
        if (!sea && i == 2 && ent__str_eq(x->val, "closed")) {
            l.closed = 1;
            continue;
        }
        return fail(o, x->col, "unexpected argument '%.*s'", (int)x->val.n, x->val.p);
    }

    if (sea) {
        const ent_arg *name = need_key(s, ENT_K_SEA, o);
        if (!name) return o->verdict;
        if (copy_str(l.sea_name, sizeof l.sea_name, name->val))
            return fail(o, name->col, "sea name too long (at most %d bytes)",
                        (int)sizeof l.sea_name - 1);
    }

    for (int i = 0; i < w->nlinks; i++) {
        const ent_link *x = &w->links[i];
        if (x->sea == l.sea && ((x->a == l.a && x->b == l.b) || (x->a == l.b && x->b == l.a)))
            return fail(o, pa->col, "%s %s-%s declared twice", sea ? "sea link" : "border",
                        w->states[l.a].code, w->states[l.b].code);
    }
    if (w->nlinks >= N_LINKS)
        return fail(o, pa->col, "too many borders and sea links (at most %d)", N_LINKS);
    w->links[w->nlinks++] = l;
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Public (to the library) functions                                   */

void ent__world_init(ent_world *w)
{
    memset(w, 0, sizeof *w);
}

/* Apply one `world ...` statement. Returns the verdict (ENT_V_OK or
** ENT_V_ERROR), also stored in o->verdict; on error o->col is the column of
** the offending argument (or of the verb when a required key is missing) and
** the world is unchanged. */
int ent__world_apply(ent_world *w, const ent_stmt *s, ent_outcome *o)
{
    outcome_clear(o);
    if (!ent__str_eq(s->subject, "world"))
        return fail(o, s->col_subject, "not a world declaration: '%.*s'", (int)s->subject.n,
                    s->subject.p);
    if (ent__str_eq(s->verb, "state")) return apply_state(w, s, o);
    if (ent__str_eq(s->verb, "border")) return apply_link(w, s, 0, o);
    if (ent__str_eq(s->verb, "sea")) return apply_link(w, s, 1, o);
    return fail(o, s->col_verb, "unknown verb 'world %.*s' (expected state, border or sea)",
                (int)s->verb.n, s->verb.p);
}


/* The link between a and b, or -1. When a pair has more than one (Kazakhstan
** and Russia share a land border and the Caspian), an open land border comes
** first, then a sea link, then a closed border: the first is the one a route
** between the two uses, and a route never uses a closed border. */
int ent__world_adjacent(const ent_world *w, ent_state_id a, ent_state_id b)
{
    int best = -1, best_rank = 3;
    for (int i = 0; i < w->nlinks; i++) {
        const ent_link *l = &w->links[i];
        if (!((l->a == a && l->b == b) || (l->a == b && l->b == a))) continue;
        int rank = l->closed ? 2 : l->sea ? 1 : 0;
        if (rank < best_rank) {
            best = i;
            best_rank = rank;
        }
    }
    return best;
}

/* Great-circle distance in km between the capitals of a and b (haversine);
** -1 if either id is not a state. */
double ent__world_km(const ent_world *w, ent_state_id a, ent_state_id b)
{
    if (a < 0 || b < 0 || a >= w->nstates || b >= w->nstates) return -1.0;
    if (a == b) return 0.0;
    const ent_country *x = &w->states[a], *y = &w->states[b];
    double p1 = x->lat * DEG2RAD, p2 = y->lat * DEG2RAD;
    double dp = (y->lat - x->lat) * DEG2RAD, dl = (y->lon - x->lon) * DEG2RAD;
    double sp = sin(dp / 2), sl = sin(dl / 2);
    double h = sp * sp + cos(p1) * cos(p2) * sl * sl;
    if (h > 1.0) h = 1.0;
    return 2.0 * EARTH_RADIUS_KM * asin(sqrt(h));
}
