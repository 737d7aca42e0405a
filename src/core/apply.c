/*
** apply.c: the acts and facts of the chronicle, checked against the charter.
**
** Each verb has a handler that (1) resolves its subject and arguments,
** reporting an input error with the column of the offending token, (2) checks
** the rules of the charter that govern it, refusing with the rule's id and
** citation, and only then (3) records it. A handler never changes the state
** before every check has passed, so a refused or malformed line changes
** nothing.
**
** Acts (requests, proposals, votes, appointments, contributions) are valid or
** refused. Facts (a contingent arrives or leaves) are always recorded; where
** one breaks the charter it is flagged as a breach.
**
** Rules are named by their charter id; a rule is enforced only while the
** charter declares it in force on the act's date (ent__charter_in_force).
** Every rule a charter declares needs a unit test named rule_<id>_*
** (tests/coverage/run.sh checks it).
*/
#include "state.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ent__inst_add_record(ent_inst *s, ent_sym y, int kind, int32_t index);
ent_state_id ent__inst_rotation_next(const ent_inst *s, ent_state_id after, ent_date d, int skip);

typedef struct ctx {
    ent_inst *s;
    const ent_stmt *st;
    ent_outcome *o;
    ent_date d;
} ctx;

/* ------------------------------------------------------------------ */
/* Outcomes.                                                            */

static int err(ctx *c, uint16_t col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int err(ctx *c, uint16_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->o->msg, sizeof c->o->msg, fmt, ap);
    va_end(ap);
    c->o->verdict = ENT_V_ERROR;
    c->o->col = col ? col : c->st->col_end; /* a missing argument: where it would go */
    return ENT_V_ERROR;
}

static int refuse(ctx *c, const char *rule, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(ctx *c, const char *rule, const char *fmt, ...)
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

static int nomem(ctx *c)
{
    snprintf(c->o->msg, sizeof c->o->msg, "out of memory");
    c->o->verdict = ENT_V_NOMEM;
    return ENT_V_NOMEM;
}

static int in_force(ctx *c, const char *rule) { return ent__charter_in_force(c->s->charter, rule, c->d); }

static const char *code(ctx *c, ent_state_id id)
{
    return id >= 0 ? c->s->world->states[id].code : "?";
}

static const char *day(ent_date d, char buf[11]) { return ent__date_format(d, buf); }

/* ------------------------------------------------------------------ */
/* Arguments.                                                           */

/* Every key= of the statement must be one of `keys` (space-separated). */
static int check_keys(ctx *c, const char *keys)
{
    for (int i = 0; i < c->st->nargs; i++) {
        const ent_arg *a = &c->st->args[i];
        if (!a->key.n || ent__str_eq(a->key, "src")) continue;
        /* scan the space-separated list comparing as we go */
        int ok = 0;
        for (const char *k = keys; *k && !ok;) {
            uint32_t j = 0;
            while (k[j] && k[j] != ' ' && j < a->key.n && k[j] == a->key.p[j]) j++;
            ok = j == a->key.n && (k[j] == ' ' || k[j] == 0);
            while (*k && *k != ' ') k++;
            while (*k == ' ') k++;
        }
        if (!ok)
            return err(c, a->col, "unknown argument '%.*s=' for '%.*s' (expected: %s)", (int)a->key.n,
                       a->key.p, (int)c->st->verb.n, c->st->verb.p, *keys ? keys : "none");
    }
    return 0;
}

static int max_pos(ctx *c, int n)
{
    const ent_arg *a = ent__stmt_pos(c->st, n);
    if (a)
        return err(c, a->col, "unexpected argument '%.*s' for '%.*s'", (int)a->val.n, a->val.p,
                   (int)c->st->verb.n, c->st->verb.p);
    return 0;
}

static int state_of(ctx *c, ent_str s, uint16_t col, ent_state_id *out)
{
    *out = ent__world_find(c->s->world, s);
    if (*out < 0) return err(c, col, "unknown state '%.*s'", (int)s.n, s.p);
    return 0;
}

/* The states of a list argument (key=A,B,C), in order; the column of a bad
** code points at it. */
static int state_list(ctx *c, const ent_arg *a, ent_state_id *out, int max, int *n)
{
    const char *p = a->val.p, *end = p + a->val.n;
    uint16_t col0 = (uint16_t)(a->col + (a->key.n ? a->key.n + 1 : 0));
    *n = 0;
    while (p < end) {
        const char *q = memchr(p, ',', (size_t)(end - p));
        if (!q) q = end;
        if (*n == max) return err(c, a->col, "at most %d states in %.*s=", max, (int)a->key.n, a->key.p);
        if (state_of(c, (ent_str){ p, (uint32_t)(q - p) }, (uint16_t)(col0 + (p - a->val.p)), &out[*n]))
            return c->o->verdict;
        (*n)++;
        p = q + 1;
    }
    return 0;
}

static int subject_state(ctx *c, ent_state_id *out)
{
    return state_of(c, c->st->subject, c->st->col_subject, out);
}

static int key_state(ctx *c, const char *key, int required, ent_state_id *out)
{
    const ent_arg *a = ent__stmt_key(c->st, key);
    *out = -1;
    if (!a) return required ? err(c, 0, "missing %s=STATE", key) : 0;
    return state_of(c, a->val, a->col, out);
}

static int key_date(ctx *c, const char *key, int required, ent_date *out)
{
    const ent_arg *a = ent__stmt_key(c->st, key);
    *out = ENT_DATE_NONE;
    if (!a) return required ? err(c, 0, "missing %s=YYYY-MM-DD", key) : 0;
    int r = ent__date_parse(a->val.p, a->val.n, out);
    if (r == -1) return err(c, a->col, "%s= wants a date YYYY-MM-DD", key);
    if (r == -2) return err(c, a->col, "no such date: %.*s", (int)a->val.n, a->val.p);
    return 0;
}

static int key_int(ctx *c, const char *key, int required, long lo, long hi, long *out)
{
    const ent_arg *a = ent__stmt_key(c->st, key);
    if (!a) {
        if (required) return err(c, 0, "missing %s=NUMBER", key);
        return 0;
    }
    long v = 0;
    if (!a->val.n || a->val.n > 9) return err(c, a->col, "%s= wants a whole number from %ld to %ld", key, lo, hi);
    for (uint32_t i = 0; i < a->val.n; i++) {
        char ch = a->val.p[i];
        if (ch < '0' || ch > '9')
            return err(c, a->col, "%s= wants a whole number from %ld to %ld", key, lo, hi);
        v = v * 10 + (ch - '0');
    }
    if (v < lo || v > hi) return err(c, a->col, "%s=%ld is out of range (%ld to %ld)", key, v, lo, hi);
    *out = v;
    return 0;
}

/* A new id from id=: it must not name a record yet. */
static int new_id(ctx *c, ent_sym *out)
{
    const ent_arg *a = ent__stmt_key(c->st, "id");
    if (!a) return err(c, 0, "missing id=ID");
    if (a->kind != ENT_ARG_WORD || !((a->val.p[0] | 32) >= 'a' && (a->val.p[0] | 32) <= 'z'))
        return err(c, a->col, "an id is a word [A-Za-z][A-Za-z0-9_-]*");
    int32_t idx;
    int k = ent__inst_record(c->s, a->val.p, a->val.n, &idx);
    if (k != ENT_REC_NONE) return err(c, a->col, "duplicate id '%.*s'", (int)a->val.n, a->val.p);
    *out = ent__sym(c->s, a->val.p, a->val.n);
    return *out ? 0 : nomem(c);
}

/* The record named by the value of arg a, which must be of kind `want`. */
static int record_of(ctx *c, const ent_arg *a, int want, const char *what, int32_t *idx)
{
    static const char *const kinds[] = { "", "a request", "a proposal", "a Security Council decision" };
    int k = ent__inst_record(c->s, a->val.p, a->val.n, idx);
    if (k == ENT_REC_NONE) return err(c, a->col, "unknown id '%.*s'", (int)a->val.n, a->val.p);
    if (k != want)
        return err(c, a->col, "'%.*s' is %s, not %s", (int)a->val.n, a->val.p, kinds[k], what);
    return 0;
}

static int pos_record(ctx *c, int i, int want, const char *what, int32_t *idx)
{
    const ent_arg *a = ent__stmt_pos(c->st, i);
    if (!a) return err(c, 0, "missing the id of %s", what);
    return record_of(c, a, want, what, idx);
}

/* The i-th positional argument names a deployment (a deploy proposal). */
static int deployment_of(ctx *c, int i, int32_t *idx)
{
    if (pos_record(c, i, ENT_REC_PROPOSAL, "a deployment", idx)) return c->o->verdict;
    const ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, *idx);
    if (p->pkind != ENT_PK_DEPLOY) {
        const ent_arg *a = ent__stmt_pos(c->st, i);
        return err(c, a->col, "'%.*s' is a proposal %s, not a deployment", (int)a->val.n, a->val.p,
                   p->pkind == ENT_PK_BASE ? "of a base" : "to appoint the Secretary General");
    }
    return 0;
}

