/*
** act.c: the helpers that every handler of an act uses (see act.h) and the
** dispatch of a statement to its verb's handler.
*/
#include "act.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ent__act_err(ent_ctx *c, uint16_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->o->msg, sizeof c->o->msg, fmt, ap);
    va_end(ap);
    c->o->verdict = ENT_V_ERROR;
    c->o->col = col ? col : c->st->col_end; /* a missing argument: where it would go */
    return ENT_V_ERROR;
}

int ent__act_refuse(ent_ctx *c, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->o->msg, sizeof c->o->msg, fmt, ap);
    va_end(ap);
    const ent_rule *r = ent__charter_rule(c->s->charter, rule);
    c->o->verdict = ENT_V_REFUSED;
    c->o->rule = r ? r->id : rule;
    c->o->source = r ? r->source : "charter";
    return ENT_V_REFUSED;
}

int ent__act_nomem(ent_ctx *c)
{
    snprintf(c->o->msg, sizeof c->o->msg, "out of memory");
    c->o->verdict = ENT_V_NOMEM;
    return ENT_V_NOMEM;
}

/* Handlers name rules and lists of keys by string literals, so a small
** cache keyed by the literal's address finds what a literal names without
** hashing or scanning it again. */

const ent_rule *ent__act_rule_slow(ent_ctx *c, const char *rule)
{
    ent_inst *s = c->s;
    unsigned h = ent__act_lit_slot(rule);
    const ent_rule *r = ent__charter_rule(s->charter, rule);
    s->rl_id[h] = rule;
    s->rl_rule[h] = r;
    return r;
}

const char *ent__act_code(ent_ctx *c, ent_state_id id)
{
    return id >= 0 ? c->s->world->states[id].code : "?";
}

const char *ent__act_day(ent_date d, char buf[11]) { return ent__date_format(d, buf); }

/* Every key= of the statement must be one of `keys` (space-separated);
** src= goes with every line. */
int ent__act_check_keys_slow(ent_ctx *c, const char *keys)
{
    ent_inst *s = c->s;
    unsigned h = ent__act_lit_slot(keys);
    if (s->ks_id[h] != keys) {
        ent_keyset ks = { { 0, 0 } };
        ks.w[ENT_K_SRC >> 6] |= (uint64_t)1 << (ENT_K_SRC & 63);
        for (const char *k = keys; *k;) {
            size_t n = strcspn(k, " ");
            int id = ent__key_id(k, n);
            assert(id > ENT_K_UNKNOWN); /* every key a handler accepts is in ENT_KEYS */
            ks.w[id >> 6] |= (uint64_t)1 << (id & 63);
            k += n;
            while (*k == ' ') k++;
        }
        s->ks_id[h] = keys;
        s->ks_set[h] = ks;
    }
    const ent_keyset *ks = &s->ks_set[h], *have = &c->st->keys;
    if (!(have->w[0] & ~ks->w[0]) && !(have->w[1] & ~ks->w[1])) return 0;
    for (int i = 0; i < c->st->nargs; i++) {
        const ent_arg *a = &c->st->args[i];
        if (a->key_id == ENT_K_NONE || ent__keyset_has(ks, a->key_id)) continue;
        return ent__act_err(c, a->col, "unknown argument '%.*s=' for '%.*s' (expected: %s)", (int)a->key.n,
                            a->key.p, (int)c->st->verb.n, c->st->verb.p, *keys ? keys : "none");
    }
    return 0;
}

int ent__act_max_pos_slow(ent_ctx *c, int n)
{
    const ent_arg *a = ent__stmt_pos(c->st, n);
    if (a)
        return ent__act_err(c, a->col, "unexpected argument '%.*s' for '%.*s'", (int)a->val.n, a->val.p,
                   (int)c->st->verb.n, c->st->verb.p);
    return 0;
}

