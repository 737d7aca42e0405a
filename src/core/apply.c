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
#include "act.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

ent_state_id ent__inst_rotation_next(const ent_inst *s, ent_state_id after, ent_date d, int skip);


/* ------------------------------------------------------------------ */
/* Outcomes.                                                            */







/* ------------------------------------------------------------------ */
/* Arguments.                                                           */
















/* ------------------------------------------------------------------ */
/* Membership.                                                          */



static int do_join(ent_ctx *c)
{
    ent_state_id st;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 0)) return c->o->verdict;
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms != ENT_MS_NONE && ms != ENT_MS_FORMER && ms != ENT_MS_OBSERVER && ms != ENT_MS_PARTNER)
        return ent__act_refuse(c, "members", "%s is already a member on %s (%s)", ent__act_code(c, st), ent__act_day(c->d, b),
                      ent__mstatus_name(ms));
    return ent__act_add_mchange(c, st, ENT_MS_MEMBER);
}

static int do_leave_org(ent_ctx *c)
{
    ent_state_id st;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "")) return c->o->verdict;
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms == ENT_MS_OBSERVER || ms == ENT_MS_PARTNER) /* gives up its status */
        return ent__act_add_mchange(c, st, ENT_MS_NONE);
    if (ms == ENT_MS_NONE || ms == ENT_MS_FORMER)
        return ent__act_refuse(c, "members", "%s is not a member on %s and cannot leave", ent__act_code(c, st), ent__act_day(c->d, b));
    if (ent__members_leave_refusal(c, st)) return c->o->verdict; /* by notice, under the Charter */
    return ent__act_add_mchange(c, st, ENT_MS_FORMER);
}

static int do_suspend(ent_ctx *c)
{
    int body;
    ent_state_id st;
    char b[11];
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1)) return c->o->verdict;
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a) return ent__act_err(c, 0, "missing the state to suspend");
    if (ent__act_state_of(c, a->val, a->col, &st)) return c->o->verdict;
    if (!ent__act_is_supreme(c, body))
        return ent__act_refuse(c, "members", "only the %s suspends a member, not the %s", ent__act_supreme(c),
                      c->s->charter->bodies[body].code);
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms != ENT_MS_MEMBER && ms != ENT_MS_FROZEN)
        return ent__act_refuse(c, "members", "%s is not a member on %s and cannot be suspended", ent__act_code(c, st),
                      ent__act_day(c->d, b));
    if (ent__act_competence(c, body, "suspend")) return c->o->verdict;
    return ent__act_add_mchange(c, st, ENT_MS_SUSPENDED);
}

static int do_freeze(ent_ctx *c, int freeze)
{
    ent_state_id st;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 0)) return c->o->verdict;
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (freeze && ms != ENT_MS_MEMBER)
        return ent__act_refuse(c, "members", "%s cannot freeze its participation on %s: it is %s", ent__act_code(c, st),
                      ent__act_day(c->d, b), ms == ENT_MS_NONE ? "not a member" : ent__mstatus_name(ms));
    if (!freeze && ms != ENT_MS_FROZEN)
        return ent__act_refuse(c, "members", "%s's participation is not frozen on %s", ent__act_code(c, st), ent__act_day(c->d, b));
    return ent__act_add_mchange(c, st, freeze ? ENT_MS_FROZEN : ENT_MS_MEMBER);
}

/* ------------------------------------------------------------------ */
/* Chair (Charter art. 13; rotation in Russian alphabetical order).     */


static void rotation_text(ent_ctx *c, char *buf, size_t n)
{
    buf[0] = 0;
    for (int i = 0; i < c->s->charter->nrotation; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, "%s%s", i ? ", " : "", c->s->charter->rotation[i]);
    }
}

static int do_chair(ent_ctx *c)
{
    ent_state_id st;
    char b[11], rot[64];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "")) return c->o->verdict;
    int kind = ENT_CHAIR_REGULAR;
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (a) {
        if (ent__str_eq(a->val, "temporary")) kind = ENT_CHAIR_TEMPORARY;
        else if (ent__str_eq(a->val, "exception")) kind = ENT_CHAIR_EXCEPTION;
        else return ent__act_err(c, a->col, "'chair' takes 'temporary' or 'exception', not '%.*s'", (int)a->val.n, a->val.p);
        if (ent__act_max_pos(c, 1)) return c->o->verdict;
    }
    if (ent__act_in_force(c, "chair")) {
        int ms = ent__inst_mstatus(c->s, st, c->d);
        if (ms != ENT_MS_MEMBER)
            return ent__act_refuse(c, "chair", "%s cannot take the chair on %s: it is %s", ent__act_code(c, st), ent__act_day(c->d, b),
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
                ent_state_id want = ent__inst_rotation_next(c->s, prev, c->d, ent__act_skip_inactive(c));
                if (want >= 0 && want != st) {
                    rotation_text(c, rot, sizeof rot);
                    return ent__act_refuse(c, "chair",
                                  "after %s the chair passes to %s in the rotation order %s, not to %s "
                                  "(a different chair needs 'exception': the Council decides otherwise)",
                                  ent__act_code(c, prev), ent__act_code(c, want), rot, ent__act_code(c, st));
                }
            }
        }
    }
    ent_vec *v = &c->s->chairs;
    if (!ent__vec_push(v)) return ent__act_nomem(c);
    ent_chairing *ch = v->p;
    size_t i = v->len - 1;
    while (i > 0 && ch[i - 1].date > c->d) {
        ch[i] = ch[i - 1];
        i--;
    }
    ch[i] = (ent_chairing){ c->d, st, (uint8_t)kind };
    return ENT_V_OK;
}

static int do_handover(ent_ctx *c)
{
    int body;
    ent_date from;
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "from") || ent__act_max_pos(c, 1)) return c->o->verdict;
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a || !ent__str_eq(a->val, "january-1"))
        return ent__act_err(c, a ? a->col : 0, "'handover' takes 'january-1'");
    if (ent__act_key_date(c, ENT_K_FROM, 1, &from)) return c->o->verdict;
    if (!ent__act_is_supreme(c, body))
        return ent__act_refuse(c, "chair", "only the %s decides how its chair is handed over", ent__act_supreme(c));
    if (from < c->d) return ent__act_err(c, ent__stmt_key(c->st, ENT_K_FROM)->col, "from= is before the decision's date");
    if (ent__act_competence(c, body, "handover")) return c->o->verdict;
    c->s->chair_auto_from = from;
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Secretary General (appointed by the CSC on the CMFA's recommendation,
** three years, rotation since 2017).                                   */

static int pos_is_sg(ent_ctx *c)
{
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a || !ent__str_eq(a->val, "SG"))
        return ent__act_err(c, a ? a->col : 0, "'%.*s' takes 'SG' as its first argument", (int)c->st->verb.n,
                   c->st->verb.p);
    return ent__act_max_pos(c, 1);
}

static int do_recommend(ent_ctx *c)
{
    int body;
    ent_state_id st;
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "state") || pos_is_sg(c) || ent__act_key_state(c, ENT_K_STATE, 1, &st))
        return c->o->verdict;
    if (ent__act_in_force(c, "secretary-general") && strcmp(c->s->charter->bodies[body].code, "CMFA") != 0)
        return ent__act_refuse(c, "secretary-general", "the CMFA recommends the Secretary General, not the %s",
                      c->s->charter->bodies[body].code);
    if (ent__act_standing_refusal(c, st, "a Secretary General comes from a member state") ||
        ent__act_competence(c, body, "recommend"))
        return c->o->verdict;
    ent_recommendation *r = ent__vec_push(&c->s->recs);
    if (!r) return ent__act_nomem(c);
    *r = (ent_recommendation){ c->d, st, 0 };
    return ENT_V_OK;
}