static int subject_body(ctx *c, int *body)
{
    *body = ent__charter_body(c->s->charter, c->st->subject);
    if (*body < 0)
        return err(c, c->st->col_subject, "'%.*s %.*s': the subject must be a body of the organization",
                   (int)c->st->subject.n, c->st->subject.p, (int)c->st->verb.n, c->st->verb.p);
    return 0;
}

/* The supreme body (the first declared: the CSC) decides the use of force,
** suspensions and appointments. */
static int is_supreme(ctx *c, int body) { (void)c; return body == 0; }
static const char *supreme(ctx *c)
{
    return c->s->charter->nbodies ? c->s->charter->bodies[0].code : "the supreme body";
}

static ent_sym text_sym(ctx *c)
{
    if (!c->st->has_text || !c->st->text.n) return 0;
    return ent__text(c->s, c->st->text.p, c->st->text.n);
}

/* ------------------------------------------------------------------ */
/* Membership.                                                          */

static int add_mchange(ctx *c, ent_state_id st, int status)
{
    return ent__inst_set_mstatus(c->s, st, c->d, status) ? nomem(c) : ENT_V_OK;
}

static int standing_refusal(ctx *c, ent_state_id st, const char *what)
{
    char b[11];
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms == ENT_MS_MEMBER) return 0;
    if (ms == ENT_MS_FROZEN)
        return refuse(c, "consensus", "%s's participation is frozen on %s: a frozen member takes no part (%s)",
                      code(c, st), day(c->d, b), what);
    if (ms == ENT_MS_SUSPENDED)
        return refuse(c, "members", "%s's membership is suspended on %s (%s)", code(c, st), day(c->d, b), what);
    if (ms == ENT_MS_OBSERVER || ms == ENT_MS_PARTNER)
        return refuse(c, "statuses", "%s is %s, not a member, on %s (%s)", code(c, st),
                      ms == ENT_MS_OBSERVER ? "an observer" : "a partner", day(c->d, b), what);
    return refuse(c, "members", "%s is not a member on %s (%s)", code(c, st), day(c->d, b), what);
}

static int do_join(ctx *c)
{
    ent_state_id st;
    char b[11];
    if (subject_state(c, &st) || check_keys(c, "") || max_pos(c, 0)) return c->o->verdict;
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms != ENT_MS_NONE && ms != ENT_MS_FORMER && ms != ENT_MS_OBSERVER && ms != ENT_MS_PARTNER)
        return refuse(c, "members", "%s is already a member on %s (%s)", code(c, st), day(c->d, b),
                      ent__mstatus_name(ms));
    return add_mchange(c, st, ENT_MS_MEMBER);
}

static int do_leave_org(ctx *c)
{
    ent_state_id st;
    char b[11];
    if (subject_state(c, &st) || check_keys(c, "")) return c->o->verdict;
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms == ENT_MS_OBSERVER || ms == ENT_MS_PARTNER) /* gives up its status */
        return add_mchange(c, st, ENT_MS_NONE);
    if (ms == ENT_MS_NONE || ms == ENT_MS_FORMER)
        return refuse(c, "members", "%s is not a member on %s and cannot leave", code(c, st), day(c->d, b));
    return add_mchange(c, st, ENT_MS_FORMER);
}

static int do_suspend(ctx *c)
{
    int body;
    ent_state_id st;
    char b[11];
    if (subject_body(c, &body) || check_keys(c, "") || max_pos(c, 1)) return c->o->verdict;
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a) return err(c, 0, "missing the state to suspend");
    if (state_of(c, a->val, a->col, &st)) return c->o->verdict;
    if (!is_supreme(c, body))
        return refuse(c, "members", "only the %s suspends a member, not the %s", supreme(c),
                      c->s->charter->bodies[body].code);
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms != ENT_MS_MEMBER && ms != ENT_MS_FROZEN)
        return refuse(c, "members", "%s is not a member on %s and cannot be suspended", code(c, st),
                      day(c->d, b));
    return add_mchange(c, st, ENT_MS_SUSPENDED);
}

static int do_freeze(ctx *c, int freeze)
{
    ent_state_id st;
    char b[11];
    if (subject_state(c, &st) || check_keys(c, "") || max_pos(c, 0)) return c->o->verdict;
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (freeze && ms != ENT_MS_MEMBER)
        return refuse(c, "members", "%s cannot freeze its participation on %s: it is %s", code(c, st),
                      day(c->d, b), ms == ENT_MS_NONE ? "not a member" : ent__mstatus_name(ms));
    if (!freeze && ms != ENT_MS_FROZEN)
        return refuse(c, "members", "%s's participation is not frozen on %s", code(c, st), day(c->d, b));
    return add_mchange(c, st, freeze ? ENT_MS_FROZEN : ENT_MS_MEMBER);
}

/* ------------------------------------------------------------------ */
/* Chair (Charter art. 13; rotation in Russian alphabetical order).     */

static int skip_inactive(ctx *c)
{
    const char *v = ent__charter_switch(c->s->charter, "chair.skip-inactive");
    return !v || strcmp(v, "no") != 0;
}

static void rotation_text(ctx *c, char *buf, size_t n)
{
    buf[0] = 0;
    for (int i = 0; i < c->s->charter->nrotation; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, "%s%s", i ? ", " : "", c->s->charter->rotation[i]);
    }
}

static int do_chair(ctx *c)
{
    ent_state_id st;
    char b[11], rot[64];
    if (subject_state(c, &st) || check_keys(c, "")) return c->o->verdict;
    int kind = ENT_CHAIR_REGULAR;
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (a) {
        if (ent__str_eq(a->val, "temporary")) kind = ENT_CHAIR_TEMPORARY;
        else if (ent__str_eq(a->val, "exception")) kind = ENT_CHAIR_EXCEPTION;
        else return err(c, a->col, "'chair' takes 'temporary' or 'exception', not '%.*s'", (int)a->val.n, a->val.p);
        if (max_pos(c, 1)) return c->o->verdict;
    }
    if (in_force(c, "chair")) {
        int ms = ent__inst_mstatus(c->s, st, c->d);
        if (ms != ENT_MS_MEMBER)
            return refuse(c, "chair", "%s cannot take the chair on %s: it is %s", code(c, st), day(c->d, b),
                          ms == ENT_MS_FROZEN || ms == ENT_MS_SUSPENDED ? ent__mstatus_name(ms) : "not a member");
        if (kind == ENT_CHAIR_REGULAR) {
            /* the regular chair the day before: a temporary one does not
            ** move the rotation */
            const ent_chairing *ch = c->s->chairs.p;
            const ent_chairing *reg = NULL;
            for (size_t i = 0; i < c->s->chairs.len && ch[i].date < c->d; i++)
                if (ch[i].kind != ENT_CHAIR_TEMPORARY) reg = &ch[i];
            ent_state_id prev = -1;
            if (reg) {
                int k;
                prev = ent__inst_chair(c->s, c->d - 1, &k, NULL);
                if (k == ENT_CHAIR_TEMPORARY) prev = reg->state;
            }
            if (prev >= 0) {
                ent_state_id want = ent__inst_rotation_next(c->s, prev, c->d, skip_inactive(c));
                if (want >= 0 && want != st) {
                    rotation_text(c, rot, sizeof rot);
                    return refuse(c, "chair",
                                  "after %s the chair passes to %s in the rotation order %s, not to %s "
                                  "(a different chair needs 'exception': the Council decides otherwise)",
                                  code(c, prev), code(c, want), rot, code(c, st));
                }
            }
        }
    }
    ent_vec *v = &c->s->chairs;
    if (!ent__vec_push(v)) return nomem(c);
    ent_chairing *ch = v->p;
    size_t i = v->len - 1;
    while (i > 0 && ch[i - 1].date > c->d) {
        ch[i] = ch[i - 1];
        i--;
    }
    ch[i] = (ent_chairing){ c->d, st, (uint8_t)kind };
    return ENT_V_OK;
}

