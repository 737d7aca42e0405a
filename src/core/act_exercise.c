/*
** act_exercise.c: joint exercises and standing operations (csto-facts s.3,
** "Regular exercises and operations"; docs/rules.md#exercises).
**
**     CSC plan exercises year=2023 "text"                  a yearly plan
**     KG exercise id=X kind=KIND from=D to=D [participants=TJ,...]
**        [observers=...] [place="..."] "name"              an exercise (or year=YYYY
**                                                          when only the year is known)
**     KG accept X state=TJ[,KZ]                            the host accepts participants
**     KG cancel X "reason"                                 the host cancels it
**     CSC operation id=K kind=anti-drug "name"             a standing operation
**     K report year=2024 "text"                            its results of a year
**
** Rule `exercises`: the host is an active member; the participants are
** active members accepted by the host (those it lists on the exercise line
** count as accepted); only the host accepts participants and cancels, and
** only before the exercise starts. The hosts' yearly rotation (S120) is cited
** but not enforced: the fact sheet gives no order, and Kyrgyzstan hosted
** Indestructible Brotherhood in 2022 (cancelled) and again in 2023.
**
** Every handler resolves its arguments, checks the rule, and only then
** changes the state (act.h).
*/
#include "act.h"

#include <stdio.h>
#include <string.h>


static const char *const kinds[] = { "interaction", "search",  "echelon", "cobalt", "thunder",
                                     "indestructible-brotherhood", "rubezh", "barrier", "rock" };
#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

const char *ent__exercise_kind_name(int kind) { return kind >= 0 && kind < NKINDS ? kinds[kind] : "?"; }

/* The first day on which the exercise may no longer be changed: its start,
** or, when only its year is known, the day after that year. */
static ent_date ex_start(const ent_exercise *e) { return e->by_year ? e->to + 1 : e->from; }

const char *ent__exercise_status(const ent_exercise *e, ent_date d)
{
    if (e->cancelled != ENT_DATE_NONE && e->cancelled <= d) return "cancelled";
    if (d > e->to) return "held";
    if (d < e->from) return "planned";
    return e->by_year ? "in-year" : "under-way";
}

/* ------------------------------------------------------------------ */
/* Arguments.                                                           */

static int year_of(ent_date d)
{
    int y, m, dd;
    ent__date_split(d, &y, &m, &dd);
    return y;
}

/* The record named by `a` (its text, its column), of kind `want`, dated on
** or before the act. */
static int record_named(ent_ctx *c, ent_str name, uint16_t col, int want, int32_t *idx)
{
    int k = ent__inst_record(c->s, name.p, name.n, idx);
    const char *what = want == ENT_REC_EXERCISE ? "an exercise" : "a standing operation";
    if (k == ENT_REC_NONE) return ent__act_err(c, col, "unknown id '%.*s'", (int)name.n, name.p);
    if (k != want) return ent__act_err(c, col, "'%.*s' is not %s", (int)name.n, name.p, what);
    ent_date made = want == ENT_REC_EXERCISE ? ENT_VEC_AT(&c->s->exercises, ent_exercise, *idx).date
                                             : ENT_VEC_AT(&c->s->operations, ent_operation, *idx).date;
    char b[11];
    if (made > c->d)
        return ent__act_err(c, col, "'%.*s' is dated %s, after this line", (int)name.n, name.p, ent__act_day(made, b));
    return 0;
}

static int pos_exercise(ent_ctx *c, int32_t *idx)
{
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a) return ent__act_err(c, 0, "missing the id of an exercise");
    return record_named(c, a->val, a->col, ENT_REC_EXERCISE, idx);
}

/* A list of states as a bit set; `what` names the list in messages. */
static int state_set(ent_ctx *c, int kid, uint64_t *out)
{
    const char *key = ent__key_name(kid);
    ent_state_id ids[ENT_MAX_STATES];
    int n = 0;
    *out = 0;
    const ent_arg *a = ent__stmt_key(c->st, kid);
    if (!a) return 0;
    if (ent__act_state_list(c, a, ids, ENT_MAX_STATES, &n)) return c->o->verdict;
    for (int i = 0; i < n; i++) {
        if (*out >> ids[i] & 1) return ent__act_err(c, a->col, "%s appears twice in %s=", ent__act_code(c, ids[i]), key);
        *out |= 1ull << ids[i];
    }
    return 0;
}

/* Refuse (rule exercises) unless st is an active member on the act's date. */
static int active_member(ent_ctx *c, ent_state_id st, const char *role)
{
    char b[11];
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms == ENT_MS_MEMBER) return 0;
    return ent__act_refuse(c, "exercises", "%s cannot %s on %s: it is %s, not an active member", ent__act_code(c, st),
                           role, ent__act_day(c->d, b),
                           ms == ENT_MS_NONE ? "not a member" : ms == ENT_MS_OBSERVER ? "an observer"
                           : ms == ENT_MS_PARTNER ? "a partner" : ent__mstatus_name(ms));
}