static const ent_sgterm *sg_appointed(ent_ctx *c, ent_date d)
{
    const ent_sgterm *t = ent__inst_sg(c->s, d);
    return t && !t->acting ? t : NULL;
}

/* Check an appointment of st as Secretary General for [from, to] by `body`
** on the act's date (CSC on the CMFA's recommendation, three years, rotation,
** the post free). *rec gets the recommendation it uses (or NULL). */
static int check_appointment(ent_ctx *c, int body, ent_state_id st, ent_date from, ent_date to, ent_recommendation **rec)
{
    char b[11], b2[11], rot[64];
    int rule = ent__act_in_force(c, "secretary-general");
    if (rule) {
        if (!ent__act_is_supreme(c, body))
            return ent__act_refuse(c, "secretary-general", "the %s appoints the Secretary General, not the %s",
                          ent__act_supreme(c), c->s->charter->bodies[body].code);
        if (ent__act_standing_refusal(c, st, "a Secretary General comes from a member state")) return c->o->verdict;
    }
    /* an appointment uses up the CMFA's recommendation for its state, whether
    ** or not the rule required one on its date */
    *rec = NULL;
    ent_recommendation *rr = c->s->recs.p;
    for (size_t i = 0; i < c->s->recs.len; i++)
        if (!rr[i].used && rr[i].state == st && rr[i].date <= c->d) *rec = &rr[i];
    const char *need = ent__charter_switch(c->s->charter, "sg.recommendation");
    if (rule && need && strcmp(need, "required") == 0 && !*rec)
        return ent__act_refuse(c, "secretary-general", "no recommendation of the CMFA for a Secretary General from %s before %s",
                      ent__act_code(c, st), ent__act_day(c->d, b));
    /* three-year term and rotation: in force from the rotation decision */
    const ent_rule *r = ent__charter_rule(c->s->charter, "secretary-general");
    if (rule && r && r->from != ENT_DATE_NONE && from >= r->from) {
        int y, m, dd;
        ent__date_split(from, &y, &m, &dd);
        ent_date lim;
        if (ent__date_make(y + 3, m, m == 2 && dd == 29 ? 28 : dd, &lim) == 0 && to >= lim)
            return ent__act_refuse(c, "secretary-general", "a Secretary General is appointed for three years: %s to %s is longer",
                          ent__act_day(from, b), ent__act_day(to, b2));
        const ent_sgterm *t = c->s->sgs.p, *prev = NULL;
        for (size_t i = 0; i < c->s->sgs.len; i++)
            if (!t[i].acting && t[i].from >= r->from && t[i].from < from) prev = &t[i];
        ent_state_id want;
        if (prev) {
            want = ent__inst_rotation_next(c->s, prev->state, from, ent__act_skip_inactive(c));
        } else {
            ent_str first = { c->s->charter->rotation[0], 2 };
            want = c->s->charter->nrotation ? ent__world_find(c->s->world, first) : -1;
            if (want >= 0 && ent__act_skip_inactive(c) && ent__inst_mstatus(c->s, want, from) != ENT_MS_MEMBER)
                want = ent__inst_rotation_next(c->s, want, from, 1);
        }
        if (want >= 0 && want != st) {
            rotation_text(c, rot, sizeof rot);
            return ent__act_refuse(c, "secretary-general",
                          "the Secretary General's post rotates in the order %s: the next comes from %s, not %s",
                          rot, ent__act_code(c, want), ent__act_code(c, st));
        }
    }
    const ent_sgterm *cur = sg_appointed(c, from);
    if (rule && cur)
        return ent__act_refuse(c, "secretary-general", "the post is held by %s until %s", ent__sym_str(c->s, cur->name),
                      ent__act_day(cur->to, b));
    return ent__act_competence(c, body, "appoint");
}

static int add_sgterm(ent_ctx *c, ent_date from, ent_date to, ent_state_id st, ent_sym name, ent_recommendation *rec)
{
    ent_sgterm *t = ent__vec_push(&c->s->sgs);
    if (!t) return ent__act_nomem(c);
    *t = (ent_sgterm){ from, to, ENT_DATE_NONE, st, 0, name };
    if (rec) rec->used = 1;
    return ENT_V_OK;
}

/* The term and state of an appointment: state=, from= (default: the act's
** date), to=, and the "name". */
static int appointment_args(ent_ctx *c, ent_state_id *st, ent_date *from, ent_date *to)
{
    if (ent__act_key_state(c, ENT_K_STATE, 1, st) || ent__act_key_date(c, ENT_K_FROM, 0, from) || ent__act_key_date(c, ENT_K_TO, 1, to))
        return c->o->verdict;
    if (*from == ENT_DATE_NONE) *from = c->d;
    if (*to < *from) return ent__act_err(c, ent__stmt_key(c->st, ENT_K_TO)->col, "to= is before from=");
    if (!c->st->has_text) return ent__act_err(c, 0, "missing the Secretary General's \"name\"");
    return 0;
}

static int do_appoint(ent_ctx *c)
{
    int body;
    ent_state_id st;
    ent_date from, to;
    ent_recommendation *rec;
    const ent_arg *a0 = ent__stmt_pos(c->st, 0);
    if (a0 && ent__str_eq(a0->val, "chief-of-staff")) return ent__staff_appoint(c); /* act_staff.c */
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "state from to") || pos_is_sg(c) ||
        appointment_args(c, &st, &from, &to) || check_appointment(c, body, st, from, to, &rec))
        return c->o->verdict;
    ent_sym name = ent__act_text_sym(c);
    if (!name) return ent__act_nomem(c);
    return add_sgterm(c, from, to, st, name, rec);
}

static int do_extend(ent_ctx *c)
{
    int body;
    ent_date to;
    char b[11];
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "to") || pos_is_sg(c) || ent__act_key_date(c, ENT_K_TO, 1, &to))
        return c->o->verdict;
    if (ent__act_in_force(c, "secretary-general") && !ent__act_is_supreme(c, body))
        return ent__act_refuse(c, "secretary-general", "only the %s extends the Secretary General's term", ent__act_supreme(c));
    if (ent__act_competence(c, body, "extend")) return c->o->verdict;
    ent_sgterm *t = (ent_sgterm *)sg_appointed(c, c->d);
    if (!t) return ent__act_refuse(c, "secretary-general", "no appointed Secretary General is in office on %s", ent__act_day(c->d, b));
    if (to < t->to) return ent__act_err(c, ent__stmt_key(c->st, ENT_K_TO)->col, "to= would shorten the term");
    t->to = to;
    return ENT_V_OK;
}

static int do_recall(ent_ctx *c)
{
    ent_state_id st;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || pos_is_sg(c)) return c->o->verdict;
    ent_sgterm *t = (ent_sgterm *)sg_appointed(c, c->d);
    if (!t) return ent__act_refuse(c, "secretary-general", "no appointed Secretary General is in office on %s", ent__act_day(c->d, b));
    if (t->state != st)
        return ent__act_refuse(c, "secretary-general", "%s cannot recall the Secretary General: %s is a citizen of %s",
                      ent__act_code(c, st), ent__sym_str(c->s, t->name), ent__act_code(c, t->state));
    t->ended = c->d;
    return ENT_V_OK;
}