static int do_handover(ctx *c)
{
    int body;
    ent_date from;
    if (subject_body(c, &body) || check_keys(c, "from") || max_pos(c, 1)) return c->o->verdict;
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a || !ent__str_eq(a->val, "january-1"))
        return err(c, a ? a->col : 0, "'handover' takes 'january-1'");
    if (key_date(c, "from", 1, &from)) return c->o->verdict;
    if (!is_supreme(c, body))
        return refuse(c, "chair", "only the %s decides how its chair is handed over", supreme(c));
    if (from < c->d) return err(c, ent__stmt_key(c->st, "from")->col, "from= is before the decision's date");
    c->s->chair_auto_from = from;
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Secretary General (appointed by the CSC on the CMFA's recommendation,
** three years, rotation since 2017).                                   */

static int pos_is_sg(ctx *c)
{
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a || !ent__str_eq(a->val, "SG"))
        return err(c, a ? a->col : 0, "'%.*s' takes 'SG' as its first argument", (int)c->st->verb.n,
                   c->st->verb.p);
    return max_pos(c, 1);
}

static int do_recommend(ctx *c)
{
    int body;
    ent_state_id st;
    if (subject_body(c, &body) || check_keys(c, "state") || pos_is_sg(c) || key_state(c, "state", 1, &st))
        return c->o->verdict;
    if (in_force(c, "secretary-general") && strcmp(c->s->charter->bodies[body].code, "CMFA") != 0)
        return refuse(c, "secretary-general", "the CMFA recommends the Secretary General, not the %s",
                      c->s->charter->bodies[body].code);
    if (standing_refusal(c, st, "a Secretary General comes from a member state")) return c->o->verdict;
    ent_recommendation *r = ent__vec_push(&c->s->recs);
    if (!r) return nomem(c);
    *r = (ent_recommendation){ c->d, st, 0 };
    return ENT_V_OK;
}

static const ent_sgterm *sg_appointed(ctx *c, ent_date d)
{
    const ent_sgterm *t = ent__inst_sg(c->s, d);
    return t && !t->acting ? t : NULL;
}

/* Check an appointment of st as Secretary General for [from, to] by `body`
** on the act's date (CSC on the CMFA's recommendation, three years, rotation,
** the post free). *rec gets the recommendation it uses (or NULL). */
static int check_appointment(ctx *c, int body, ent_state_id st, ent_date from, ent_date to, ent_recommendation **rec)
{
    char b[11], b2[11], rot[64];
    int rule = in_force(c, "secretary-general");
    if (rule) {
        if (!is_supreme(c, body))
            return refuse(c, "secretary-general", "the %s appoints the Secretary General, not the %s",
                          supreme(c), c->s->charter->bodies[body].code);
        if (standing_refusal(c, st, "a Secretary General comes from a member state")) return c->o->verdict;
    }
    /* an appointment uses up the CMFA's recommendation for its state, whether
    ** or not the rule required one on its date */
    *rec = NULL;
    ent_recommendation *rr = c->s->recs.p;
    for (size_t i = 0; i < c->s->recs.len; i++)
        if (!rr[i].used && rr[i].state == st && rr[i].date <= c->d) *rec = &rr[i];
    const char *need = ent__charter_switch(c->s->charter, "sg.recommendation");
    if (rule && need && strcmp(need, "required") == 0 && !*rec)
        return refuse(c, "secretary-general", "no recommendation of the CMFA for a Secretary General from %s before %s",
                      code(c, st), day(c->d, b));
    /* three-year term and rotation: in force from the rotation decision */
    const ent_rule *r = ent__charter_rule(c->s->charter, "secretary-general");
    if (rule && r && r->from != ENT_DATE_NONE && from >= r->from) {
        int y, m, dd;
        ent__date_split(from, &y, &m, &dd);
        ent_date lim;
        if (ent__date_make(y + 3, m, m == 2 && dd == 29 ? 28 : dd, &lim) == 0 && to >= lim)
            return refuse(c, "secretary-general", "a Secretary General is appointed for three years: %s to %s is longer",
                          day(from, b), day(to, b2));
        const ent_sgterm *t = c->s->sgs.p, *prev = NULL;
        for (size_t i = 0; i < c->s->sgs.len; i++)
            if (!t[i].acting && t[i].from >= r->from && t[i].from < from) prev = &t[i];
        ent_state_id want;
        if (prev) {
            want = ent__inst_rotation_next(c->s, prev->state, from, skip_inactive(c));
        } else {
            ent_str first = { c->s->charter->rotation[0], 2 };
            want = c->s->charter->nrotation ? ent__world_find(c->s->world, first) : -1;
            if (want >= 0 && skip_inactive(c) && ent__inst_mstatus(c->s, want, from) != ENT_MS_MEMBER)
                want = ent__inst_rotation_next(c->s, want, from, 1);
        }
        if (want >= 0 && want != st) {
            rotation_text(c, rot, sizeof rot);
            return refuse(c, "secretary-general",
                          "the Secretary General's post rotates in the order %s: the next comes from %s, not %s",
                          rot, code(c, want), code(c, st));
        }
    }
    const ent_sgterm *cur = sg_appointed(c, from);
    if (rule && cur)
        return refuse(c, "secretary-general", "the post is held by %s until %s", ent__sym_str(c->s, cur->name),
                      day(cur->to, b));
    return ENT_V_OK;
}

static int add_sgterm(ctx *c, ent_date from, ent_date to, ent_state_id st, ent_sym name, ent_recommendation *rec)
{
    ent_sgterm *t = ent__vec_push(&c->s->sgs);
    if (!t) return nomem(c);
    *t = (ent_sgterm){ from, to, ENT_DATE_NONE, st, 0, name };
    if (rec) rec->used = 1;
    return ENT_V_OK;
}

/* The term and state of an appointment: state=, from= (default: the act's
** date), to=, and the "name". */
static int appointment_args(ctx *c, ent_state_id *st, ent_date *from, ent_date *to)
{
    if (key_state(c, "state", 1, st) || key_date(c, "from", 0, from) || key_date(c, "to", 1, to))
        return c->o->verdict;
    if (*from == ENT_DATE_NONE) *from = c->d;
    if (*to < *from) return err(c, ent__stmt_key(c->st, "to")->col, "to= is before from=");
    if (!c->st->has_text) return err(c, 0, "missing the Secretary General's \"name\"");
    return 0;
}

static int do_appoint(ctx *c)
{
    int body;
    ent_state_id st;
    ent_date from, to;
    ent_recommendation *rec;
    if (subject_body(c, &body) || check_keys(c, "state from to") || pos_is_sg(c) ||
        appointment_args(c, &st, &from, &to) || check_appointment(c, body, st, from, to, &rec))
        return c->o->verdict;
    ent_sym name = text_sym(c);
    if (!name) return nomem(c);
    return add_sgterm(c, from, to, st, name, rec);
}

static int do_extend(ctx *c)
{
    int body;
    ent_date to;
    char b[11];
    if (subject_body(c, &body) || check_keys(c, "to") || pos_is_sg(c) || key_date(c, "to", 1, &to))
        return c->o->verdict;
    if (in_force(c, "secretary-general") && !is_supreme(c, body))
        return refuse(c, "secretary-general", "only the %s extends the Secretary General's term", supreme(c));
    ent_sgterm *t = (ent_sgterm *)sg_appointed(c, c->d);
    if (!t) return refuse(c, "secretary-general", "no appointed Secretary General is in office on %s", day(c->d, b));
    if (to < t->to) return err(c, ent__stmt_key(c->st, "to")->col, "to= would shorten the term");
    t->to = to;
    return ENT_V_OK;
}

static int do_recall(ctx *c)
{
    ent_state_id st;
    char b[11];
    if (subject_state(c, &st) || check_keys(c, "") || pos_is_sg(c)) return c->o->verdict;
    ent_sgterm *t = (ent_sgterm *)sg_appointed(c, c->d);
    if (!t) return refuse(c, "secretary-general", "no appointed Secretary General is in office on %s", day(c->d, b));
    if (t->state != st)
        return refuse(c, "secretary-general", "%s cannot recall the Secretary General: %s is a citizen of %s",
                      code(c, st), ent__sym_str(c->s, t->name), code(c, t->state));
    t->ended = c->d;
    return ENT_V_OK;
}

