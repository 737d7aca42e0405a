/*
** act_dispute.c: disputes between members and their de-escalation
** (register.h), and the rule `disputes` (Treaty art. 1: no use of force among
** the parties).
**
**   SG dispute id=D parties=KG,TJ incident=I [severity=..] "text"
**                           the SG (or a body) opens a dispute on an incident
**                           between two members
**   SG contact D "text"     the SG (or a body) contacts the parties
**   D consultations | D ceasefire | D protocol | D monitoring-mission |
**   D delimitation-commission | D settled   ["text"]
**                           a step of de-escalation, dated by its line
**
** Steps may come in any order; none may follow `settled` (refused, rule
** disputes). Opening a dispute with a state that is not a member is refused:
** an incident with a non-member stays an incident of the register.
**
** The rule reaches into decisions through three hooks called by apply.c:
** ent__dispute_against() refuses a deploy proposal whose against= names a
** member; ent__dispute_excluded() gives the members that the switch
** dispute.parties-vote=no takes out of the vote on a proposal for a host in
** an open dispute with them; ent__dispute_vote_refusal() refuses their vote.
*/
#include "act.h"
#include "register.h"

#include <string.h>

int ent__register_severity(ent_ctx *c, int8_t *out);

static const char *const step_names[ENT_DS_N] = {
    "opened", "contact", "consultations", "ceasefire", "protocol",
    "monitoring-mission", "delimitation-commission", "settled",
};

const char *ent__dstep_name(int step) { return step >= 0 && step < ENT_DS_N ? step_names[step] : "?"; }

int ent__dispute_open_on(const ent_dispute *x, ent_date d)
{
    return x->opened <= d && (x->settled == ENT_DATE_NONE || x->settled > d);
}

const ent_dstep *ent__dispute_last_step(const ent_inst *s, int32_t i, ent_date d)
{
    const ent_dstep *t = s->dsteps.p, *last = NULL;
    for (size_t k = 0; k < s->dsteps.len; k++)
        if (t[k].dispute == i && t[k].date <= d && (!last || t[k].date >= last->date)) last = &t[k];
    return last;
}

uint64_t ent__dispute_opponents(const ent_inst *s, ent_state_id st, ent_date d)
{
    uint64_t m = 0;
    const ent_dispute *x = s->disputes.p;
    for (size_t i = 0; i < s->disputes.len; i++) {
        if (!ent__dispute_open_on(&x[i], d)) continue;
        if (x[i].a == st) m |= 1ull << x[i].b;
        if (x[i].b == st) m |= 1ull << x[i].a;
    }
    return m;
}

void ent__dispute_casualties(const ent_inst *s, int32_t i, ent_date d, int32_t *dead, int32_t *injured)
{
    const ent_dispute *x = &ENT_VEC_AT(&s->disputes, ent_dispute, i);
    const ent_incident *r = s->incidents.p;
    *dead = *injured = -1;
    for (size_t k = 0; k < s->incidents.len; k++) {
        if (r[k].date > d || !((int32_t)k == x->incident || r[k].dispute == i)) continue;
        if (r[k].dead >= 0) *dead = (*dead < 0 ? 0 : *dead) + r[k].dead;
        if (r[k].injured >= 0) *injured = (*injured < 0 ? 0 : *injured) + r[k].injured;
    }
}

/* A party to the Treaty on the act's date: a member, frozen or suspended. */
static int is_party(ent_ctx *c, ent_state_id st)
{
    int ms = ent__inst_mstatus(c->s, st, c->d);
    return ms == ENT_MS_MEMBER || ms == ENT_MS_FROZEN || ms == ENT_MS_SUSPENDED;
}

/* The subject is the SG (*by = -1) or a body (*by = its index). */
static int sg_or_body(ent_ctx *c, int8_t *by)
{
    if (ent__str_eq(c->st->subject, "SG")) {
        *by = -1;
        return 0;
    }
    int body = ent__charter_body(c->s->charter, c->st->subject);
    if (body < 0)
        return ent__act_err(c, c->st->col_subject, "'%.*s %.*s': the subject is the SG or a body of the organization",
                            (int)c->st->subject.n, c->st->subject.p, (int)c->st->verb.n, c->st->verb.p);
    *by = (int8_t)body;
    return 0;
}