int ent__act_state_of(ent_ctx *c, ent_str s, uint16_t col, ent_state_id *out)
{
    *out = ent__world_find(c->s->world, s);
    if (*out < 0) return ent__act_err(c, col, "unknown state '%.*s'", (int)s.n, s.p);
    return 0;
}

/* The states of a list argument (key=A,B,C), in order; the column of a bad
** code points at it. */
int ent__act_state_list(ent_ctx *c, const ent_arg *a, ent_state_id *out, int max, int *n)
{
    const char *p = a->val.p, *end = p + a->val.n;
    uint16_t col0 = (uint16_t)(a->col + (a->key.n ? a->key.n + 1 : 0));
    *n = 0;
    while (p < end) {
        const char *q = memchr(p, ',', (size_t)(end - p));
        if (!q) q = end;
        if (*n == max) return ent__act_err(c, a->col, "at most %d states in %.*s=", max, (int)a->key.n, a->key.p);
        if (ent__act_state_of(c, (ent_str){ p, (uint32_t)(q - p) }, (uint16_t)(col0 + (p - a->val.p)), &out[*n]))
            return c->o->verdict;
        (*n)++;
        p = q + 1;
    }
    return 0;
}

int ent__act_subject_state_slow(ent_ctx *c, ent_state_id *out)
{
    if (ent__act_state_of(c, c->st->subject, c->st->col_subject, out)) return c->o->verdict;
    c->subj = *out;
    return 0;
}

/* The key names in the messages below are looked up only for a message. */
#define KEY(kid) ent__key_name(kid)

int ent__act_key_state(ent_ctx *c, int kid, int required, ent_state_id *out)
{
    const ent_arg *a = ent__stmt_key(c->st, kid);
    *out = -1;
    if (!a) return required ? ent__act_err(c, 0, "missing %s=STATE", KEY(kid)) : 0;
    return ent__act_state_of(c, a->val, a->col, out);
}

int ent__act_key_date(ent_ctx *c, int kid, int required, ent_date *out)
{
    const ent_arg *a = ent__stmt_key(c->st, kid);
    *out = ENT_DATE_NONE;
    if (!a) return required ? ent__act_err(c, 0, "missing %s=YYYY-MM-DD", KEY(kid)) : 0;
    int r = ent__date_parse(a->val.p, a->val.n, out);
    if (r == -1) return ent__act_err(c, a->col, "%s= wants a date YYYY-MM-DD", KEY(kid));
    if (r == -2) return ent__act_err(c, a->col, "no such date: %.*s", (int)a->val.n, a->val.p);
    return 0;
}

int ent__act_key_int(ent_ctx *c, int kid, int required, long lo, long hi, long *out)
{
    const ent_arg *a = ent__stmt_key(c->st, kid);
    if (!a) {
        if (required) return ent__act_err(c, 0, "missing %s=NUMBER", KEY(kid));
        return 0;
    }
    long v = 0;
    int bad = !a->val.n || a->val.n > 9;
    for (uint32_t i = 0; !bad && i < a->val.n; i++) {
        unsigned d = (unsigned char)a->val.p[i] - '0';
        bad = d > 9;
        v = v * 10 + d;
    }
    if (bad) return ent__act_err(c, a->col, "%s= wants a whole number from %ld to %ld", KEY(kid), lo, hi);
    if (v < lo || v > hi) return ent__act_err(c, a->col, "%s=%ld is out of range (%ld to %ld)", KEY(kid), v, lo, hi);
    *out = v;
    return 0;
}

/* A new id from id=: it must not name a record yet. */
int ent__act_new_id(ent_ctx *c, ent_sym *out)
{
    const ent_arg *a = ent__stmt_key(c->st, ENT_K_ID);
    if (!a) return ent__act_err(c, 0, "missing id=ID");
    if (a->kind != ENT_ARG_WORD || !((a->val.p[0] | 32) >= 'a' && (a->val.p[0] | 32) <= 'z'))
        return ent__act_err(c, a->col, "an id is a word [A-Za-z][A-Za-z0-9_-]*");
    int k = ent__inst_new_id(c->s, a->val.p, a->val.n, out);
    if (k != ENT_REC_NONE) return ent__act_err(c, a->col, "duplicate id '%.*s'", (int)a->val.n, a->val.p);
    return *out ? 0 : ent__act_nomem(c);
}