/* ------------------------------------------------------------------ */
/* Plans and exercises.                                                 */

static int do_plan(ent_ctx *c)
{
    int body;
    long year = 0;
    char b[11];
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "year") || ent__act_max_pos(c, 1)) return c->o->verdict;
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a || !ent__str_eq(a->val, "exercises"))
        return ent__act_err(c, a ? a->col : 0, "'plan' takes 'exercises': 'CSC plan exercises year=YYYY \"text\"'");
    if (ent__act_key_int(c, ENT_K_YEAR, 1, 1900, 9999, &year)) return c->o->verdict;
    const ent_explan *p = c->s->explans.p;
    for (size_t i = 0; i < c->s->explans.len; i++)
        if (p[i].year == year)
            return ent__act_err(c, ent__stmt_key(c->st, ENT_K_YEAR)->col, "a plan of exercises for %ld was recorded on %s", year,
                                ent__act_day(p[i].date, b));
    ent_explan *n = ent__vec_push(&c->s->explans);
    if (!n) return ent__act_nomem(c);
    *n = (ent_explan){ (int32_t)year, c->d, (int8_t)body, ent__act_text_sym(c) };
    return ENT_V_OK;
}

static int do_exercise(ent_ctx *c)
{
    ent_state_id host;
    ent_date from, to;
    long year = 0;
    uint64_t part, obs;
    ent_sym id;
    if (ent__act_subject_state(c, &host) || ent__act_check_keys(c, "id kind from to year participants observers place") ||
        ent__act_max_pos(c, 0))
        return c->o->verdict;
    const ent_arg *k = ent__stmt_key(c->st, ENT_K_KIND);
    if (!k) return ent__act_err(c, 0, "missing kind=KIND");
    int kind = -1;
    for (int i = 0; i < NKINDS; i++)
        if (ent__str_is(k->val, kinds[i])) kind = i;
    if (kind < 0)
        return ent__act_err(c, k->col, "unknown kind '%.*s' (expected: interaction search echelon cobalt thunder "
                                       "indestructible-brotherhood rubezh barrier rock)", (int)k->val.n, k->val.p);
    const ent_arg *ya = ent__stmt_key(c->st, ENT_K_YEAR);
    if (ya) {
        if (ent__stmt_key(c->st, ENT_K_FROM) || ent__stmt_key(c->st, ENT_K_TO))
            return ent__act_err(c, ya->col, "year= stands for from= and to=: give one or the other");
        if (ent__act_key_int(c, ENT_K_YEAR, 1, 1900, 9999, &year)) return c->o->verdict;
        if (ent__date_make((int)year, 1, 1, &from) || ent__date_make((int)year, 12, 31, &to))
            return ent__act_err(c, ya->col, "no such year: %ld", year);
    } else {
        if (ent__act_key_date(c, ENT_K_FROM, 1, &from) || ent__act_key_date(c, ENT_K_TO, 1, &to)) return c->o->verdict;
        if (to < from) return ent__act_err(c, ent__stmt_key(c->st, ENT_K_TO)->col, "to= is before from=");
    }
    if (state_set(c, ENT_K_PARTICIPANTS, &part) || state_set(c, ENT_K_OBSERVERS, &obs)) return c->o->verdict;
    if (part >> host & 1)
        return ent__act_err(c, ent__stmt_key(c->st, ENT_K_PARTICIPANTS)->col,
                            "%s is the host: participants= lists the other states", ent__act_code(c, host));
    if (part & obs) {
        int i = __builtin_ctzll(part & obs);
        return ent__act_err(c, ent__stmt_key(c->st, ENT_K_OBSERVERS)->col, "%s is both a participant and an observer",
                            ent__act_code(c, (ent_state_id)i));
    }
    if (obs >> host & 1)
        return ent__act_err(c, ent__stmt_key(c->st, ENT_K_OBSERVERS)->col, "%s is the host, not an observer", ent__act_code(c, host));
    if (!c->st->has_text || !c->st->text.n) return ent__act_err(c, 0, "missing the exercise's \"name\"");
    if (ent__act_in_force(c, "exercises")) {
        if (active_member(c, host, "host an exercise")) return c->o->verdict;
        for (int i = 0; i < c->s->world->nstates; i++)
            if (part >> i & 1 && active_member(c, (ent_state_id)i, "take part in an exercise")) return c->o->verdict;
    }
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    const ent_arg *pl = ent__stmt_key(c->st, ENT_K_PLACE);
    ent_sym place = pl && pl->val.n ? ent__text(c->s, pl->val.p, pl->val.n) : 0;
    ent_sym name = ent__act_text_sym(c);
    if (!name || (pl && pl->val.n && !place)) return ent__act_nomem(c);
    ent_exercise *e = ent__vec_push(&c->s->exercises);
    if (!e) return ent__act_nomem(c);
    *e = (ent_exercise){ .id = id, .date = c->d, .host = host, .kind = (uint8_t)kind, .by_year = ya != NULL,
                         .from = from, .to = to, .participants = part, .observers = obs, .place = place,
                         .name = name, .cancelled = ENT_DATE_NONE, .reason = 0 };
    if (ent__inst_add_record(c->s, id, ENT_REC_EXERCISE, (int32_t)(c->s->exercises.len - 1))) return ent__act_nomem(c);
    return ENT_V_OK;
}