static int do_acting(ent_ctx *c)
{
    ent_state_id st = -1;
    char b[11];
    if (!ent__str_eq(c->st->subject, "SG"))
        return ent__act_err(c, c->st->col_subject, "'acting' is said of the SG: 'SG acting \"name\"'");
    if (ent__act_check_keys(c, "state") || ent__act_max_pos(c, 0) || ent__act_key_state(c, ENT_K_STATE, 0, &st)) return c->o->verdict;
    if (!c->st->has_text) return ent__act_err(c, 0, "missing the acting Secretary General's \"name\"");
    const ent_sgterm *cur = sg_appointed(c, c->d);
    if (cur && ent__act_in_force(c, "secretary-general"))
        return ent__act_refuse(c, "secretary-general", "the post is held by %s until %s: no acting Secretary General",
                      ent__sym_str(c->s, cur->name), ent__act_day(cur->to, b));
    ent_sym name = ent__act_text_sym(c);
    if (!name) return ent__act_nomem(c);
    ent_sgterm *t = ent__vec_push(&c->s->sgs);
    if (!t) return ent__act_nomem(c);
    *t = (ent_sgterm){ c->d, ENT_DATE_NONE, ENT_DATE_NONE, st, 1, name };
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Requests and UN Security Council decisions.                          */

static int do_request(ent_ctx *c)
{
    ent_state_id st, host;
    ent_sym id;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "id article host threat") || ent__act_max_pos(c, 1) ||
        ent__act_key_state(c, ENT_K_HOST, 0, &host))
        return c->o->verdict;
    const ent_arg *k = ent__stmt_pos(c->st, 0);
    if (!k || !(ent__str_eq(k->val, "assistance") || ent__str_eq(k->val, "consultations")))
        return ent__act_err(c, k ? k->col : 0, "'request' takes 'assistance' or 'consultations'");
    /* threat=: what the request answers (rule art4-scope) */
    static const char *const threats[] = { "aggression", "armed-attack", "terrorism", "unrest", "border-clash", NULL };
    const ent_arg *th = ent__stmt_key(c->st, ENT_K_THREAT);
    int ti = -1;
    for (int i = 0; th && threats[i]; i++)
        if (ent__str_is(th->val, threats[i])) ti = i;
    if (th && ti < 0)
        return ent__act_err(c, th->col, "threat= is aggression, armed-attack, terrorism, unrest or border-clash");
    if (ti > 0 && ent__str_eq(k->val, "assistance") && ent__act_in_force(c, "art4-scope"))
        return ent__act_refuse(c, "art4-scope",
                               "%s asks for assistance against %s on %s: before the protocol of 10 Dec 2010, collective "
                               "assistance answers aggression only",
                               ent__act_code(c, st), threats[ti], ent__act_day(c->d, b));
    /* a state requests only for itself: checked first, it is the point */
    if (ent__act_in_force(c, "request") && host >= 0 && host != st)
        return ent__act_refuse(c, "request",
                      "%s cannot request assistance on %s's territory: a state requests only for itself",
                      ent__act_code(c, st), ent__act_code(c, host));
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    if (ent__act_standing_refusal(c, st, "only a member may request the organization's assistance")) return c->o->verdict;
    const ent_arg *art = ent__stmt_key(c->st, ENT_K_ARTICLE);
    const ent_charter *ch = c->s->charter;
    const char *want = ch->rd_request_article >= 0 ? ch->switches[ch->rd_request_article].value : NULL;
    if (ent__act_in_force(c, "request") && ent__str_eq(k->val, "assistance") && want && strcmp(want, "any") != 0 &&
        (!art || !ent__str_is(art->val, want)))
        return ent__act_refuse(c, "request", "a request must invoke %s (switch request.article)", want);
    ent_request *r = ent__vec_push(&c->s->requests);
    if (!r) return ent__act_nomem(c);
    r->id = id;
    r->date = c->d;
    r->state = st;
    r->kind = ent__sym(c->s, k->val.p, k->val.n);
    r->article = art ? ent__sym(c->s, art->val.p, art->val.n) : 0;
    r->text = ent__act_text_sym(c);
    r->status = ENT_REQ_OPEN;
    if (ent__inst_add_record(c->s, id, ENT_REC_REQUEST, (int32_t)(c->s->requests.len - 1))) return ent__act_nomem(c);
    return ENT_V_OK;
}

static int do_authorize(ent_ctx *c)
{
    ent_state_id host;
    ent_sym id;
    if (!ent__str_eq(c->st->subject, "UNSC"))
        return ent__act_err(c, c->st->col_subject, "'authorize' is said of the UN Security Council: 'UNSC authorize ...'");
    if (ent__act_check_keys(c, "id host") || ent__act_max_pos(c, 0) || ent__act_key_state(c, ENT_K_HOST, 1, &host) || ent__act_new_id(c, &id))
        return c->o->verdict;
    ent_authorization *a = ent__vec_push(&c->s->auths);
    if (!a) return ent__act_nomem(c);
    *a = (ent_authorization){ id, c->d, host, ent__act_text_sym(c) };
    if (ent__inst_add_record(c->s, id, ENT_REC_UNSC, (int32_t)(c->s->auths.len - 1))) return ent__act_nomem(c);
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Proposals and votes (consensus; limited format).                     */

/* Fill the common fields of a new proposal and index it. */
static ent_proposal *new_proposal(ent_ctx *c, ent_sym id, int body, const ent_arg *k, ent_state_id host, int kind)
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
    p->text = ent__act_text_sym(c);
    p->status = ENT_PROP_OPEN;
    p->closed = ENT_DATE_NONE;
    p->last_vote = ENT_DATE_NONE;
    p->complete = ENT_DATE_NONE;
    p->un_notice = ENT_DATE_NONE;
    p->first_contrib = -1;
    if (c->d >= c->s->ms_last) {
        p->eligible = c->s->ms_active;
    } else {
        for (int i = 0; i < c->s->world->nstates; i++)
            if (ent__inst_mstatus(c->s, (ent_state_id)i, c->d) == ENT_MS_MEMBER) p->eligible |= 1ull << i;
    }
    p->eligible &= ~ent__dispute_excluded(c, host); /* disputes: switch dispute.parties-vote */
    ent__session_attach(c, p); /* session=: absent members are out (act_members.c) */
    if (ent__inst_add_record(c->s, id, ENT_REC_PROPOSAL, (int32_t)(c->s->proposals.len - 1))) return NULL;
    return p;
}

ent_proposal *ent__act_new_proposal(ent_ctx *c, ent_sym id, int body, const ent_arg *k, ent_state_id host, int kind)
{
    return new_proposal(c, id, body, k, host, kind);
}