/* The record named by the value of arg a, which must be of kind `want`. */
int ent__act_record_of(ent_ctx *c, const ent_arg *a, int want, const char *what, int32_t *idx)
{
    static const char *const kinds[] = { "", "a request", "a proposal", "a Security Council decision",
                                          "an exercise", "a standing operation", "an incident", "a dispute" };
    /* runs of lines name the same record (the votes on a proposal): one
    ** cached lookup (act.h has the hit path); records are never renumbered,
    ** so it never goes stale */
    ent_inst *s = c->s;
    ent_sym y;
    int k = ent__inst_record_sym(s, a->val.p, a->val.n, idx, &y);
    if (k == ENT_REC_NONE) return ent__act_err(c, a->col, "unknown id '%.*s'", (int)a->val.n, a->val.p);
    /* an act reads only what is dated on or before it (state.h), so that the
    ** state on any date is the fold of the events up to that date */
    ent_date made = k == ENT_REC_REQUEST    ? ENT_VEC_AT(&s->requests, ent_request, *idx).date
                    : k == ENT_REC_PROPOSAL ? ENT_VEC_AT(&s->proposals, ent_proposal, *idx).date
                    : k == ENT_REC_UNSC     ? ENT_VEC_AT(&s->auths, ent_authorization, *idx).date
                                            : ENT_DATE_NONE; /* other kinds: their module checks */
    s->rc_kind = (uint8_t)k;
    s->rc_idx = *idx;
    s->rc_n = a->val.n;
    s->rc_sym = y;
    s->rc_made = made;
    if (k != want)
        return ent__act_err(c, a->col, "'%.*s' is %s, not %s", (int)a->val.n, a->val.p,
                            k < (int)(sizeof kinds / sizeof kinds[0]) ? kinds[k] : "another kind of record", what);
    char b[11];
    if (made != ENT_DATE_NONE && made > c->d)
        return ent__act_err(c, a->col, "'%.*s' is dated %s, after this line", (int)a->val.n, a->val.p,
                            ent__act_day(made, b));
    return 0;
}

int ent__act_pos_record_slow(ent_ctx *c, int i, int want, const char *what, int32_t *idx)
{
    const ent_arg *a = ent__stmt_pos(c->st, i);
    if (!a) return ent__act_err(c, 0, "missing the id of %s", what);
    return ent__act_record_of(c, a, want, what, idx);
}

/* The i-th positional argument names a deployment (a deploy proposal). */
int ent__act_deployment_of(ent_ctx *c, int i, int32_t *idx)
{
    if (ent__act_pos_record(c, i, ENT_REC_PROPOSAL, "a deployment", idx)) return c->o->verdict;
    const ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, *idx);
    if (p->pkind != ENT_PK_DEPLOY) {
        const ent_arg *a = ent__stmt_pos(c->st, i);
        return ent__act_err(c, a->col, "'%.*s' is a proposal %s, not a deployment", (int)a->val.n, a->val.p,
                   p->pkind == ENT_PK_BASE ? "of a base" : p->pkind == ENT_PK_APPOINT ? "to appoint the Secretary General"
                   : p->pkind == ENT_PK_ADMIT ? "to admit a member" : "of a text");
    }
    return 0;
}

int ent__act_subject_body(ent_ctx *c, int *body)
{
    *body = ent__charter_body(c->s->charter, c->st->subject);
    if (*body < 0)
        return ent__act_err(c, c->st->col_subject, "'%.*s %.*s': the subject must be a body of the organization",
                   (int)c->st->subject.n, c->st->subject.p, (int)c->st->verb.n, c->st->verb.p);
    return 0;
}