static int do_acting(ctx *c)
{
    ent_state_id st = -1;
    char b[11];
    if (!ent__str_eq(c->st->subject, "SG"))
        return err(c, c->st->col_subject, "'acting' is said of the SG: 'SG acting \"name\"'");
    if (check_keys(c, "state") || max_pos(c, 0) || key_state(c, "state", 0, &st)) return c->o->verdict;
    if (!c->st->has_text) return err(c, 0, "missing the acting Secretary General's \"name\"");
    const ent_sgterm *cur = sg_appointed(c, c->d);
    if (cur && in_force(c, "secretary-general"))
        return refuse(c, "secretary-general", "the post is held by %s until %s: no acting Secretary General",
                      ent__sym_str(c->s, cur->name), day(cur->to, b));
    ent_sym name = text_sym(c);
    if (!name) return nomem(c);
    ent_sgterm *t = ent__vec_push(&c->s->sgs);
    if (!t) return nomem(c);
    *t = (ent_sgterm){ c->d, ENT_DATE_NONE, ENT_DATE_NONE, st, 1, name };
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Requests and UN Security Council decisions.                          */

static int do_request(ctx *c)
{
    ent_state_id st, host;
    ent_sym id;
    char b[11];
    if (subject_state(c, &st) || check_keys(c, "id article host") || max_pos(c, 1) ||
        key_state(c, "host", 0, &host))
        return c->o->verdict;
    const ent_arg *k = ent__stmt_pos(c->st, 0);
    if (!k || !(ent__str_eq(k->val, "assistance") || ent__str_eq(k->val, "consultations")))
        return err(c, k ? k->col : 0, "'request' takes 'assistance' or 'consultations'");
    /* a state requests only for itself: checked first, it is the point */
    if (in_force(c, "request") && host >= 0 && host != st)
        return refuse(c, "request",
                      "%s cannot request assistance on %s's territory: a state requests only for itself",
                      code(c, st), code(c, host));
    if (new_id(c, &id)) return c->o->verdict;
    if (standing_refusal(c, st, "only a member may request the organization's assistance")) return c->o->verdict;
    const ent_arg *art = ent__stmt_key(c->st, "article");
    const char *want = ent__charter_switch(c->s->charter, "request.article");
    if (in_force(c, "request") && ent__str_eq(k->val, "assistance") && want && strcmp(want, "any") != 0 &&
        (!art || !ent__str_eq(art->val, want)))
        return refuse(c, "request", "a request must invoke %s (switch request.article)", want);
    (void)b;
    ent_request *r = ent__vec_push(&c->s->requests);
    if (!r) return nomem(c);
    r->id = id;
    r->date = c->d;
    r->state = st;
    r->kind = ent__sym(c->s, k->val.p, k->val.n);
    r->article = art ? ent__sym(c->s, art->val.p, art->val.n) : 0;
    r->text = text_sym(c);
    r->status = ENT_REQ_OPEN;
    if (ent__inst_add_record(c->s, id, ENT_REC_REQUEST, (int32_t)(c->s->requests.len - 1))) return nomem(c);
    return ENT_V_OK;
}

static int do_authorize(ctx *c)
{
    ent_state_id host;
    ent_sym id;
    if (!ent__str_eq(c->st->subject, "UNSC"))
        return err(c, c->st->col_subject, "'authorize' is said of the UN Security Council: 'UNSC authorize ...'");
    if (check_keys(c, "id host") || max_pos(c, 0) || key_state(c, "host", 1, &host) || new_id(c, &id))
        return c->o->verdict;
    ent_authorization *a = ent__vec_push(&c->s->auths);
    if (!a) return nomem(c);
    *a = (ent_authorization){ id, c->d, host, text_sym(c) };
    if (ent__inst_add_record(c->s, id, ENT_REC_UNSC, (int32_t)(c->s->auths.len - 1))) return nomem(c);
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Proposals and votes (consensus; limited format).                     */

/* Fill the common fields of a new proposal and index it. */
static ent_proposal *new_proposal(ctx *c, ent_sym id, int body, const ent_arg *k, ent_state_id host, int kind)
{
    ent_proposal *p = ent__vec_push(&c->s->proposals);
    if (!p) return NULL;
    p->id = id;
    p->pkind = (uint8_t)kind;
    p->third = -1;
    p->established = ENT_DATE_NONE;
    p->date = c->d;
    p->body = (int8_t)body;
    p->kind = ent__sym(c->s, k->val.p, k->val.n);
    p->host = host;
    p->force = -1;
    p->request = -1;
    p->mandate = -1;
    p->text = text_sym(c);
    p->status = ENT_PROP_OPEN;
    p->closed = ENT_DATE_NONE;
    p->complete = ENT_DATE_NONE;
    p->un_notice = ENT_DATE_NONE;
    p->first_contrib = -1;
    if (c->d >= c->s->ms_last) {
        p->eligible = c->s->ms_active;
    } else {
        for (int i = 0; i < c->s->world->nstates; i++)
            if (ent__inst_mstatus(c->s, (ent_state_id)i, c->d) == ENT_MS_MEMBER) p->eligible |= 1ull << i;
    }
    if (ent__inst_add_record(c->s, id, ENT_REC_PROPOSAL, (int32_t)(c->s->proposals.len - 1))) return NULL;
    return p;
}

/* CSC propose base id=B host=MEMBER state=THIRD: a third state's military
** base on a member's territory; it needs every member's consent (bases). */
static int propose_base(ctx *c, int body, const ent_arg *k)
{
    ent_state_id host, third;
    ent_sym id;
    if (check_keys(c, "id host state") || key_state(c, "host", 1, &host) || key_state(c, "state", 1, &third))
        return c->o->verdict;
    if (in_force(c, "bases")) {
        if (!is_supreme(c, body))
            return refuse(c, "bases", "the members' consent to a base is given in the %s, not the %s", supreme(c),
                          c->s->charter->bodies[body].code);
        int hm = ent__inst_mstatus(c->s, host, c->d);
        if (hm != ENT_MS_MEMBER && hm != ENT_MS_FROZEN)
            return refuse(c, "bases", "%s is not a member: the rule on bases covers members' territory", code(c, host));
        int tm = ent__inst_mstatus(c->s, third, c->d);
        if (tm == ENT_MS_MEMBER || tm == ENT_MS_FROZEN || tm == ENT_MS_SUSPENDED)
            return refuse(c, "bases", "%s is a member: the rule covers a third state's base", code(c, third));
    }
    if (new_id(c, &id)) return c->o->verdict;
    ent_proposal *p = new_proposal(c, id, body, k, host, ENT_PK_BASE);
    if (!p) return nomem(c);
    p->third = third;
    return ENT_V_OK;
}

/* CSC propose appoint SG id=P state=KZ [from=] to= "name": the appointment
** as a decision put to the vote; adopted, it appoints (secretary-general;
** switch sg.limited-format). */
static int propose_appoint(ctx *c, int body, const ent_arg *k)
{
    ent_state_id st;
    ent_date from, to;
    ent_recommendation *rec;
    ent_sym id;
    const ent_arg *sg = ent__stmt_pos(c->st, 1);
    if (!sg || !ent__str_eq(sg->val, "SG"))
        return err(c, sg ? sg->col : 0, "'propose appoint' takes 'SG': 'CSC propose appoint SG id=P state=XX to=DATE \"name\"'");
    if (check_keys(c, "id state from to") || appointment_args(c, &st, &from, &to) ||
        check_appointment(c, body, st, from, to, &rec) || new_id(c, &id))
        return c->o->verdict;
    ent_proposal *p = new_proposal(c, id, body, k, -1, ENT_PK_APPOINT);
    if (!p) return nomem(c);
    p->third = st;
    p->term_from = from;
    p->term_to = to;
    return ENT_V_OK;
}

static int do_propose(ctx *c)
{
    int body;
    ent_state_id host;
    ent_sym id;
    long days = 0;
    int32_t req = -1, man = -1;
    char b[11];
    if (subject_body(c, &body) || max_pos(c, 2)) return c->o->verdict;
    const ent_arg *k = ent__stmt_pos(c->st, 0);
    if (!(k && ent__str_eq(k->val, "appoint")) && max_pos(c, 1)) return c->o->verdict;
    if (k && ent__str_eq(k->val, "base")) return propose_base(c, body, k);
    if (k && ent__str_eq(k->val, "appoint")) return propose_appoint(c, body, k);
    if (!k || !ent__str_eq(k->val, "deploy"))
        return err(c, k ? k->col : 0, "'propose' takes the kind of decision: 'deploy', 'base' or 'appoint'");
    if (check_keys(c, "id force host request days mandate")) return c->o->verdict;
    const ent_arg *fa = ent__stmt_key(c->st, "force");
    if (!fa) return err(c, 0, "missing force=FORCE");
    int force = ent__charter_force(c->s->charter, fa->val);
    if (force < 0) return err(c, fa->col, "unknown force '%.*s'", (int)fa->val.n, fa->val.p);
    if (key_state(c, "host", 1, &host) || key_int(c, "days", 0, 1, 3650, &days)) return c->o->verdict;
    const ent_arg *ra = ent__stmt_key(c->st, "request");
    if (ra && record_of(c, ra, ENT_REC_REQUEST, "a request", &req)) return c->o->verdict;
    const ent_arg *ma = ent__stmt_key(c->st, "mandate");
    if (ma && record_of(c, ma, ENT_REC_UNSC, "a Security Council decision", &man)) return c->o->verdict;
    /* use of force: the heads of state (the CSC) decide */
    if (in_force(c, "use-of-force") && !is_supreme(c, body))
        return refuse(c, "use-of-force", "the %s decides on the use of forces, not the %s", supreme(c),
                      c->s->charter->bodies[body].code);
    const ent_force *f = &c->s->charter->forces[force];
    if (in_force(c, "forces") && ((f->from != ENT_DATE_NONE && c->d < f->from) || (f->to != ENT_DATE_NONE && c->d > f->to)))
        return refuse(c, "forces", "the %s do not exist on %s", f->code, day(c->d, b));
    int host_member = ent__inst_mstatus(c->s, host, c->d);
    host_member = host_member == ENT_MS_MEMBER || host_member == ENT_MS_FROZEN;
    if (!host_member) {
        /* territory: outside the members only with a Security Council decision */
        const ent_authorization *au = man >= 0 ? &ENT_VEC_AT(&c->s->auths, ent_authorization, man) : NULL;
        if (in_force(c, "territory") && (!au || au->host != host || au->date > c->d))
            return refuse(c, "territory",
                          "%s is not a member: forces act on members' territory, elsewhere only with a decision "
                          "of the UN Security Council (mandate=ID)",
                          code(c, host));
    } else if (in_force(c, "request")) {
        const ent_request *r = req >= 0 ? &ENT_VEC_AT(&c->s->requests, ent_request, req) : NULL;
        if (!r)
            return refuse(c, "request",
                          "no request=: assistance is given only at the official request of the member on whose "
                          "territory it is given (%s)",
                          code(c, host));
        if (strcmp(ent__sym_str(c->s, r->kind), "assistance") != 0)
            return refuse(c, "request", "request %s asks for %s, not assistance: forces are deployed only on a request for assistance",
                          ent__sym_str(c->s, r->id), ent__sym_str(c->s, r->kind));
        if (r->state != host)
            return refuse(c, "request", "request %s is %s's, not %s's: assistance is given only at the request of the host",
                          ent__sym_str(c->s, r->id), code(c, r->state), code(c, host));
        if (r->date > c->d)
            return refuse(c, "request", "request %s is dated after the proposal", ent__sym_str(c->s, r->id));
        if (r->status != ENT_REQ_OPEN)
            return refuse(c, "request", "request %s has already been answered", ent__sym_str(c->s, r->id));
    }
    if (new_id(c, &id)) return c->o->verdict;
    ent_proposal *p = new_proposal(c, id, body, k, host, ENT_PK_DEPLOY);
    if (!p) return nomem(c);
    p->force = (int8_t)force;
    p->request = req;
    p->mandate = man;
    p->days = (int32_t)days;
    if (req >= 0) ENT_VEC_AT(&c->s->requests, ent_request, req).status = ENT_REQ_ANSWERED;
    return ENT_V_OK;
}

/* Close a proposal: one objection blocks; abstain and out do not; adopted in
** full when every member taking part said yes, else in a limited format that
** binds only those who said yes. */
static int close_proposal(ctx *c, ent_proposal *p)
{
    int yes = 0, no = 0, rest = 0;
    for (int i = 0; i < c->s->world->nstates; i++) {
        if (!(p->eligible >> i & 1)) continue;
        /* a member frozen or suspended since the proposal, that did not vote,
        ** takes no part: it is neither out nor counted */
        if (p->votes[i] == ENT_VOTE_NONE && ent__inst_mstatus(c->s, (ent_state_id)i, c->d) != ENT_MS_MEMBER) {
            p->eligible &= ~(1ull << i);
            continue;
        }
        if (p->votes[i] == ENT_VOTE_NONE) p->votes[i] = ENT_VOTE_OUT;
        yes += p->votes[i] == ENT_VOTE_YES;
        no += p->votes[i] == ENT_VOTE_NO;
        rest += p->votes[i] == ENT_VOTE_ABSTAIN || p->votes[i] == ENT_VOTE_OUT;
    }
    int quorum = ent__charter_switch_int(c->s->charter, "decision.quorum", 1);
    const char *lf = ent__charter_switch(c->s->charter, "decision.limited-format");
    int limited_ok = !lf || strcmp(lf, "forbidden") != 0;
    p->closed = c->d;
    if (p->pkind == ENT_PK_APPOINT) {
        const char *sl = ent__charter_switch(c->s->charter, "sg.limited-format");
        int sg_limited_ok = !sl || strcmp(sl, "forbidden") != 0;
        if (no) p->status = ENT_PROP_BLOCKED;
        else if (yes < quorum) p->status = ENT_PROP_LAPSED;
        else if (rest == 0) p->status = ENT_PROP_ADOPTED;
        else p->status = limited_ok && sg_limited_ok ? ENT_PROP_LIMITED : ENT_PROP_LAPSED;
        if (p->status == ENT_PROP_ADOPTED || p->status == ENT_PROP_LIMITED) {
            ent_recommendation *rec = NULL, *rr = c->s->recs.p;
            for (size_t i = 0; i < c->s->recs.len; i++)
                if (!rr[i].used && rr[i].state == p->third && rr[i].date <= c->d) rec = &rr[i];
            return add_sgterm(c, p->term_from, p->term_to, p->third, p->text, rec);
        }
        return ENT_V_OK;
    }
    if (p->pkind == ENT_PK_BASE && in_force(c, "bases")) {
        /* every member's official consent: abstaining or staying out is not consent */
        p->status = no ? ENT_PROP_BLOCKED : rest ? ENT_PROP_LAPSED : ENT_PROP_ADOPTED;
        return ENT_V_OK;
    }
    if (no) p->status = ENT_PROP_BLOCKED;
    else if (yes < quorum) p->status = ENT_PROP_LAPSED;
    else if (rest == 0) p->status = ENT_PROP_ADOPTED;
    else p->status = limited_ok ? ENT_PROP_LIMITED : ENT_PROP_LAPSED;
    if (p->pkind == ENT_PK_DEPLOY && p->mandate < 0 && (p->status == ENT_PROP_ADOPTED || p->status == ENT_PROP_LIMITED)) {
        /* territory: a host that left the organization since the proposal
        ** is a non-member; without a Security Council decision it lapses */
        int hm = ent__inst_mstatus(c->s, p->host, c->d);
        if (hm != ENT_MS_MEMBER && hm != ENT_MS_FROZEN && in_force(c, "territory")) p->status = ENT_PROP_LAPSED;
    }
    return ENT_V_OK;
}

static int do_vote(ctx *c)
{
    ent_state_id st;
    int32_t pi;
    char b[11], b2[11];
    if (subject_state(c, &st) || check_keys(c, "") || max_pos(c, 2) ||
        pos_record(c, 0, ENT_REC_PROPOSAL, "a proposal", &pi))
        return c->o->verdict;
    const ent_arg *va = ent__stmt_pos(c->st, 1);
    static const char *const names[] = { "yes", "no", "abstain", "out" };
    int v = 0;
    for (int i = 0; va && i < 4; i++)
        if (ent__str_eq(va->val, names[i])) v = i + 1;
    if (!v) return err(c, va ? va->col : 0, "a vote is yes, no, abstain or out");
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (c->d < p->date)
        return err(c, c->st->col_date ? c->st->col_date : 1, "the vote is dated before proposal %s (%s)",
                   ent__sym_str(c->s, p->id), day(p->date, b));
    if (standing_refusal(c, st, "only members vote")) return c->o->verdict;
    if (p->status != ENT_PROP_OPEN)
        return refuse(c, "consensus", "proposal %s is closed (%s on %s): no more votes", ent__sym_str(c->s, p->id),
                      ent__prop_status_name(p->status), day(p->closed, b2));
    if (!(p->eligible >> st & 1))
        return refuse(c, "members", "%s was not a member taking part when %s was proposed on %s", code(c, st),
                      ent__sym_str(c->s, p->id), day(p->date, b));
    if (p->votes[st] != ENT_VOTE_NONE)
        return refuse(c, "consensus", "%s has already voted %s on %s", code(c, st), ent__vote_name(p->votes[st]),
                      ent__sym_str(c->s, p->id));
    p->votes[st] = (uint8_t)v;
    /* one official objection blocks at once; else the last vote closes it */
    p->voted |= 1ull << st;
    /* pending: members taking part that have not voted and are still active
    ** members on the vote's date (one frozen since takes no part) */
    uint64_t waiting = p->eligible & ~p->voted;
    int pending = 0;
    if (c->d >= c->s->ms_last) {
        pending = waiting & c->s->ms_active ? 1 : 0;
    } else {
        for (int i = 0; waiting && i < c->s->world->nstates; i++)
            if ((waiting >> i & 1) && ent__inst_mstatus(c->s, (ent_state_id)i, c->d) == ENT_MS_MEMBER) pending++;
    }
    if (v == ENT_VOTE_NO || pending == 0) return close_proposal(c, p);
    return ENT_V_OK;
}

static int do_close(ctx *c)
{
    int body;
    int32_t pi;
    char b[11];
    if (subject_body(c, &body) || check_keys(c, "") || max_pos(c, 1) ||
        pos_record(c, 0, ENT_REC_PROPOSAL, "a proposal", &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (body != p->body)
        return refuse(c, "consensus", "%s was put to the %s; the %s cannot close it", ent__sym_str(c->s, p->id),
                      c->s->charter->bodies[p->body].code, c->s->charter->bodies[body].code);
    if (p->status != ENT_PROP_OPEN)
        return refuse(c, "consensus", "proposal %s is already closed (%s on %s)", ent__sym_str(c->s, p->id),
                      ent__prop_status_name(p->status), day(p->closed, b));
    if (c->d < p->date) return err(c, 1, "closed before it was proposed");
    return close_proposal(c, p);
}

/* ------------------------------------------------------------------ */
/* Deployments.                                                         */

static int adopted(const ent_proposal *p)
{
    return p->status == ENT_PROP_ADOPTED || p->status == ENT_PROP_LIMITED;
}

static ent_contrib *find_contrib(ctx *c, ent_proposal *p, ent_state_id st)
{
    ent_contrib *k = c->s->contribs.p;
    for (int32_t i = p->first_contrib; i >= 0; i = k[i].next)
        if (k[i].state == st) return &k[i];
    return NULL;
}

/* A new contingent of st for proposal pi, appended at the tail of the
** proposal's list so contingents list in order. Pointers into proposals
** stay valid; pointers into contribs do not. NULL on oom. */
static ent_contrib *add_contrib(ctx *c, int32_t pi, ent_state_id st)
{
    ent_contrib *k = ent__vec_push(&c->s->contribs);
    if (!k) return NULL;
    int32_t idx = (int32_t)(c->s->contribs.len - 1);
    *k = (ent_contrib){ pi, st, 0, c->d, ENT_DATE_NONE, ENT_DATE_NONE, -1 };
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (p->first_contrib < 0) {
        p->first_contrib = idx;
    } else {
        ent_contrib *all = c->s->contribs.p;
        int32_t t = p->first_contrib;
        while (all[t].next >= 0) t = all[t].next;
        all[t].next = idx;
    }
    return k;
}

static int do_contribute(ctx *c)
{
    ent_state_id st;
    int32_t pi;
    long troops;
    char b[11];
    if (subject_state(c, &st) || check_keys(c, "troops") || max_pos(c, 1) ||
        deployment_of(c, 0, &pi) || key_int(c, "troops", 1, 1, 10000000, &troops))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (!adopted(p) || p->closed > c->d)
        return refuse(c, "use-of-force", "%s is not an adopted deployment on %s (%s): no contingent without a decision",
                      ent__sym_str(c->s, p->id), day(c->d, b), ent__prop_status_name(p->status));
    /* a partner takes part in actions (Charter art. 4, 2018 protocols) */
    int partner = ent__inst_mstatus(c->s, st, c->d) == ENT_MS_PARTNER && in_force(c, "statuses");
    if (!partner && standing_refusal(c, st, "contingents come from members and partners")) return c->o->verdict;
    if (p->complete != ENT_DATE_NONE && p->complete <= c->d)
        return refuse(c, "mandate", "the mission %s was declared complete on %s", ent__sym_str(c->s, p->id),
                      day(p->complete, b));
    const ent_force *f = &c->s->charter->forces[p->force];
    if (in_force(c, "forces") && (long)p->troops + troops > f->strength)
        return refuse(c, "forces", "%ld more troops would bring %s to %ld, past the %s's strength of %d",
                      troops, ent__sym_str(c->s, p->id), (long)p->troops + troops, f->code, f->strength);
    ent_contrib *k = find_contrib(c, p, st);
    if (!k) {
        k = add_contrib(c, pi, st);
        if (!k) return nomem(c);
        p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    }
    k->troops += (int32_t)troops;
    p->troops += (int32_t)troops;
    return ENT_V_OK;
}

static int do_notify(ctx *c)
{
    int32_t pi;
    if (!ent__str_eq(c->st->subject, "SG") && ent__charter_body(c->s->charter, c->st->subject) < 0)
        return err(c, c->st->col_subject, "the Secretary General (SG) or a body notifies the UN Security Council");
    if (check_keys(c, "") || max_pos(c, 1) || deployment_of(c, 0, &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (!adopted(p)) return refuse(c, "un-notice", "%s is not an adopted operation", ent__sym_str(c->s, p->id));
    if (p->un_notice == ENT_DATE_NONE) p->un_notice = c->d;
    return ENT_V_OK;
}

static int add_breach(ctx *c, const char *rule, int32_t pi, ent_state_id st, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int add_breach(ctx *c, const char *rule, int32_t pi, ent_state_id st, const char *fmt, ...)
{
    ent_breach *b = ent__vec_push(&c->s->breaches);
    if (!b) return nomem(c);
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

static int do_arrive(ctx *c)
{
    ent_state_id st;
    int32_t pi;
    char b[11];
    if (subject_state(c, &st) || check_keys(c, "") || max_pos(c, 1) ||
        deployment_of(c, 0, &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    ent_contrib *k = find_contrib(c, p, st);
    if (k && k->arrived != ENT_DATE_NONE)
        return err(c, c->st->col_verb, "%s's contingent of %s already arrived on %s", code(c, st),
                   ent__sym_str(c->s, p->id), day(k->arrived, b));
    /* a fact: recorded as it happened, flagged where it breaks the charter */
    const char *host = code(c, p->host);
    if (!adopted(p) || p->closed > c->d) {
        if (add_breach(c, "use-of-force", pi, st, "%s forces on %s's territory for %s without a decision (%s)",
                       code(c, st), host, ent__sym_str(c->s, p->id), ent__prop_status_name(p->status)))
            return c->o->verdict;
    }
    if (!k) {
        if (add_breach(c, "forces", pi, st, "%s forces arrived in %s for %s without a contribution to the operation",
                       code(c, st), host, ent__sym_str(c->s, p->id)))
            return c->o->verdict;
        k = add_contrib(c, pi, st);
        if (!k) return nomem(c);
        p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    }
    int ms = ent__inst_mstatus(c->s, p->host, c->d);
    if (ms != ENT_MS_MEMBER && ms != ENT_MS_FROZEN && p->mandate < 0) {
        if (add_breach(c, "territory", pi, st, "%s forces on the territory of %s, not a member, without a UN Security Council decision",
                       code(c, st), host))
            return c->o->verdict;
    }
    k->arrived = c->d;
    return ENT_V_OK;
}

static int do_complete(ctx *c)
{
    int32_t pi;
    char b[11];
    if (check_keys(c, "") || max_pos(c, 1) || deployment_of(c, 0, &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    ent_state_id st = ent__world_find(c->s->world, c->st->subject);
    int body = ent__charter_body(c->s->charter, c->st->subject);
    if (st < 0 && body < 0) return err(c, c->st->col_subject, "unknown state or body '%.*s'", (int)c->st->subject.n, c->st->subject.p);
    if (!adopted(p)) return refuse(c, "mandate", "%s is not an adopted deployment", ent__sym_str(c->s, p->id));
    if (st >= 0 && st != p->host)
        return refuse(c, "mandate", "%s is not the host of %s: the host (%s) or the %s declares the mission complete",
                      code(c, st), ent__sym_str(c->s, p->id), code(c, p->host), supreme(c));
    if (body >= 0 && !is_supreme(c, body))
        return refuse(c, "mandate", "the host or the %s declares a mission complete, not the %s", supreme(c),
                      c->s->charter->bodies[body].code);
    if (p->complete != ENT_DATE_NONE)
        return refuse(c, "mandate", "%s was already declared complete on %s", ent__sym_str(c->s, p->id), day(p->complete, b));
    if (c->d < p->closed) return err(c, 1, "dated before the decision on %s", ent__sym_str(c->s, p->id));
    p->complete = c->d;
    return ENT_V_OK;
}

static int do_leave_deployment(ctx *c)
{
    ent_state_id st;
    int32_t pi;
    char b[11], b2[11];
    if (subject_state(c, &st) || check_keys(c, "") || max_pos(c, 1) ||
        deployment_of(c, 0, &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    ent_contrib *k = find_contrib(c, p, st);
    if (!k || k->arrived == ENT_DATE_NONE)
        return err(c, c->st->col_verb, "%s has no contingent of %s on %s's territory", code(c, st),
                   ent__sym_str(c->s, p->id), code(c, p->host));
    if (k->left != ENT_DATE_NONE)
        return err(c, c->st->col_verb, "%s's contingent already left on %s", code(c, st), day(k->left, b));
    if (c->d < k->arrived) return err(c, 1, "dated before the contingent arrived (%s)", day(k->arrived, b));
    ent_date end = ent__mission_end(p);
    if (end != ENT_DATE_NONE && ent__charter_in_force(c->s->charter, "mandate", end)) {
        int wd = ent__charter_switch_int(c->s->charter, "mandate.withdrawal-days", 10);
        if (c->d > end + wd) {
            int32_t ppi = pi;
            if (add_breach(c, "mandate", ppi, st,
                           "%s's contingent left %s on %s, %d day(s) after the withdrawal period ended on %s",
                           code(c, st), code(c, p->host), day(c->d, b), c->d - (end + wd), day(end + wd, b2)))
                return c->o->verdict;
            p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
            k = find_contrib(c, p, st);
        }
    }
    k->left = c->d;
    return ENT_V_OK;
}

static int do_leave(ctx *c)
{
    return ent__stmt_npos(c->st) > 0 ? do_leave_deployment(c) : do_leave_org(c);
}

static int do_freeze_v(ctx *c) { return do_freeze(c, 1); }
static int do_unfreeze_v(ctx *c) { return do_freeze(c, 0); }

/* ------------------------------------------------------------------ */
/* Transit, bases, statuses.                                            */

static int has_consent(ctx *c, int32_t pi, ent_state_id st)
{
    const ent_consent *k = c->s->consents.p;
    for (size_t i = 0; i < c->s->consents.len; i++)
        if (k[i].proposal == pi && k[i].state == st && k[i].date <= c->d) return 1;
    return 0;
}

/* GE consent D1: a state not bound by the organization's transit
** arrangements consents to the passage of D1's contingents. */
static int do_consent(ctx *c)
{
    ent_state_id st;
    int32_t pi;
    if (subject_state(c, &st) || check_keys(c, "") || max_pos(c, 1) || deployment_of(c, 0, &pi))
        return c->o->verdict;
    if (has_consent(c, pi, st)) return err(c, c->st->col_verb, "%s has already consented", code(c, st));
    ent_consent *k = ent__vec_push(&c->s->consents);
    if (!k) return nomem(c);
    *k = (ent_consent){ pi, st, c->d };
    return ENT_V_OK;
}

/* RU transit D1 via=GE[,...]: RU's contingent crosses these states on its
** way to the host. Each hop must be a land border or sea link; a state on
** the route that is not an active member must have consented (transit). */
static int do_transit(ctx *c)
{
    ent_state_id st;
    int32_t pi;
    char b[11];
    if (subject_state(c, &st) || check_keys(c, "via") || max_pos(c, 1) || deployment_of(c, 0, &pi))
        return c->o->verdict;
    const ent_arg *va = ent__stmt_key(c->st, "via");
    if (!va) return err(c, 0, "missing via=STATE[,STATE...]");
    ent_transit t;
    memset(&t, 0, sizeof t);
    int nvia;
    if (state_list(c, va, t.via, 8, &nvia)) return c->o->verdict;
    t.nvia = (uint8_t)nvia;
    const ent_proposal *pr = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (!(pr->status == ENT_PROP_ADOPTED || pr->status == ENT_PROP_LIMITED) || pr->closed > c->d)
        return refuse(c, "use-of-force", "%s is not an adopted deployment on %s: no movement of forces without a decision",
                      ent__sym_str(c->s, pr->id), day(c->d, b));
    if (in_force(c, "transit")) {
        ent_state_id prev = st;
        for (int i = 0; i <= t.nvia; i++) {
            ent_state_id next = i < t.nvia ? t.via[i] : pr->host;
            int l = ent__world_adjacent(c->s->world, prev, next);
            if (l < 0 || c->s->world->links[l].closed)
                return refuse(c, "transit", "no open land border or sea link from %s to %s on the route", code(c, prev),
                              code(c, next));
            prev = next;
        }
        for (int i = 0; i < t.nvia; i++) {
            int active = ent__inst_mstatus(c->s, t.via[i], c->d) == ENT_MS_MEMBER;
            /* since the transit protocols, a member that is not a party
            ** authorises each passage itself */
            int party = c->s->transit_from == ENT_DATE_NONE || c->d < c->s->transit_from ||
                        (c->s->transit_parties >> t.via[i] & 1);
            if (active && !party && !has_consent(c, pi, t.via[i]))
                return refuse(c, "transit", "%s is not a party to the transit protocols of %s and has not authorised the transit of %s ('%s consent %s')",
                              code(c, t.via[i]), day(c->s->transit_from, b), ent__sym_str(c->s, pr->id),
                              code(c, t.via[i]), ent__sym_str(c->s, pr->id));
            if (active) continue;
            if (!has_consent(c, pi, t.via[i]))
                return refuse(c, "transit", "%s is not an active member and has not consented to the transit of %s ('%s consent %s')",
                              code(c, t.via[i]), ent__sym_str(c->s, pr->id), code(c, t.via[i]), ent__sym_str(c->s, pr->id));
        }
    }
    t.proposal = pi;
    t.state = st;
    t.date = c->d;
    ent_transit *nt = ent__vec_push(&c->s->transits);
    if (!nt) return nomem(c);
    *nt = t;
    return ENT_V_OK;
}

/* CN establish B1: fact: the third state sets up the base. */
static int do_establish(ctx *c)
{
    ent_state_id st;
    int32_t pi;
    if (subject_state(c, &st) || check_keys(c, "") || max_pos(c, 1) ||
        pos_record(c, 0, ENT_REC_PROPOSAL, "a proposal of a base", &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (p->pkind != ENT_PK_BASE)
        return err(c, ent__stmt_pos(c->st, 0)->col, "'%s' is a deployment, not a proposal of a base", ent__sym_str(c->s, p->id));
    if (p->established != ENT_DATE_NONE) return err(c, c->st->col_verb, "the base was already established");
    if (st != p->third)
        return err(c, c->st->col_subject, "%s's base: the proposal is for %s", code(c, st), code(c, p->third));
    if (p->status != ENT_PROP_ADOPTED || p->closed > c->d) {
        if (add_breach(c, "bases", pi, st, "%s base on %s's territory without the consent of every member (%s: %s)",
                       code(c, st), code(c, p->host), ent__sym_str(c->s, p->id), ent__prop_status_name(p->status)))
            return c->o->verdict;
        p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    }
    p->established = c->d;
    return ENT_V_OK;
}

/* CSC grant observer|partner state=XX (Charter arts. 4, 21, 2018 protocols). */
static int do_grant(ctx *c)
{
    int body;
    ent_state_id st;
    char b[11];
    if (subject_body(c, &body) || check_keys(c, "state") || max_pos(c, 1) || key_state(c, "state", 1, &st))
        return c->o->verdict;
    const ent_arg *k = ent__stmt_pos(c->st, 0);
    int status = 0;
    if (k && ent__str_eq(k->val, "observer")) status = ENT_MS_OBSERVER;
    if (k && ent__str_eq(k->val, "partner")) status = ENT_MS_PARTNER;
    if (!status) return err(c, k ? k->col : 0, "'grant' takes 'observer' or 'partner'");
    const ent_rule *r = ent__charter_rule(c->s->charter, "statuses");
    if (!r) return refuse(c, "statuses", "the charter has no observer or partner status");
    if (!in_force(c, "statuses"))
        return refuse(c, "statuses", "observer and partner statuses exist from %s", day(r->from, b));
    if (!is_supreme(c, body))
        return refuse(c, "statuses", "the %s grants observer and partner status, not the %s", supreme(c),
                      c->s->charter->bodies[body].code);
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms == ENT_MS_MEMBER || ms == ENT_MS_FROZEN || ms == ENT_MS_SUSPENDED)
        return refuse(c, "statuses", "%s is a member on %s", code(c, st), day(c->d, b));
    if (ms == status) return refuse(c, "statuses", "%s already has that status", code(c, st));
    return add_mchange(c, st, status);
}

/* CSC protocol transit parties=BY,KZ,... : the transit protocols (Astana,
** 2024): passage across a party is authorised within 24 h without a consent
** of its own; a member that is not a party authorises each passage. */
static int do_protocol(ctx *c)
{
    int body;
    if (subject_body(c, &body) || check_keys(c, "parties") || max_pos(c, 1)) return c->o->verdict;
    const ent_arg *k = ent__stmt_pos(c->st, 0);
    if (!k || !ent__str_eq(k->val, "transit")) return err(c, k ? k->col : 0, "'protocol' takes 'transit'");
    const ent_arg *pa = ent__stmt_key(c->st, "parties");
    if (!pa) return err(c, 0, "missing parties=STATE,...");
    uint64_t mask = 0;
    ent_state_id parties[ENT_MAX_STATES];
    int n;
    if (state_list(c, pa, parties, ENT_MAX_STATES, &n)) return c->o->verdict;
    for (int i = 0; i < n; i++) {
        if (standing_refusal(c, parties[i], "only members are parties to the organization's protocols"))
            return c->o->verdict;
        mask |= 1ull << parties[i];
    }
    if (!is_supreme(c, body))
        return refuse(c, "transit", "the protocols are signed at the %s, not the %s", supreme(c),
                      c->s->charter->bodies[body].code);
    c->s->transit_parties = mask;
    c->s->transit_from = c->d;
    return ENT_V_OK;
}

/* KZ convene CSC [extraordinary] "agenda": the chair convenes the Council's
** sessions (Charter art. 13; the chairing state leads the Permanent Council). */
static int do_convene(ctx *c)
{
    ent_state_id st;
    char b[11];
    if (subject_state(c, &st) || check_keys(c, "") || max_pos(c, 2)) return c->o->verdict;
    const ent_arg *ba = ent__stmt_pos(c->st, 0);
    if (!ba) return err(c, 0, "missing the body to convene");
    int body = ent__charter_body(c->s->charter, ba->val);
    if (body < 0) return err(c, ba->col, "unknown body '%.*s'", (int)ba->val.n, ba->val.p);
    const ent_arg *xa = ent__stmt_pos(c->st, 1);
    if (xa && !ent__str_eq(xa->val, "extraordinary") && !ent__str_eq(xa->val, "regular"))
        return err(c, xa->col, "a session is 'regular' or 'extraordinary'");
    if (in_force(c, "chair")) {
        ent_state_id chair = ent__inst_chair(c->s, c->d, NULL, NULL);
        if (chair != st)
            return refuse(c, "chair", "%s does not chair the organization on %s (%s%s): the chair convenes the %s",
                          code(c, st), day(c->d, b), chair >= 0 ? "the chair is " : "no chair is recorded",
                          chair >= 0 ? code(c, chair) : "", c->s->charter->bodies[body].code);
        if (standing_refusal(c, st, "the chair convenes")) return c->o->verdict;
    }
    ent_session *x = ent__vec_push(&c->s->sessions);
    if (!x) return nomem(c);
    *x = (ent_session){ c->d, (int8_t)body, st, xa && ent__str_eq(xa->val, "extraordinary"), text_sym(c) };
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Dispatch.                                                            */

typedef struct verb {
    const char *name;
    uint8_t len;
    int (*fn)(ctx *);
} verb;

#define V(name, fn) { name, sizeof name - 1, fn }


static const verb verbs[] = {
    V("acting", do_acting), V("appoint", do_appoint), V("arrive", do_arrive),
    V("authorize", do_authorize), V("chair", do_chair), V("close", do_close),
    V("complete", do_complete), V("consent", do_consent), V("contribute", do_contribute),
    V("convene", do_convene), V("establish", do_establish), V("extend", do_extend),
    V("freeze", do_freeze_v), V("grant", do_grant), V("handover", do_handover),
    V("join", do_join), V("leave", do_leave), V("notify-un", do_notify),
    V("propose", do_propose), V("protocol", do_protocol), V("recall", do_recall),
    V("recommend", do_recommend), V("request", do_request), V("suspend", do_suspend),
    V("transit", do_transit), V("unfreeze", do_unfreeze_v), V("vote", do_vote),
};

static unsigned verb_hash(const char *p, size_t n)
{
    return ((unsigned)n * 7u + (unsigned char)p[0] * 3u + (unsigned char)p[n - 1] * 5u) & (ENT_VERB_SLOTS - 1);
}

void ent__inst_index_verbs(ent_inst *s)
{
    memset(s->verb_slot, 0, sizeof s->verb_slot);
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        unsigned h = verb_hash(verbs[i].name, verbs[i].len);
        while (s->verb_slot[h]) h = (h + 1) & (ENT_VERB_SLOTS - 1);
        s->verb_slot[h] = (uint8_t)(i + 1);
    }
}

int ent__inst_apply(ent_inst *s, const ent_stmt *st, ent_outcome *o)
{
    ctx c = { s, st, o, st->date };
    o->verdict = ENT_V_OK; /* the rest is set only with a verdict */
    o->col = 0;
    o->rule = o->source = NULL;
    o->msg[0] = 0;
    if (st->date == ENT_DATE_NONE)
        return err(&c, 1, "this line has no date and no line before it gave one");
    for (int i = 0; i < st->nargs; i++) {
        const ent_arg *a = &st->args[i];
        if (!ent__str_eq(a->key, "src")) continue;
        /* runs of lines cite the same sources: remember the last good list */
        if (a->val.n == s->src_ok_n && memcmp(a->val.p, s->src_ok, a->val.n) == 0) continue;
        const char *p = a->val.p, *end = p + a->val.n;
        while (p < end) {
            const char *q = memchr(p, ',', (size_t)(end - p));
            if (!q) q = end;
            ent_str tag = { p, (uint32_t)(q - p) };
            if (!ent__charter_source(s->charter, tag))
                return err(&c, (uint16_t)(a->col + 4 + (p - a->val.p)), "unknown source tag '%.*s'", (int)tag.n, tag.p);
            p = q + 1;
        }
        if (a->val.n <= sizeof s->src_ok) {
            memcpy(s->src_ok, a->val.p, a->val.n);
            s->src_ok_n = (uint8_t)a->val.n;
        }
    }
    /* the verb through its slot in the state's small hash of verbs */
    if (st->verb.n) {
        for (unsigned h = verb_hash(st->verb.p, st->verb.n);; h = (h + 1) & (ENT_VERB_SLOTS - 1)) {
            int k = s->verb_slot[h];
            if (!k) break;
            const verb *v = &verbs[k - 1];
            if (v->len != st->verb.n || memcmp(v->name, st->verb.p, v->len) != 0) continue;
            int r = v->fn(&c);
            if (r == ENT_V_OK) {
                s->nevents++;
                if (s->last_date == ENT_DATE_NONE || st->date > s->last_date) s->last_date = st->date;
            }
            return r;
        }
    }
    return err(&c, st->col_verb, "unknown verb '%.*s'", (int)st->verb.n, st->verb.p);
}