/* CSC propose base id=B host=MEMBER state=THIRD: a third state's military
** base on a member's territory; it needs every member's consent (bases). */
static int propose_base(ent_ctx *c, int body, const ent_arg *k)
{
    ent_state_id host, third;
    ent_sym id;
    if (ent__act_check_keys(c, "id host state session") || ent__act_key_state(c, ENT_K_HOST, 1, &host) ||
        ent__act_key_state(c, ENT_K_STATE, 1, &third))
        return c->o->verdict;
    if (ent__act_in_force(c, "bases")) {
        if (!ent__act_is_supreme(c, body))
            return ent__act_refuse(c, "bases", "the members' consent to a base is given in the %s, not the %s", ent__act_supreme(c),
                          c->s->charter->bodies[body].code);
        int hm = ent__inst_mstatus(c->s, host, c->d);
        if (hm != ENT_MS_MEMBER && hm != ENT_MS_FROZEN)
            return ent__act_refuse(c, "bases", "%s is not a member: the rule on bases covers members' territory", ent__act_code(c, host));
        int tm = ent__inst_mstatus(c->s, third, c->d);
        if (tm == ENT_MS_MEMBER || tm == ENT_MS_FROZEN || tm == ENT_MS_SUSPENDED)
            return ent__act_refuse(c, "bases", "%s is a member: the rule covers a third state's base", ent__act_code(c, third));
    }
    if (ent__act_competence(c, body, "base") || ent__act_new_id(c, &id)) return c->o->verdict;
    ent_proposal *p = new_proposal(c, id, body, k, host, ENT_PK_BASE);
    if (!p) return ent__act_nomem(c);
    p->third = third;
    return ENT_V_OK;
}

/* CSC propose appoint SG id=P state=KZ [from=] to= "name": the appointment
** as a decision put to the vote; adopted, it appoints (secretary-general;
** switch sg.limited-format). */
static int propose_appoint(ent_ctx *c, int body, const ent_arg *k)
{
    ent_state_id st;
    ent_date from, to;
    ent_recommendation *rec;
    ent_sym id;
    const ent_arg *sg = ent__stmt_pos(c->st, 1);
    if (!sg || !ent__str_eq(sg->val, "SG"))
        return ent__act_err(c, sg ? sg->col : 0, "'propose appoint' takes 'SG': 'CSC propose appoint SG id=P state=XX to=DATE \"name\"'");
    if (ent__act_check_keys(c, "id state from to session") || appointment_args(c, &st, &from, &to) ||
        check_appointment(c, body, st, from, to, &rec) || ent__act_new_id(c, &id))
        return c->o->verdict;
    ent_proposal *p = new_proposal(c, id, body, k, -1, ENT_PK_APPOINT);
    if (!p) return ent__act_nomem(c);
    p->third = st;
    p->term_from = from;
    p->term_to = to;
    return ENT_V_OK;
}

static int do_propose(ent_ctx *c)
{
    int body;
    ent_state_id host;
    ent_sym id;
    long days = 0;
    int32_t req = -1, man = -1;
    char b[11];
    if (ent__act_subject_body(c, &body) || ent__act_max_pos(c, 2)) return c->o->verdict;
    const ent_arg *k = ent__stmt_pos(c->st, 0);
    if (!(k && ent__str_eq(k->val, "appoint")) && ent__act_max_pos(c, 1)) return c->o->verdict;
    if (ent__session_check(c, body)) return c->o->verdict; /* session=: an agenda item (act_members.c) */
    if (k && ent__str_eq(k->val, "base")) return propose_base(c, body, k);
    if (k && ent__str_eq(k->val, "appoint")) return propose_appoint(c, body, k);
    if (k && (ent__str_eq(k->val, "admit") || ent__str_eq(k->val, "declaration") || ent__str_eq(k->val, "decision")))
        return ent__members_propose(c, body, k);
    if (!k || !ent__str_eq(k->val, "deploy"))
        return ent__act_err(c, k ? k->col : 0,
                            "'propose' takes the kind of decision: 'deploy', 'base', 'appoint', 'admit', 'declaration' or 'decision'");
    uint64_t parties = 0;
    if (ent__act_check_keys(c, "id force host request days mandate parties against session") || ent__act_parties(c, &parties))
        return c->o->verdict;
    const ent_arg *fa = ent__stmt_key(c->st, ENT_K_FORCE);
    if (!fa) return ent__act_err(c, 0, "missing force=FORCE");
    int force = ent__charter_force(c->s->charter, fa->val);
    if (force < 0) return ent__act_err(c, fa->col, "unknown force '%.*s'", (int)fa->val.n, fa->val.p);
    if (ent__act_key_state(c, ENT_K_HOST, 1, &host) || ent__act_key_int(c, ENT_K_DAYS, 0, 1, 3650, &days)) return c->o->verdict;
    const ent_arg *ra = ent__stmt_key(c->st, ENT_K_REQUEST);
    if (ra && ent__act_record_of(c, ra, ENT_REC_REQUEST, "a request", &req)) return c->o->verdict;
    const ent_arg *ma = ent__stmt_key(c->st, ENT_K_MANDATE);
    if (ma && ent__act_record_of(c, ma, ENT_REC_UNSC, "a Security Council decision", &man)) return c->o->verdict;
    /* use of force: the heads of state (the CSC) decide */
    if (ent__act_in_force(c, "use-of-force") && !ent__act_is_supreme(c, body))
        return ent__act_refuse(c, "use-of-force", "the %s decides on the use of forces, not the %s", ent__act_supreme(c),
                      c->s->charter->bodies[body].code);
    if (ent__act_competence(c, body, "deploy")) return c->o->verdict;
    const ent_force *f = &c->s->charter->forces[force];
    if (ent__act_in_force(c, "forces") && ((f->from != ENT_DATE_NONE && c->d < f->from) || (f->to != ENT_DATE_NONE && c->d > f->to)))
        return ent__act_refuse(c, "forces", "the %s do not exist on %s", f->code, ent__act_day(c->d, b));
    if (ent__act_area_check(c, host)) return c->o->verdict;
    if (man >= 0 && ent__act_in_force(c, "territory")) {
        const ent_authorization *au = &ENT_VEC_AT(&c->s->auths, ent_authorization, man);
        if (au->host != host)
            return ent__act_refuse(c, "territory", "UN Security Council decision %s is for %s, not %s",
                                   ent__sym_str(c->s, au->id), ent__act_code(c, au->host), ent__act_code(c, host));
    }
    int host_member = ent__inst_mstatus(c->s, host, c->d);
    host_member = host_member == ENT_MS_MEMBER || host_member == ENT_MS_FROZEN;
    if (!host_member) {
        /* territory: outside the members only with a Security Council decision */
        const ent_authorization *au = man >= 0 ? &ENT_VEC_AT(&c->s->auths, ent_authorization, man) : NULL;
        if (ent__act_in_force(c, "territory") && (!au || au->host != host || au->date > c->d))
            return ent__act_refuse(c, "territory",
                          "%s is not a member: forces act on members' territory, elsewhere only with a decision "
                          "of the UN Security Council (mandate=ID)",
                          ent__act_code(c, host));
    } else if (ent__act_in_force(c, "request") && (req >= 0 || c->s->charter->rd_request_required)) {
        /* switch deploy.request=optional (a counterfactual): no request= is
        ** allowed; a request= given is checked all the same */
        const ent_request *r = req >= 0 ? &ENT_VEC_AT(&c->s->requests, ent_request, req) : NULL;
        if (!r)
            return ent__act_refuse(c, "request",
                          "no request=: assistance is given only at the official request of the member on whose "
                          "territory it is given (%s; switch deploy.request)",
                          ent__act_code(c, host));
        if (strcmp(ent__sym_str(c->s, r->kind), "assistance") != 0)
            return ent__act_refuse(c, "request", "request %s asks for %s, not assistance: forces are deployed only on a request for assistance",
                          ent__sym_str(c->s, r->id), ent__sym_str(c->s, r->kind));
        if (r->state != host)
            return ent__act_refuse(c, "request", "request %s is %s's, not %s's: assistance is given only at the request of the host",
                          ent__sym_str(c->s, r->id), ent__act_code(c, r->state), ent__act_code(c, host));
        if (r->date > c->d)
            return ent__act_refuse(c, "request", "request %s is dated after the proposal", ent__sym_str(c->s, r->id));
        if (r->status != ENT_REQ_OPEN)
            return ent__act_refuse(c, "request", "request %s has already been answered", ent__sym_str(c->s, r->id));
    }
    ent_state_id against; /* disputes: never against a member */
    if (ent__dispute_against(c, host, &against) || ent__act_new_id(c, &id)) return c->o->verdict;
    ent_proposal *p = new_proposal(c, id, body, k, host, ENT_PK_DEPLOY);
    if (!p) return ent__act_nomem(c);
    if (against >= 0 && ent__dispute_note_against(c, (int32_t)(c->s->proposals.len - 1), against)) return c->o->verdict;
    p->force = (int8_t)force;
    p->request = req;
    p->mandate = man;
    p->days = (int32_t)days;
    p->parties = parties;
    /* the parties to the dispute do not vote (switch decision.parties-vote) */
    if (!ent__act_parties_vote(c)) p->eligible &= ~parties;
    if (req >= 0) ENT_VEC_AT(&c->s->requests, ent_request, req).status = ENT_REQ_ANSWERED;
    return ENT_V_OK;
}