/* The checks that accept and cancel share: only the host, not cancelled,
** before the start. `what` is the act, for the messages. */
static int host_before_start(ent_ctx *c, ent_state_id st, const ent_exercise *e, const char *what)
{
    char b[11], b2[11];
    const char *id = ent__sym_str(c->s, e->id);
    if (st != e->host)
        return ent__act_refuse(c, "exercises", "only the host %s %s %s, not %s", ent__act_code(c, e->host), what, id,
                               ent__act_code(c, st));
    if (e->cancelled != ENT_DATE_NONE)
        return ent__act_refuse(c, "exercises", "%s was cancelled on %s", id, ent__act_day(e->cancelled, b));
    if (c->d >= ex_start(e)) {
        if (e->by_year)
            return ent__act_refuse(c, "exercises", "%s was due in %d: too late on %s (the host %s it before it starts)", id,
                                   year_of(e->from), ent__act_day(c->d, b), what);
        return ent__act_refuse(c, "exercises", "%s starts on %s: too late on %s (the host %s it before it starts)", id,
                               ent__act_day(e->from, b2), ent__act_day(c->d, b), what);
    }
    return 0;
}

static int do_accept(ent_ctx *c)
{
    ent_state_id st;
    int32_t xi;
    uint64_t add;
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "state") || ent__act_max_pos(c, 1) || pos_exercise(c, &xi))
        return c->o->verdict;
    if (!ent__stmt_key(c->st, ENT_K_STATE)) return ent__act_err(c, 0, "missing state=STATE");
    if (state_set(c, ENT_K_STATE, &add)) return c->o->verdict;
    ent_exercise *e = &ENT_VEC_AT(&c->s->exercises, ent_exercise, xi);
    const ent_arg *sa = ent__stmt_key(c->st, ENT_K_STATE);
    if (add >> e->host & 1) return ent__act_err(c, sa->col, "%s is the host of %s", ent__act_code(c, e->host), ent__sym_str(c->s, e->id));
    if (add & e->participants) {
        int i = __builtin_ctzll(add & e->participants);
        return ent__act_err(c, sa->col, "%s already takes part in %s", ent__act_code(c, (ent_state_id)i), ent__sym_str(c->s, e->id));
    }
    if (ent__act_in_force(c, "exercises")) {
        if (host_before_start(c, st, e, "accepts participants in")) return c->o->verdict;
        for (int i = 0; i < c->s->world->nstates; i++)
            if (add >> i & 1 && active_member(c, (ent_state_id)i, "take part in an exercise")) return c->o->verdict;
    }
    e->participants |= add;
    e->observers &= ~add;  /* an observer accepted as a participant takes part */
    return ENT_V_OK;
}

static int do_cancel(ent_ctx *c)
{
    ent_state_id st;
    int32_t xi;
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1) || pos_exercise(c, &xi))
        return c->o->verdict;
    if (!c->st->has_text || !c->st->text.n) return ent__act_err(c, 0, "missing the \"reason\" for the cancellation");
    ent_exercise *e = &ENT_VEC_AT(&c->s->exercises, ent_exercise, xi);
    if (ent__act_in_force(c, "exercises") && host_before_start(c, st, e, "cancels")) return c->o->verdict;
    if (e->cancelled != ENT_DATE_NONE) {
        char b[11];
        return ent__act_err(c, ent__stmt_pos(c->st, 0)->col, "%s was cancelled on %s", ent__sym_str(c->s, e->id),
                            ent__act_day(e->cancelled, b));
    }
    ent_sym reason = ent__act_text_sym(c);
    if (!reason) return ent__act_nomem(c);
    e->cancelled = c->d;
    e->reason = reason;
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Standing operations.                                                 */