/* SG dispute id=D parties=KG,TJ incident=I [severity=..] "text" */
static int do_dispute(ent_ctx *c)
{
    int8_t by, sev;
    ent_state_id p[2];
    int n;
    int32_t inc;
    ent_sym id;
    char b[11];
    if (sg_or_body(c, &by) || ent__act_check_keys(c, "id parties incident severity") || ent__act_max_pos(c, 0))
        return c->o->verdict;
    const ent_arg *pa = ent__stmt_key(c->st, ENT_K_PARTIES);
    if (!pa) return ent__act_err(c, 0, "missing parties=STATE,STATE");
    if (ent__act_state_list(c, pa, p, 2, &n)) return c->o->verdict;
    if (n != 2 || p[0] == p[1]) return ent__act_err(c, pa->col, "a dispute has two different parties: parties=KG,TJ");
    const ent_arg *ia = ent__stmt_key(c->st, ENT_K_INCIDENT);
    if (!ia) return ent__act_err(c, 0, "missing incident=ID: a dispute is opened on an incident of the register");
    int k = ent__inst_record(c->s, ia->val.p, ia->val.n, &inc);
    if (k == ENT_REC_NONE) return ent__act_err(c, ia->col, "unknown id '%.*s'", (int)ia->val.n, ia->val.p);
    if (k != ENT_REC_INCIDENT) return ent__act_err(c, ia->col, "'%.*s' is not an incident", (int)ia->val.n, ia->val.p);
    const ent_incident *r = &ENT_VEC_AT(&c->s->incidents, ent_incident, inc);
    if (r->date > c->d)
        return ent__act_err(c, ia->col, "'%.*s' is dated %s, after this line", (int)ia->val.n, ia->val.p,
                            ent__act_day(r->date, b));
    if (!((r->state == p[0] && r->other == p[1]) || (r->state == p[1] && r->other == p[0])))
        return ent__act_err(c, ia->col, "incident %s is not between %s and %s (it is %s's%s%s)", ent__sym_str(c->s, r->id),
                            ent__act_code(c, p[0]), ent__act_code(c, p[1]), ent__act_code(c, r->state),
                            r->other >= 0 ? ", with " : ", with no other state", r->other >= 0 ? ent__act_code(c, r->other) : "");
    if (ent__register_severity(c, &sev)) return c->o->verdict;
    if (ent__act_in_force(c, "disputes")) {
        for (int i = 0; i < 2; i++)
            if (!is_party(c, p[i]))
                return ent__act_refuse(c, "disputes",
                                       "%s is not a member on %s: a dispute is between members; the incident %s stays "
                                       "in the register",
                                       ent__act_code(c, p[i]), ent__act_day(c->d, b), ent__sym_str(c->s, r->id));
    }
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    ent_dispute *x = ent__vec_push(&c->s->disputes);
    if (!x) return ent__act_nomem(c);
    *x = (ent_dispute){ id, c->d, p[0], p[1], by, sev, inc, ENT_DATE_NONE, ent__act_text_sym(c) };
    int32_t di = (int32_t)(c->s->disputes.len - 1);
    if (ent__inst_add_record(c->s, id, ENT_REC_DISPUTE, di)) return ent__act_nomem(c);
    ent_dstep *t = ent__vec_push(&c->s->dsteps);
    if (!t) return ent__act_nomem(c);
    *t = (ent_dstep){ di, c->d, ENT_DS_OPENED, by, 0 };
    return ENT_V_OK;
}

/* The dispute named by the subject (or by the first positional argument
** when `pos`), for a step dated c->d. */
static int dispute_of(ent_ctx *c, int pos, int32_t *di)
{
    ent_str name = c->st->subject;
    uint16_t col = c->st->col_subject;
    if (pos) {
        const ent_arg *a = ent__stmt_pos(c->st, 0);
        if (!a) return ent__act_err(c, 0, "missing the id of a dispute");
        name = a->val, col = a->col;
    }
    int k = ent__inst_record(c->s, name.p, name.n, di);
    if (k != ENT_REC_DISPUTE)
        return ent__act_err(c, col, "'%.*s %.*s': %s'%.*s' is not a dispute", (int)c->st->subject.n, c->st->subject.p,
                            (int)c->st->verb.n, c->st->verb.p, k == ENT_REC_NONE ? "unknown id; " : "",
                            (int)name.n, name.p);
    const ent_dispute *x = &ENT_VEC_AT(&c->s->disputes, ent_dispute, *di);
    char b[11];
    if (x->opened > c->d)
        return ent__act_err(c, col, "'%.*s' is dated %s, after this line", (int)name.n, name.p, ent__act_day(x->opened, b));
    return 0;
}

/* Record step `step` of dispute di (after the checks common to all steps). */
static int add_step(ent_ctx *c, int32_t di, int step, int8_t by)
{
    char b[11];
    ent_dispute *x = &ENT_VEC_AT(&c->s->disputes, ent_dispute, di);
    if (x->settled != ENT_DATE_NONE) {
        if (x->settled <= c->d && ent__act_in_force(c, "disputes"))
            return ent__act_refuse(c, "disputes", "%s was settled on %s: no %s after the settlement",
                                   ent__sym_str(c->s, x->id), ent__act_day(x->settled, b), step_names[step]);
        if (step == ENT_DS_SETTLED)
            return ent__act_err(c, c->st->col_verb, "%s is already recorded as settled on %s", ent__sym_str(c->s, x->id),
                                ent__act_day(x->settled, b));
    }
    ent_dstep *t = ent__vec_push(&c->s->dsteps);
    if (!t) return ent__act_nomem(c);
    *t = (ent_dstep){ di, c->d, (uint8_t)step, by, ent__act_text_sym(c) };
    if (step == ENT_DS_SETTLED) ENT_VEC_AT(&c->s->disputes, ent_dispute, di).settled = c->d;
    return ENT_V_OK;
}