/* Close a proposal: one objection blocks; abstain and out do not; adopted in
** full when every member taking part said yes, else in a limited format that
** binds only those who said yes. */
static int close_proposal(ent_ctx *c, ent_proposal *p)
{
    int yes = 0, no = 0, rest = 0;
    for (uint64_t m = p->eligible; m; m &= m - 1) {
        int i = __builtin_ctzll(m);
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
    int quorum = c->s->charter->rd_quorum;
    int limited_ok = c->s->charter->rd_limited_ok;
    /* two-thirds or majority (act_charter.c); -1: consensus, below */
    int vs = ent__act_vote_outcome(c, yes, no, rest);
    /* the decision is taken when its last vote is in: a vote may be dated
    ** after the line that closes it (found by the property test) */
    p->closed = c->d > p->last_vote ? c->d : p->last_vote;
    /* the outcome relies on the standing of the host and of every voter */
    ent__inst_rely(c->s, p->host, p->closed);
    for (uint64_t m = p->eligible; m; m &= m - 1) ent__inst_rely(c->s, (ent_state_id)__builtin_ctzll(m), p->closed);
    if (p->pkind == ENT_PK_APPOINT) {
        int sg_limited_ok = c->s->charter->rd_sg_limited_ok;
        if (vs >= 0) p->status = (uint8_t)vs;
        else if (no) p->status = ENT_PROP_BLOCKED;
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
    if (p->pkind == ENT_PK_BASE && ent__act_in_force(c, "bases")) {
        /* every member's official consent: abstaining or staying out is not consent */
        p->status = no ? ENT_PROP_BLOCKED : rest ? ENT_PROP_LAPSED : ENT_PROP_ADOPTED;
        return ENT_V_OK;
    }
    p->status = (uint8_t)ent__decide(c->s->charter->rd_rule, quorum, limited_ok, yes, no, rest);
    if (p->pkind == ENT_PK_ADMIT || p->pkind == ENT_PK_DOCUMENT) return ent__members_close(c, p);
    if (p->pkind == ENT_PK_DEPLOY && p->mandate < 0 && (p->status == ENT_PROP_ADOPTED || p->status == ENT_PROP_LIMITED)) {
        /* territory: a host that left the organization since the proposal
        ** is a non-member; without a Security Council decision it lapses */
        int hm = ent__inst_mstatus(c->s, p->host, p->closed);
        if (hm != ENT_MS_MEMBER && hm != ENT_MS_FROZEN && ent__act_in_force(c, "territory")) p->status = ENT_PROP_LAPSED;
    }
    int own_request = p->request >= 0 && ENT_VEC_AT(&c->s->requests, ent_request, p->request).state == p->host;
    if (p->pkind == ENT_PK_DEPLOY && !own_request && (p->status == ENT_PROP_ADOPTED || p->status == ENT_PROP_LIMITED)) {
        /* request: a host admitted since the proposal is a member; on a
        ** member's territory only its own request is a basis (found by the
        ** property test, seed 2) */
        int hm = ent__inst_mstatus(c->s, p->host, p->closed);
        if ((hm == ENT_MS_MEMBER || hm == ENT_MS_FROZEN) && ent__act_in_force(c, "request") &&
            c->s->charter->rd_request_required)
            p->status = ENT_PROP_LAPSED;
    }
    return ENT_V_OK;
}

static int do_vote(ent_ctx *c)
{
    ent_state_id st;
    int32_t pi;
    char b[11], b2[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 2) ||
        ent__act_pos_record(c, 0, ENT_REC_PROPOSAL, "a proposal", &pi))
        return c->o->verdict;
    const ent_arg *va = ent__stmt_pos(c->st, 1);
    static const char *const names[] = { "yes", "no", "abstain", "out" };
    int v = 0;
    for (int i = 0; va && i < 4; i++)
        if (ent__str_is(va->val, names[i])) v = i + 1;
    if (!v) return ent__act_err(c, va ? va->col : 0, "a vote is yes, no, abstain or out");
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (c->d < p->date)
        return ent__act_err(c, c->st->col_date ? c->st->col_date : 1, "the vote is dated before proposal %s (%s)",
                   ent__sym_str(c->s, p->id), ent__act_day(p->date, b));
    if (ent__act_standing_refusal(c, st, "only members vote")) return c->o->verdict;
    const char *drule = ent__decision_rule(c->s->charter);
    if (p->status != ENT_PROP_OPEN)
        return ent__act_refuse(c, drule, "proposal %s is closed (%s on %s): no more votes", ent__sym_str(c->s, p->id),
                      ent__prop_status_name(p->status), ent__act_day(p->closed, b2));
    if ((p->parties >> st & 1) && !ent__act_parties_vote(c))
        return ent__act_refuse(c, "parties", "%s is a party to the dispute in %s: the parties to the dispute do not vote",
                               ent__act_code(c, st), ent__sym_str(c->s, p->id));
    if (ent__dispute_vote_refusal(c, p, st) || ent__session_vote_refusal(c, p, st)) return c->o->verdict;
    if (!(p->eligible >> st & 1))
        return ent__act_refuse(c, "members", "%s was not a member taking part when %s was proposed on %s", ent__act_code(c, st),
                      ent__sym_str(c->s, p->id), ent__act_day(p->date, b));
    if (p->votes[st] != ENT_VOTE_NONE)
        return ent__act_refuse(c, drule, "%s has already voted %s on %s", ent__act_code(c, st), ent__vote_name(p->votes[st]),
                      ent__sym_str(c->s, p->id));
    p->votes[st] = (uint8_t)v;
    if (c->d > p->last_vote) p->last_vote = c->d;
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
    /* under consensus one objection blocks at once; under two-thirds or
    ** majority the vote runs until every member taking part has voted */
    if ((v == ENT_VOTE_NO && c->s->charter->rd_rule == 0 /* consensus */) || pending == 0) return close_proposal(c, p);
    return ENT_V_OK;
}

static int do_close(ent_ctx *c)
{
    int body;
    int32_t pi;
    char b[11];
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1) ||
        ent__act_pos_record(c, 0, ENT_REC_PROPOSAL, "a proposal", &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (body != p->body)
        return ent__act_refuse(c, ent__decision_rule(c->s->charter), "%s was put to the %s; the %s cannot close it", ent__sym_str(c->s, p->id),
                      c->s->charter->bodies[p->body].code, c->s->charter->bodies[body].code);
    if (p->status != ENT_PROP_OPEN)
        return ent__act_refuse(c, ent__decision_rule(c->s->charter), "proposal %s is already closed (%s on %s)", ent__sym_str(c->s, p->id),
                      ent__prop_status_name(p->status), ent__act_day(p->closed, b));
    if (c->d < p->date) return ent__act_err(c, 1, "closed before it was proposed");
    return close_proposal(c, p);
}

/* ------------------------------------------------------------------ */
/* Deployments.                                                         */

static int adopted(const ent_proposal *p)
{
    return p->status == ENT_PROP_ADOPTED || p->status == ENT_PROP_LIMITED;
}

static ent_contrib *find_contrib(ent_ctx *c, ent_proposal *p, ent_state_id st)
{
    ent_contrib *k = c->s->contribs.p;
    for (int32_t i = p->first_contrib; i >= 0; i = k[i].next)
        if (k[i].state == st) return &k[i];
    return NULL;
}

/* A new contingent of st for proposal pi, appended at the tail of the
** proposal's list so contingents list in order. Pointers into proposals
** stay valid; pointers into contribs do not. NULL on oom. */
static ent_contrib *add_contrib(ent_ctx *c, int32_t pi, ent_state_id st)
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

static int do_contribute(ent_ctx *c)
{
    ent_state_id st;
    int32_t pi;
    long troops;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "troops") || ent__act_max_pos(c, 1) ||
        ent__act_deployment_of(c, 0, &pi) || ent__act_key_int(c, ENT_K_TROOPS, 1, 1, 10000000, &troops))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (!adopted(p) || p->closed > c->d)
        return ent__act_refuse(c, "use-of-force", "%s is not an adopted deployment on %s (%s): no contingent without a decision",
                      ent__sym_str(c->s, p->id), ent__act_day(c->d, b), ent__prop_status_name(p->status));
    /* a partner takes part in actions (Charter art. 4, 2018 protocols) */
    int partner = ent__inst_mstatus(c->s, st, c->d) == ENT_MS_PARTNER && ent__act_in_force(c, "statuses");
    if (!partner && ent__act_standing_refusal(c, st, "contingents come from members and partners")) return c->o->verdict;
    if (p->complete != ENT_DATE_NONE && p->complete <= c->d)
        return ent__act_refuse(c, "mandate", "the mission %s was declared complete on %s", ent__sym_str(c->s, p->id),
                      ent__act_day(p->complete, b));
    const ent_force *f = &c->s->charter->forces[p->force];
    if (ent__act_in_force(c, "forces") && (long)p->troops + troops > f->strength)
        return ent__act_refuse(c, "forces", "%ld more troops would bring %s to %ld, past the %s's strength of %d",
                      troops, ent__sym_str(c->s, p->id), (long)p->troops + troops, f->code, f->strength);
    ent_contrib *k = find_contrib(c, p, st);
    if (!k) {
        k = add_contrib(c, pi, st);
        if (!k) return ent__act_nomem(c);
        p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    }
    k->troops += (int32_t)troops;
    p->troops += (int32_t)troops;
    return ENT_V_OK;
}