/* The supreme body (the first declared: the CSC) decides the use of force,
** suspensions and appointments. */
int ent__act_is_supreme(ent_ctx *c, int body) { (void)c; return body == 0; }

const char *ent__act_supreme(ent_ctx *c)
{
    return c->s->charter->nbodies ? c->s->charter->bodies[0].code : "the supreme body";
}

ent_sym ent__act_text_sym(ent_ctx *c)
{
    if (!c->st->has_text || !c->st->text.n) return 0;
    return ent__text(c->s, c->st->text.p, c->st->text.n);
}

int ent__act_add_mchange(ent_ctx *c, ent_state_id st, int status)
{
    char b[11], b2[11];
    if (c->d < c->s->relied[st])
        return ent__act_err(c, 1, "%s's standing cannot change on %s: acts recorded up to %s rely on it",
                            ent__act_code(c, st), ent__act_day(c->d, b), ent__act_day(c->s->relied[st], b2));
    if (ent__inst_set_mstatus(c->s, st, c->d, status)) return ent__act_nomem(c);
    ent__inst_rely(c->s, st, c->d);
    return ENT_V_OK;
}

int ent__act_standing_refusal_slow(ent_ctx *c, ent_state_id st, const char *what)
{
    char b[11];
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms == ENT_MS_MEMBER) return 0;
    if (ms == ENT_MS_FROZEN)
        return ent__act_refuse(c, "consensus", "%s's participation is frozen on %s: a frozen member takes no part (%s)",
                      ent__act_code(c, st), ent__act_day(c->d, b), what);
    if (ms == ENT_MS_SUSPENDED)
        return ent__act_refuse(c, "members", "%s's membership is suspended on %s (%s)", ent__act_code(c, st), ent__act_day(c->d, b), what);
    if (ms == ENT_MS_OBSERVER || ms == ENT_MS_PARTNER)
        return ent__act_refuse(c, "statuses", "%s is %s, not a member, on %s (%s)", ent__act_code(c, st),
                      ms == ENT_MS_OBSERVER ? "an observer" : "a partner", ent__act_day(c->d, b), what);
    return ent__act_refuse(c, "members", "%s is not a member on %s (%s)", ent__act_code(c, st), ent__act_day(c->d, b), what);
}

int ent__act_add_breach(ent_ctx *c, const char *rule, int32_t pi, ent_state_id st, const char *fmt, ...)
{
    ent_breach *b = ent__vec_push(&c->s->breaches);
    if (!b) return ent__act_nomem(c);
    b->date = c->d;
    const ent_rule *r = ent__charter_rule(c->s->charter, rule);
    b->rule = r ? r->id : rule;
    b->proposal = pi;
    b->state = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->msg, sizeof b->msg, fmt, ap);
    va_end(ap);
    return ENT_V_OK;
}

int ent__act_skip_inactive(ent_ctx *c)
{
    return c->s->charter->rd_skip_inactive;
}

/* ------------------------------------------------------------------ */
/* Dispatch.                                                            */

static unsigned verb_hash(const char *p, size_t n)
{
    return ((unsigned)n * 7u + (unsigned char)p[0] * 3u + (unsigned char)p[n - 1] * 5u) & (ENT_VERB_SLOTS - 1);
}

/* Every verb table (act.h); a verb is found by (table, index) through the
** state's small hash, built at init. */
static const ent_verb *const tables[] = { ent__verbs_apply, ent__verbs_exercise, ent__verbs_register,
                                          ent__verbs_dispute, ent__verbs_relations, ent__verbs_conference,
                                          ent__verbs_articles, ent__verbs_members, ent__verbs_staff,
                                          ent__verbs_notes };