static int do_operation(ent_ctx *c)
{
    int body;
    ent_sym id;
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "id kind") || ent__act_max_pos(c, 0)) return c->o->verdict;
    const ent_arg *k = ent__stmt_key(c->st, ENT_K_KIND);
    if (!k) return ent__act_err(c, 0, "missing kind=KIND (anti-drug, migration, ...)");
    if (!c->st->has_text || !c->st->text.n) return ent__act_err(c, 0, "missing the operation's \"name\"");
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    ent_sym kind = ent__sym(c->s, k->val.p, k->val.n), name = ent__act_text_sym(c);
    if (!kind || !name) return ent__act_nomem(c);
    ent_operation *o = ent__vec_push(&c->s->operations);
    if (!o) return ent__act_nomem(c);
    *o = (ent_operation){ id, c->d, (int8_t)body, kind, name };
    if (ent__inst_add_record(c->s, id, ENT_REC_OPERATION, (int32_t)(c->s->operations.len - 1))) return ent__act_nomem(c);
    return ENT_V_OK;
}

static int do_report(ent_ctx *c)
{
    int32_t oi;
    long year = 0;
    if (record_named(c, c->st->subject, c->st->col_subject, ENT_REC_OPERATION, &oi) || ent__act_check_keys(c, "year") ||
        ent__act_max_pos(c, 0) || ent__act_key_int(c, ENT_K_YEAR, 1, 1900, 9999, &year))
        return c->o->verdict;
    const ent_operation *o = &ENT_VEC_AT(&c->s->operations, ent_operation, oi);
    uint16_t col = ent__stmt_key(c->st, ENT_K_YEAR)->col;
    char b[11];
    if (year < year_of(o->date))
        return ent__act_err(c, col, "%s stands since %s: no results for %ld", ent__sym_str(c->s, o->id), ent__act_day(o->date, b), year);
    if (year > year_of(c->d)) return ent__act_err(c, col, "results for %ld cannot be reported on %s", year, ent__act_day(c->d, b));
    const ent_opreport *r = c->s->opreports.p;
    for (size_t i = 0; i < c->s->opreports.len; i++)
        if (r[i].op == oi && r[i].year == year)
            return ent__act_err(c, col, "the results of %s for %ld were reported on %s", ent__sym_str(c->s, o->id), year,
                                ent__act_day(r[i].date, b));
    if (!c->st->has_text || !c->st->text.n) return ent__act_err(c, 0, "missing the results as \"text\"");
    ent_sym text = ent__act_text_sym(c);
    if (!text) return ent__act_nomem(c);
    ent_opreport *n = ent__vec_push(&c->s->opreports);
    if (!n) return ent__act_nomem(c);
    *n = (ent_opreport){ oi, (int32_t)year, c->d, text };
    return ENT_V_OK;
}

const ent_verb ent__verbs_exercise[] = {
    ENT_VERB("accept", do_accept), ENT_VERB("cancel", do_cancel),
    ENT_VERB("exercise", do_exercise), ENT_VERB("operation", do_operation),
    ENT_VERB("plan", do_plan), ENT_VERB("report", do_report),
    { NULL, 0, NULL },
};

/* ------------------------------------------------------------------ */
/* Digest: every field of every record, in a fixed order.               */

void ent__exercise_digest(const ent_inst *s, void *g)
{
    ent__dg_int(g, (int64_t)s->exercises.len);
    for (size_t i = 0; i < s->exercises.len; i++) {
        const ent_exercise *e = &ENT_VEC_AT(&s->exercises, ent_exercise, i);
        ent__dg_int(g, e->id), ent__dg_int(g, e->date), ent__dg_int(g, e->host), ent__dg_int(g, e->kind);
        ent__dg_int(g, e->by_year), ent__dg_int(g, e->from), ent__dg_int(g, e->to);
        ent__dg_int(g, (int64_t)e->participants), ent__dg_int(g, (int64_t)e->observers);
        ent__dg_int(g, e->place), ent__dg_int(g, e->name), ent__dg_int(g, e->cancelled), ent__dg_int(g, e->reason);
    }
    ent__dg_int(g, (int64_t)s->explans.len);
    for (size_t i = 0; i < s->explans.len; i++) {
        const ent_explan *p = &ENT_VEC_AT(&s->explans, ent_explan, i);
        ent__dg_int(g, p->year), ent__dg_int(g, p->date), ent__dg_int(g, p->body), ent__dg_int(g, p->text);
    }
    ent__dg_int(g, (int64_t)s->operations.len);
    for (size_t i = 0; i < s->operations.len; i++) {
        const ent_operation *o = &ENT_VEC_AT(&s->operations, ent_operation, i);
        ent__dg_int(g, o->id), ent__dg_int(g, o->date), ent__dg_int(g, o->body), ent__dg_int(g, o->kind), ent__dg_int(g, o->name);
    }
    ent__dg_int(g, (int64_t)s->opreports.len);
    for (size_t i = 0; i < s->opreports.len; i++) {
        const ent_opreport *r = &ENT_VEC_AT(&s->opreports, ent_opreport, i);
        ent__dg_int(g, r->op), ent__dg_int(g, r->year), ent__dg_int(g, r->date), ent__dg_int(g, r->text);
    }
}