static int do_notify(ent_ctx *c)
{
    int32_t pi;
    if (!ent__str_eq(c->st->subject, "SG") && ent__charter_body(c->s->charter, c->st->subject) < 0)
        return ent__act_err(c, c->st->col_subject, "the Secretary General (SG) or a body notifies the UN Security Council");
    if (ent__act_check_keys(c, "") || ent__act_max_pos(c, 1) || ent__act_deployment_of(c, 0, &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (!adopted(p) || p->closed > c->d)
        return ent__act_refuse(c, "un-notice", "%s is not an adopted operation on this date", ent__sym_str(c->s, p->id));
    if (p->un_notice == ENT_DATE_NONE) p->un_notice = c->d;
    return ENT_V_OK;
}


static int do_arrive(ent_ctx *c)
{
    ent_state_id st;
    int32_t pi;
    char b[11];
    int mr = ent__mission_fact(c); /* 'M arrive' for a mission M: act_staff.c */
    if (mr >= 0) return mr;
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1) ||
        ent__act_deployment_of(c, 0, &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    ent_contrib *k = find_contrib(c, p, st);
    if (k && k->arrived != ENT_DATE_NONE)
        return ent__act_err(c, c->st->col_verb, "%s's contingent of %s already arrived on %s", ent__act_code(c, st),
                   ent__sym_str(c->s, p->id), ent__act_day(k->arrived, b));
    /* a fact: recorded as it happened, flagged where it breaks the charter */
    const char *host = ent__act_code(c, p->host);
    if (!adopted(p) || p->closed > c->d) {
        if (ent__act_add_breach(c, "use-of-force", pi, st, "%s forces on %s's territory for %s without a decision (%s)",
                       ent__act_code(c, st), host, ent__sym_str(c->s, p->id), ent__prop_status_name(p->status)))
            return c->o->verdict;
    }
    if (!k) {
        if (ent__act_add_breach(c, "forces", pi, st, "%s forces arrived in %s for %s without a contribution to the operation",
                       ent__act_code(c, st), host, ent__sym_str(c->s, p->id)))
            return c->o->verdict;
        k = add_contrib(c, pi, st);
        if (!k) return ent__act_nomem(c);
        p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    }
    int ms = ent__inst_mstatus(c->s, p->host, c->d);
    if (ms != ENT_MS_MEMBER && ms != ENT_MS_FROZEN && p->mandate < 0) {
        if (ent__act_add_breach(c, "territory", pi, st, "%s forces on the territory of %s, not a member, without a UN Security Council decision",
                       ent__act_code(c, st), host))
            return c->o->verdict;
    }
    k->arrived = c->d;
    return ENT_V_OK;
}

static int do_complete(ent_ctx *c)
{
    int32_t pi;
    char b[11];
    int mr = ent__mission_fact(c); /* 'M complete' for a mission M: act_staff.c */
    if (mr >= 0) return mr;
    if (ent__act_check_keys(c, "") || ent__act_max_pos(c, 1) || ent__act_deployment_of(c, 0, &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    ent_state_id st = ent__world_find(c->s->world, c->st->subject);
    int body = ent__charter_body(c->s->charter, c->st->subject);
    if (st < 0 && body < 0) return ent__act_err(c, c->st->col_subject, "unknown state or body '%.*s'", (int)c->st->subject.n, c->st->subject.p);
    if (!adopted(p)) return ent__act_refuse(c, "mandate", "%s is not an adopted deployment", ent__sym_str(c->s, p->id));
    if (st >= 0 && st != p->host)
        return ent__act_refuse(c, "mandate", "%s is not the host of %s: the host (%s) or the %s declares the mission complete",
                      ent__act_code(c, st), ent__sym_str(c->s, p->id), ent__act_code(c, p->host), ent__act_supreme(c));
    if (body >= 0 && !ent__act_is_supreme(c, body))
        return ent__act_refuse(c, "mandate", "the host or the %s declares a mission complete, not the %s", ent__act_supreme(c),
                      c->s->charter->bodies[body].code);
    if (p->complete != ENT_DATE_NONE)
        return ent__act_refuse(c, "mandate", "%s was already declared complete on %s", ent__sym_str(c->s, p->id), ent__act_day(p->complete, b));
    if (c->d < p->closed) return ent__act_err(c, 1, "dated before the decision on %s", ent__sym_str(c->s, p->id));
    p->complete = c->d;
    return ENT_V_OK;
}

static int do_leave_deployment(ent_ctx *c)
{
    ent_state_id st;
    int32_t pi;
    char b[11], b2[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1) ||
        ent__act_deployment_of(c, 0, &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    ent_contrib *k = find_contrib(c, p, st);
    if (!k || k->arrived == ENT_DATE_NONE)
        return ent__act_err(c, c->st->col_verb, "%s has no contingent of %s on %s's territory", ent__act_code(c, st),
                   ent__sym_str(c->s, p->id), ent__act_code(c, p->host));
    if (k->left != ENT_DATE_NONE)
        return ent__act_err(c, c->st->col_verb, "%s's contingent already left on %s", ent__act_code(c, st), ent__act_day(k->left, b));
    if (c->d < k->arrived) return ent__act_err(c, 1, "dated before the contingent arrived (%s)", ent__act_day(k->arrived, b));
    ent_date end = ent__mission_end(p);
    if (end != ENT_DATE_NONE && ent__act_in_force_on(c, "mandate", end)) {
        int wd = c->s->charter->rd_withdrawal_days;
        if (c->d > end + wd) {
            int32_t ppi = pi;
            if (ent__act_add_breach(c, "mandate", ppi, st,
                           "%s's contingent left %s on %s, %d day(s) after the withdrawal period ended on %s",
                           ent__act_code(c, st), ent__act_code(c, p->host), ent__act_day(c->d, b), c->d - (end + wd), ent__act_day(end + wd, b2)))
                return c->o->verdict;
            p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
            k = find_contrib(c, p, st);
        }
    }
    k->left = c->d;
    return ENT_V_OK;
}

static int do_leave(ent_ctx *c)
{
    return ent__stmt_npos(c->st) > 0 ? do_leave_deployment(c) : do_leave_org(c);
}

static int do_freeze_v(ent_ctx *c) { return do_freeze(c, 1); }
static int do_unfreeze_v(ent_ctx *c) { return do_freeze(c, 0); }

/* ------------------------------------------------------------------ */
/* Transit, bases, statuses.                                            */

static int has_consent(ent_ctx *c, int32_t pi, ent_state_id st)
{
    const ent_consent *k = c->s->consents.p;
    for (size_t i = 0; i < c->s->consents.len; i++)
        if (k[i].proposal == pi && k[i].state == st && k[i].date <= c->d) return 1;
    return 0;
}

/* GE consent D1: a state not bound by the organization's transit
** arrangements consents to the passage of D1's contingents. */
static int do_consent(ent_ctx *c)
{
    ent_state_id st;
    int32_t pi;
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1) || ent__act_deployment_of(c, 0, &pi))
        return c->o->verdict;
    if (has_consent(c, pi, st)) return ent__act_err(c, c->st->col_verb, "%s has already consented", ent__act_code(c, st));
    ent_consent *k = ent__vec_push(&c->s->consents);
    if (!k) return ent__act_nomem(c);
    *k = (ent_consent){ pi, st, c->d };
    return ENT_V_OK;
}

/* RU transit D1 via=GE[,...]: RU's contingent crosses these states on its
** way to the host. Each hop must be a land border or sea link; a state on
** the route that is not an active member must have consented (transit). */
static int do_transit(ent_ctx *c)
{
    ent_state_id st;
    int32_t pi;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "via") || ent__act_max_pos(c, 1) || ent__act_deployment_of(c, 0, &pi))
        return c->o->verdict;
    const ent_arg *va = ent__stmt_key(c->st, ENT_K_VIA);
    if (!va) return ent__act_err(c, 0, "missing via=STATE[,STATE...]");
    ent_transit t;
    memset(&t, 0, sizeof t);
    int nvia;
    if (ent__act_state_list(c, va, t.via, 8, &nvia)) return c->o->verdict;
    t.nvia = (uint8_t)nvia;
    const ent_proposal *pr = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (!(pr->status == ENT_PROP_ADOPTED || pr->status == ENT_PROP_LIMITED) || pr->closed > c->d)
        return ent__act_refuse(c, "use-of-force", "%s is not an adopted deployment on %s: no movement of forces without a decision",
                      ent__sym_str(c->s, pr->id), ent__act_day(c->d, b));
    if (ent__act_in_force(c, "transit")) {
        ent_state_id prev = st;
        for (int i = 0; i <= t.nvia; i++) {
            ent_state_id next = i < t.nvia ? t.via[i] : pr->host;
            int l = ent__world_adjacent(c->s->world, prev, next);
            if (l < 0 || c->s->world->links[l].closed)
                return ent__act_refuse(c, "transit", "no open land border or sea link from %s to %s on the route", ent__act_code(c, prev),
                              ent__act_code(c, next));
            prev = next;
        }
        for (int i = 0; i < t.nvia; i++) {
            int active = ent__inst_mstatus(c->s, t.via[i], c->d) == ENT_MS_MEMBER;
            /* since the transit protocols, a member that is not a party
            ** authorises each passage itself */
            int party = c->s->transit_from == ENT_DATE_NONE || c->d < c->s->transit_from ||
                        (c->s->transit_parties >> t.via[i] & 1);
            if (active && !party && !has_consent(c, pi, t.via[i]))
                return ent__act_refuse(c, "transit", "%s is not a party to the transit protocols of %s and has not authorised the transit of %s ('%s consent %s')",
                              ent__act_code(c, t.via[i]), ent__act_day(c->s->transit_from, b), ent__sym_str(c->s, pr->id),
                              ent__act_code(c, t.via[i]), ent__sym_str(c->s, pr->id));
            if (active) continue;
            if (!has_consent(c, pi, t.via[i]))
                return ent__act_refuse(c, "transit", "%s is not an active member and has not consented to the transit of %s ('%s consent %s')",
                              ent__act_code(c, t.via[i]), ent__sym_str(c->s, pr->id), ent__act_code(c, t.via[i]), ent__sym_str(c->s, pr->id));
        }
    }
    t.proposal = pi;
    t.state = st;
    t.date = c->d;
    ent_transit *nt = ent__vec_push(&c->s->transits);
    if (!nt) return ent__act_nomem(c);
    *nt = t;
    return ENT_V_OK;
}

/* CN establish B1: fact: the third state sets up the base. */
static int do_establish(ent_ctx *c)
{
    ent_state_id st;
    int32_t pi;
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1) ||
        ent__act_pos_record(c, 0, ENT_REC_PROPOSAL, "a proposal of a base", &pi))
        return c->o->verdict;
    ent_proposal *p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    if (p->pkind != ENT_PK_BASE)
        return ent__act_err(c, ent__stmt_pos(c->st, 0)->col, "'%s' is a deployment, not a proposal of a base", ent__sym_str(c->s, p->id));
    if (p->established != ENT_DATE_NONE) return ent__act_err(c, c->st->col_verb, "the base was already established");
    if (st != p->third)
        return ent__act_err(c, c->st->col_subject, "%s's base: the proposal is for %s", ent__act_code(c, st), ent__act_code(c, p->third));
    if (p->status != ENT_PROP_ADOPTED || p->closed > c->d) {
        if (ent__act_add_breach(c, "bases", pi, st, "%s base on %s's territory without the consent of every member (%s: %s)",
                       ent__act_code(c, st), ent__act_code(c, p->host), ent__sym_str(c->s, p->id), ent__prop_status_name(p->status)))
            return c->o->verdict;
        p = &ENT_VEC_AT(&c->s->proposals, ent_proposal, pi);
    }
    p->established = c->d;
    return ENT_V_OK;
}