void ent__inst_index_verbs(ent_inst *s)
{
    memset(s->verb_slot, 0, sizeof s->verb_slot);
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (size_t i = 0; tables[t][i].name; i++) {
            unsigned h = verb_hash(tables[t][i].name, tables[t][i].len);
            while (s->verb_slot[h]) h = (h + 1) & (ENT_VERB_SLOTS - 1);
            s->verb_slot[h] = (uint16_t)((t << 8 | i) + 1);
        }
    }
}

/* The cache of src= lists found valid: a list of up to 16 bytes is two
** words (its first and last eight bytes, which overlap when it is shorter,
** or its first and last four) and its length, which together are its
** bytes; lines cite the same few lists. */
static int src_words(ent_str v, uint64_t *w0, uint64_t *w1)
{
    if (v.n == 0 || v.n > 16) return -1;
    *w0 = *w1 = 0;
    if (v.n >= 8) {
        memcpy(w0, v.p, 8);
        memcpy(w1, v.p + v.n - 8, 8);
    } else if (v.n >= 4) {
        memcpy(w0, v.p, 4);
        memcpy(w1, v.p + v.n - 4, 4);
    } else {
        for (uint32_t i = 0; i < v.n; i++) *w0 |= (uint64_t)(unsigned char)v.p[i] << (8 * i);
    }
    return (int)((((*w0 ^ *w1 * 0x9E3779B97F4A7C15ull) * 0xFF51AFD7ED558CCDull) >> 40) & (ENT_SRC_SLOTS - 1));
}

static int src_seen(const ent_inst *s, ent_str v)
{
    uint64_t w0, w1;
    int h = src_words(v, &w0, &w1);
    return h >= 0 && s->sc_n[h] == v.n && s->sc_w0[h] == w0 && s->sc_w1[h] == w1;
}

static void src_remember(ent_inst *s, ent_str v)
{
    uint64_t w0, w1;
    int h = src_words(v, &w0, &w1);
    if (h < 0) return;
    s->sc_w0[h] = w0;
    s->sc_w1[h] = w1;
    s->sc_n[h] = (uint8_t)v.n;
}

int ent__inst_apply(ent_inst *s, const ent_stmt *st, ent_outcome *o)
{
    ent_ctx c = { s, st, o, st->date, ENT_CTX_UNRESOLVED };
    o->verdict = ENT_V_OK; /* the rest is set only with a verdict */
    o->col = 0;
    o->rule = o->source = NULL;
    o->msg[0] = 0;
    if (st->date == ENT_DATE_NONE)
        return ent__act_err(&c, 1, "this line has no date and no line before it gave one");
    const ent_arg *src = st->src_at ? &st->args[st->src_at - 1] : NULL;
    if (src && !src_seen(s, src->val)) {
        ent_str bad;
        if (ent__charter_sources_check(s->charter, src->val, &bad))
            return ent__act_err(&c, (uint16_t)(src->col + 4 + (bad.p - src->val.p)), "unknown source tag '%.*s'",
                                (int)bad.n, bad.p);
        src_remember(s, src->val);
    }
    /* the verb through its slot in the state's small hash of verbs */
    if (st->verb.n) {
        for (unsigned h = verb_hash(st->verb.p, st->verb.n);; h = (h + 1) & (ENT_VERB_SLOTS - 1)) {
            int k = s->verb_slot[h];
            if (!k) break;
            const ent_verb *v = &tables[(k - 1) >> 8][(k - 1) & 0xFF];
            if (!ent__str_same((ent_str){ v->name, v->len }, st->verb)) continue;
            int r = v->fn(&c);
            if (r == ENT_V_OK) {
                ent__inst_rely(s, c.subj != ENT_CTX_UNRESOLVED ? c.subj : ent__world_find(s->world, st->subject), st->date);
                s->nevents++;
                if (s->last_date == ENT_DATE_NONE || st->date > s->last_date) s->last_date = st->date;
            }
            return r;
        }
    }
    return ent__act_err(&c, st->col_verb, "unknown verb '%.*s'", (int)st->verb.n, st->verb.p);
}