/* SG contact D "text" */
static int do_contact(ent_ctx *c)
{
    int8_t by;
    int32_t di;
    if (sg_or_body(c, &by) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1) || dispute_of(c, 1, &di))
        return c->o->verdict;
    return add_step(c, di, ENT_DS_CONTACT, by);
}

/* D STEP "text": the verb is the step. */
static int do_step(ent_ctx *c)
{
    int32_t di;
    if (ent__act_check_keys(c, "") || ent__act_max_pos(c, 0) || dispute_of(c, 0, &di)) return c->o->verdict;
    int step = -1;
    for (int i = ENT_DS_CONSULTATIONS; i < ENT_DS_N; i++)
        if (ent__str_is(c->st->verb, step_names[i])) step = i;
    return add_step(c, di, step, -1);
}

int ent__dispute_protocol(ent_ctx *c)
{
    int32_t di;
    if (ent__inst_record(c->s, c->st->subject.p, c->st->subject.n, &di) != ENT_REC_DISPUTE) return -1;
    return do_step(c);
}

const ent_verb ent__verbs_dispute[] = {
    ENT_VERB("dispute", do_dispute),
    ENT_VERB("contact", do_contact),
    ENT_VERB("consultations", do_step),
    ENT_VERB("ceasefire", do_step),
    ENT_VERB("monitoring-mission", do_step),
    ENT_VERB("delimitation-commission", do_step),
    ENT_VERB("settled", do_step),
    /* "protocol" is apply.c's verb; it hands a dispute subject to
    ** ent__dispute_protocol */
    { NULL, 0, NULL }
};

/* ------------------------------------------------------------------ */
/* Hooks into decisions (apply.c).                                      */

/* against=XX of a deploy proposal for host: refused when XX is a member
** (Treaty art. 1). *out gets XX or -1. */
int ent__dispute_against(ent_ctx *c, ent_state_id host, ent_state_id *out)
{
    char b[11];
    if (ent__act_key_state(c, ENT_K_AGAINST, 0, out) || *out < 0) return c->o->verdict;
    if (*out == host) return ent__act_err(c, ent__stmt_key(c->st, ENT_K_AGAINST)->col, "against= names the host");
    if (!ent__act_in_force(c, "disputes") || !is_party(c, *out)) return 0;
    const ent_dispute *x = c->s->disputes.p;
    for (size_t i = c->s->disputes.len; i-- > 0;) /* the latest open dispute between them */
        if (ent__dispute_open_on(&x[i], c->d) &&
            ((x[i].a == host && x[i].b == *out) || (x[i].b == host && x[i].a == *out)))
            return ent__act_refuse(c, "disputes",
                                   "%s and %s are members in open dispute %s: the organization settles it by peaceful "
                                   "means and never uses its forces against a member",
                                   ent__act_code(c, host), ent__act_code(c, *out), ent__sym_str(c->s, x[i].id));
    return ent__act_refuse(c, "disputes", "%s is a member on %s: the organization never uses its forces against a member",
                           ent__act_code(c, *out), ent__act_day(c->d, b));
}

int ent__dispute_note_against(ent_ctx *c, int32_t proposal, ent_state_id st)
{
    ent_adversary *v = ent__vec_push(&c->s->adversaries);
    if (!v) return ent__act_nomem(c);
    *v = (ent_adversary){ proposal, st };
    return ENT_V_OK;
}

static int parties_vote(const ent_ctx *c) { return c->s->charter->rd_dispute_parties_vote; }

uint64_t ent__dispute_excluded(ent_ctx *c, ent_state_id host)
{
    if (host < 0 || parties_vote(c) || !ent__act_in_force(c, "disputes")) return 0;
    return ent__dispute_opponents(c->s, host, c->d);
}

int ent__dispute_vote_refusal(ent_ctx *c, const ent_proposal *p, ent_state_id st)
{
    char b[11];
    if (p->eligible >> st & 1 || p->host < 0 || parties_vote(c) || !ent__act_in_force_on(c, "disputes", p->date))
        return 0;
    if (!(ent__dispute_opponents(c->s, p->host, p->date) >> st & 1)) return 0;
    const ent_dispute *x = c->s->disputes.p;
    const char *id = "";
    for (size_t i = 0; i < c->s->disputes.len; i++)
        if (ent__dispute_open_on(&x[i], p->date) &&
            ((x[i].a == p->host && x[i].b == st) || (x[i].b == p->host && x[i].a == st)))
            id = ent__sym_str(c->s, x[i].id);
    return ent__act_refuse(c, "disputes",
                           "%s is in open dispute %s with %s, the host of %s, on %s: a party does not vote on a proposal "
                           "concerning the other party (switch dispute.parties-vote=no)",
                           ent__act_code(c, st), id, ent__act_code(c, p->host), ent__sym_str(c->s, p->id),
                           ent__act_day(p->date, b));
}