/* CSC grant observer|partner state=XX (Charter arts. 4, 21, 2018 protocols). */
static int do_grant(ent_ctx *c)
{
    int body;
    ent_state_id st;
    char b[11];
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "state") || ent__act_max_pos(c, 1) || ent__act_key_state(c, ENT_K_STATE, 1, &st))
        return c->o->verdict;
    const ent_arg *k = ent__stmt_pos(c->st, 0);
    int status = 0;
    if (k && ent__str_eq(k->val, "observer")) status = ENT_MS_OBSERVER;
    if (k && ent__str_eq(k->val, "partner")) status = ENT_MS_PARTNER;
    if (!status) return ent__act_err(c, k ? k->col : 0, "'grant' takes 'observer' or 'partner'");
    const ent_rule *r = ent__charter_rule(c->s->charter, "statuses");
    if (!r) return ent__act_refuse(c, "statuses", "the charter has no observer or partner status");
    if (!ent__act_in_force(c, "statuses"))
        return ent__act_refuse(c, "statuses", "observer and partner statuses exist from %s", ent__act_day(r->from, b));
    if (!ent__act_is_supreme(c, body))
        return ent__act_refuse(c, "statuses", "the %s grants observer and partner status, not the %s", ent__act_supreme(c),
                      c->s->charter->bodies[body].code);
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (ms == ENT_MS_MEMBER || ms == ENT_MS_FROZEN || ms == ENT_MS_SUSPENDED)
        return ent__act_refuse(c, "statuses", "%s is a member on %s", ent__act_code(c, st), ent__act_day(c->d, b));
    if (ms == status) return ent__act_refuse(c, "statuses", "%s already has that status", ent__act_code(c, st));
    if (ent__act_competence(c, body, "grant")) return c->o->verdict;
    return ent__act_add_mchange(c, st, status);
}

/* CSC protocol transit parties=BY,KZ,... : the transit protocols (Astana,
** 2024): passage across a party is authorised within 24 h without a consent
** of its own; a member that is not a party authorises each passage. */
static int do_protocol(ent_ctx *c)
{
    int body;
    int dr = ent__dispute_protocol(c); /* 'D protocol': a step of a dispute */
    if (dr >= 0) return dr;
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "parties") || ent__act_max_pos(c, 1)) return c->o->verdict;
    const ent_arg *k = ent__stmt_pos(c->st, 0);
    if (!k || !ent__str_eq(k->val, "transit")) return ent__act_err(c, k ? k->col : 0, "'protocol' takes 'transit'");
    const ent_arg *pa = ent__stmt_key(c->st, ENT_K_PARTIES);
    if (!pa) return ent__act_err(c, 0, "missing parties=STATE,...");
    uint64_t mask = 0;
    ent_state_id parties[ENT_MAX_STATES];
    int n;
    if (ent__act_state_list(c, pa, parties, ENT_MAX_STATES, &n)) return c->o->verdict;
    for (int i = 0; i < n; i++) {
        if (ent__act_standing_refusal(c, parties[i], "only members are parties to the organization's protocols"))
            return c->o->verdict;
        mask |= 1ull << parties[i];
    }
    if (!ent__act_is_supreme(c, body))
        return ent__act_refuse(c, "transit", "the protocols are signed at the %s, not the %s", ent__act_supreme(c),
                      c->s->charter->bodies[body].code);
    if (ent__act_competence(c, body, "protocol")) return c->o->verdict;
    c->s->transit_parties = mask;
    c->s->transit_from = c->d;
    return ENT_V_OK;
}

/* KZ convene CSC [extraordinary] [id=S] [mode=video|in-person] [attended=..|
** absent=..] "agenda": the chair convenes the Council's sessions (Charter
** art. 13; the chairing state leads the Permanent Council); the session and
** its attendance are recorded by act_members.c. */
static int do_convene(ent_ctx *c)
{
    ent_state_id st;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "id mode attended absent") || ent__act_max_pos(c, 2))
        return c->o->verdict;
    const ent_arg *ba = ent__stmt_pos(c->st, 0);
    if (!ba) return ent__act_err(c, 0, "missing the body to convene");
    int body = ent__charter_body(c->s->charter, ba->val);
    if (body < 0) return ent__act_err(c, ba->col, "unknown body '%.*s'", (int)ba->val.n, ba->val.p);
    const ent_arg *xa = ent__stmt_pos(c->st, 1);
    if (xa && !ent__str_eq(xa->val, "extraordinary") && !ent__str_eq(xa->val, "regular"))
        return ent__act_err(c, xa->col, "a session is 'regular' or 'extraordinary'");
    if (ent__act_in_force(c, "chair")) {
        ent_state_id chair = ent__inst_chair(c->s, c->d, NULL, NULL);
        if (chair != st)
            return ent__act_refuse(c, "chair", "%s does not chair the organization on %s (%s%s): the chair convenes the %s",
                          ent__act_code(c, st), ent__act_day(c->d, b), chair >= 0 ? "the chair is " : "no chair is recorded",
                          chair >= 0 ? ent__act_code(c, chair) : "", c->s->charter->bodies[body].code);
        if (ent__act_standing_refusal(c, st, "the chair convenes")) return c->o->verdict;
    }
    return ent__session_new(c, st, body, xa && ent__str_eq(xa->val, "extraordinary"));
}

/* ------------------------------------------------------------------ */
/* Dispatch.                                                            */

const ent_verb ent__verbs_apply[] = {
    ENT_VERB("acting", do_acting), ENT_VERB("appoint", do_appoint),
    ENT_VERB("arrive", do_arrive), ENT_VERB("authorize", do_authorize),
    ENT_VERB("chair", do_chair), ENT_VERB("close", do_close),
    ENT_VERB("complete", do_complete), ENT_VERB("consent", do_consent),
    ENT_VERB("contribute", do_contribute), ENT_VERB("convene", do_convene),
    ENT_VERB("establish", do_establish), ENT_VERB("extend", do_extend),
    ENT_VERB("freeze", do_freeze_v), ENT_VERB("grant", do_grant),
    ENT_VERB("handover", do_handover), ENT_VERB("join", do_join),
    ENT_VERB("leave", do_leave), ENT_VERB("notify-un", do_notify),
    ENT_VERB("propose", do_propose), ENT_VERB("protocol", do_protocol),
    ENT_VERB("recall", do_recall), ENT_VERB("recommend", do_recommend),
    ENT_VERB("request", do_request), ENT_VERB("suspend", do_suspend),
    ENT_VERB("transit", do_transit), ENT_VERB("unfreeze", do_unfreeze_v),
    ENT_VERB("vote", do_vote),
    { NULL, 0, NULL }
};
