/*
** act_members.c: membership procedures, sessions of the bodies and what each
** body may decide (csto-facts s.1.2, s.1.3; docs/rules.md#members,
** docs/rules.md#bodies).
**
**     MN apply "text"                          a state asks to be admitted
**     CSC admit MN                             the CSC admits it (or, put to the
**     CSC propose admit id=P state=MN          vote, adopted: a member from the close)
**     AM notify-withdrawal "text"              notice of withdrawal: the member is
**                                              former when the notice period has run
**     RU convene CSC [regular|extraordinary] [id=S] [mode=video|in-person]
**        [attended=A,B | absent=C] "agenda"    a session (the handler is apply.c's
**                                              do_convene; the session is built here)
**     AM absent S                              a member stayed out of session S
**     CSC propose declaration|decision id=P [session=S] "text"
**     CSC propose ... session=S                an agenda item of session S: dated
**                                              the session's day; absent members are out
**
** Rule `members` (Charter art. 19; the CSC's rules of 18 Jun 2004 on admission
** and withdrawal [S19]): only a state that is not a member applies; the CSC
** admits only a state whose application is pending. From the organization's
** Charter in force (`charter organization ... from=`), a member leaves only by
** notice: `leave` is refused, and the notice takes effect after the months of
** the switch withdrawal.notice-months (default 6, the Treaty's art. 11, which
** the fact sheet marks UNCONFIRMED). Before that date the Treaty's parties
** left by not renewing it (1999 [S5]): plain `leave` stays valid then.
**
** Rule `bodies` (Charter art. 11 [S17][S18]; rules of procedure [S19]): each
** body decides only what `charter competence BODY a,b,c` lists. A handler
** that takes a body checks its own specific rule first (use-of-force,
** secretary-general, bases, ...) and then ent__act_competence().
**
** Rule `consensus`: a member absent from the session of an agenda item does
** not vote on it: it is out, which does not block (limited format, s.1.3).
*/
#include "act.h"

#include <stdio.h>
#include <string.h>


/* ------------------------------------------------------------------ */
/* Competence (rule bodies).                                            */

int ent__act_competence(ent_ctx *c, int body, const char *what)
{
    ent_inst *s = c->s;
    unsigned h = ent__act_lit_slot(what);
    if (s->cm_id[h] != what) { /* the bodies competent for `what`, found once */
        uint16_t m = 0;
        for (int i = 0; i < s->charter->nbodies; i++)
            if (ent__charter_competent(s->charter, i, what)) m |= (uint16_t)(1u << i);
        s->cm_id[h] = what;
        s->cm_bodies[h] = m;
    }
    if ((s->cm_bodies[h] >> body & 1) || !ent__act_in_force(c, "bodies")) return 0;
    const ent_body *b = &c->s->charter->bodies[body];
    return ent__act_refuse(c, "bodies", "the %s does not decide '%s': its competence is %s", b->code, what,
                           b->competence[0] ? b->competence : "none");
}

/* ------------------------------------------------------------------ */
/* Sessions.                                                            */

/* A member on d for attendance: active or frozen (a frozen member may be
** recorded as absent; it takes no part either way). */
static int seated(ent_ctx *c, ent_state_id st)
{
    int ms = ent__inst_mstatus(c->s, st, c->d);
    return ms == ENT_MS_MEMBER || ms == ENT_MS_FROZEN;
}

static int state_mask(ent_ctx *c, int kid, uint64_t *out)
{
    const char *key = ent__key_name(kid);
    const ent_arg *a = ent__stmt_key(c->st, kid);
    *out = 0;
    if (!a) return 0;
    ent_state_id ids[ENT_MAX_STATES];
    int n;
    if (ent__act_state_list(c, a, ids, ENT_MAX_STATES, &n)) return c->o->verdict;
    char b[11];
    for (int i = 0; i < n; i++) {
        if (!seated(c, ids[i]))
            return ent__act_refuse(c, "members", "%s is not a member on %s: only members attend a session (%s=)",
                                   ent__act_code(c, ids[i]), ent__act_day(c->d, b), key);
        *out |= 1ull << ids[i];
    }
    return 0;
}

int ent__session_new(ent_ctx *c, ent_state_id chair, int body, int extraordinary)
{
    ent_session x;
    memset(&x, 0, sizeof x);
    const ent_arg *ma = ent__stmt_key(c->st, ENT_K_MODE);
    if (ma && !ent__str_eq(ma->val, "video") && !ent__str_eq(ma->val, "in-person"))
        return ent__act_err(c, ma->col, "mode= is 'video' or 'in-person'");
    uint64_t att, abs;
    if (state_mask(c, ENT_K_ATTENDED, &att) || state_mask(c, ENT_K_ABSENT, &abs)) return c->o->verdict;
    if (ent__stmt_key(c->st, ENT_K_ATTENDED) && ent__stmt_key(c->st, ENT_K_ABSENT))
        return ent__act_err(c, ent__stmt_key(c->st, ENT_K_ABSENT)->col, "give attended= or absent=, not both");
    if (ent__act_competence(c, body, "consult")) return c->o->verdict;
    if (ent__stmt_key(c->st, ENT_K_ID) && ent__act_new_id(c, &x.id)) return c->o->verdict;
    uint64_t active = 0;
    for (int i = 0; i < c->s->world->nstates; i++)
        if (ent__inst_mstatus(c->s, (ent_state_id)i, c->d) == ENT_MS_MEMBER) active |= 1ull << i;
    if (ent__stmt_key(c->st, ENT_K_ATTENDED)) {
        x.attended = att;
        x.absent = active & ~att;
    } else {
        x.absent = abs;
        x.attended = active & ~abs;
    }
    x.date = c->d;
    x.body = (int8_t)body;
    x.chair = chair;
    x.extraordinary = (uint8_t)extraordinary;
    x.text = ent__act_text_sym(c);
    x.video = ma && ent__str_eq(ma->val, "video");
    ent_session *nx = ent__vec_push(&c->s->sessions);
    if (!nx) return ent__act_nomem(c);
    *nx = x;
    if (x.id && ent__inst_add_record(c->s, x.id, ENT_REC_SESSION, (int32_t)(c->s->sessions.len - 1)))
        return ent__act_nomem(c);
    return ENT_V_OK;
}

/* The session named by the value of a (dated on or before the act). */
static int session_of(ent_ctx *c, const ent_arg *a, int32_t *idx)
{
    int k = ent__inst_record(c->s, a->val.p, a->val.n, idx);
    if (k == ENT_REC_NONE) return ent__act_err(c, a->col, "unknown id '%.*s'", (int)a->val.n, a->val.p);
    if (k != ENT_REC_SESSION) return ent__act_err(c, a->col, "'%.*s' is not a session", (int)a->val.n, a->val.p);
    const ent_session *x = &ENT_VEC_AT(&c->s->sessions, ent_session, *idx);
    char b[11];
    if (x->date > c->d)
        return ent__act_err(c, a->col, "'%.*s' is dated %s, after this line", (int)a->val.n, a->val.p, ent__act_day(x->date, b));
    return 0;
}

int ent__session_check(ent_ctx *c, int body)
{
    const ent_arg *a = ent__stmt_key(c->st, ENT_K_SESSION);
    if (!a) return 0;
    int32_t si;
    char b[11];
    if (session_of(c, a, &si)) return c->o->verdict;
    const ent_session *x = &ENT_VEC_AT(&c->s->sessions, ent_session, si);
    if (x->date != c->d)
        return ent__act_err(c, a->col, "an agenda item is dated its session's day: %.*s was held on %s", (int)a->val.n,
                            a->val.p, ent__act_day(x->date, b));
    if (x->body != body)
        return ent__act_refuse(c, "bodies", "%.*s is a session of the %s: the %s cannot put an item on its agenda", (int)a->val.n,
                               a->val.p, c->s->charter->bodies[x->body].code, c->s->charter->bodies[body].code);
    return 0;
}

void ent__session_attach(ent_ctx *c, ent_proposal *p)
{
    const ent_arg *a = ent__stmt_key(c->st, ENT_K_SESSION);
    int32_t si;
    if (!a || ent__inst_record(c->s, a->val.p, a->val.n, &si) != ENT_REC_SESSION) return;
    const ent_session *x = &ENT_VEC_AT(&c->s->sessions, ent_session, si);
    p->session = si + 1;
    /* absent members are out: not an objection (consensus, limited format) */
    for (int i = 0; i < c->s->world->nstates; i++) {
        if (!(x->absent >> i & 1) || !(p->eligible >> i & 1)) continue;
        p->votes[i] = ENT_VOTE_OUT;
        p->voted |= 1ull << i;
    }
}

int ent__session_vote_refusal(ent_ctx *c, const ent_proposal *p, ent_state_id st)
{
    if (!p->session) return 0;
    const ent_session *x = &ENT_VEC_AT(&c->s->sessions, ent_session, p->session - 1);
    if (!(x->absent >> st & 1)) return 0;
    return ent__act_refuse(c, "consensus",
                           "%s was absent from session %s, where %s was put: an absent member is out (no objection; "
                           "the decision binds only those who took part)",
                           ent__act_code(c, st), ent__sym_str(c->s, x->id), ent__sym_str(c->s, p->id));
}

/* AM absent S: AM stayed out of session S. */
static int do_absent(ent_ctx *c)
{
    ent_state_id st;
    int32_t si;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1)) return c->o->verdict;
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a) return ent__act_err(c, 0, "missing the id of a session");
    if (session_of(c, a, &si)) return c->o->verdict;
    ent_session *x = &ENT_VEC_AT(&c->s->sessions, ent_session, si);
    if (x->date != c->d)
        return ent__act_err(c, a->col, "absence is dated the session's day: %.*s was held on %s", (int)a->val.n, a->val.p,
                            ent__act_day(x->date, b));
    if (!seated(c, st))
        return ent__act_refuse(c, "members", "%s is not a member on %s: only members attend a session", ent__act_code(c, st),
                               ent__act_day(c->d, b));
    if (x->absent >> st & 1) return ent__act_err(c, c->st->col_verb, "%s is already recorded as absent", ent__act_code(c, st));
    ent_proposal *p = c->s->proposals.p;
    for (size_t i = 0; i < c->s->proposals.len; i++)
        if (p[i].session == si + 1 && p[i].votes[st] != ENT_VOTE_NONE && p[i].votes[st] != ENT_VOTE_OUT)
            return ent__act_err(c, c->st->col_subject, "%s voted on %s at this session: it attended", ent__act_code(c, st),
                                ent__sym_str(c->s, p[i].id));
    x->absent |= 1ull << st;
    x->attended &= ~(1ull << st);
    for (size_t i = 0; i < c->s->proposals.len; i++) {
        if (p[i].session != si + 1 || p[i].status != ENT_PROP_OPEN || !(p[i].eligible >> st & 1)) continue;
        p[i].votes[st] = ENT_VOTE_OUT;
        p[i].voted |= 1ull << st;
    }
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Admission.                                                           */

static ent_application *pending_application(ent_ctx *c, ent_state_id st)
{
    ent_application *a = c->s->applications.p;
    for (size_t i = c->s->applications.len; i-- > 0;)
        if (a[i].state == st && a[i].date <= c->d && a[i].decided == ENT_DATE_NONE) return &a[i];
    return NULL;
}

static int is_member(int ms) { return ms == ENT_MS_MEMBER || ms == ENT_MS_FROZEN || ms == ENT_MS_SUSPENDED; }

/* MN apply "text": a state that is not a member asks to be admitted
** (Charter art. 19: it shares the goals and accepts the obligations). */
static int do_apply(ent_ctx *c)
{
    ent_state_id st;
    char b[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 0)) return c->o->verdict;
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (is_member(ms))
        return ent__act_refuse(c, "members", "%s is already a member on %s (%s): it cannot apply", ent__act_code(c, st),
                               ent__act_day(c->d, b), ent__mstatus_name(ms));
    const ent_application *p = pending_application(c, st);
    if (p)
        return ent__act_refuse(c, "members", "%s's application of %s is pending", ent__act_code(c, st), ent__act_day(p->date, b));
    ent_application *a = ent__vec_push(&c->s->applications);
    if (!a) return ent__act_nomem(c);
    *a = (ent_application){ c->d, st, ent__act_text_sym(c), ENT_DATE_NONE };
    return ENT_V_OK;
}

/* The checks of an admission of st by body on the act's date. */
static int check_admission(ent_ctx *c, int body, ent_state_id st)
{
    char b[11];
    if (ent__act_competence(c, body, "admit")) return c->o->verdict;
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (is_member(ms))
        return ent__act_refuse(c, "members", "%s is already a member on %s (%s)", ent__act_code(c, st), ent__act_day(c->d, b),
                               ent__mstatus_name(ms));
    if (!pending_application(c, st))
        return ent__act_refuse(c, "members", "%s has no pending application on %s ('%s apply'): the %s admits a state that applied",
                               ent__act_code(c, st), ent__act_day(c->d, b), ent__act_code(c, st), ent__act_supreme(c));
    return 0;
}

static int admit(ent_ctx *c, ent_state_id st)
{
    ent_application *a = pending_application(c, st);
    if (a) a->decided = c->d;
    return ent__act_add_mchange(c, st, ENT_MS_MEMBER);
}

/* CSC admit MN: the CSC's decision (by consensus, recorded as taken). */
static int do_admit(ent_ctx *c)
{
    int body;
    ent_state_id st;
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 1)) return c->o->verdict;
    const ent_arg *a = ent__stmt_pos(c->st, 0);
    if (!a) return ent__act_err(c, 0, "missing the state to admit");
    if (ent__act_state_of(c, a->val, a->col, &st) || check_admission(c, body, st)) return c->o->verdict;
    return admit(c, st);
}

/* CSC propose admit id=P state=MN | CSC propose declaration|decision id=P
** "text": called by apply.c's do_propose (which checked session=). */
int ent__members_propose(ent_ctx *c, int body, const ent_arg *k)
{
    ent_state_id st = -1;
    ent_sym id;
    int kind = ent__str_eq(k->val, "admit") ? ENT_PK_ADMIT : ENT_PK_DOCUMENT;
    if (kind == ENT_PK_ADMIT) {
        if (ent__act_check_keys(c, "id state session") || ent__act_key_state(c, ENT_K_STATE, 1, &st) || check_admission(c, body, st))
            return c->o->verdict;
    } else {
        if (ent__act_check_keys(c, "id session")) return c->o->verdict;
        if (!c->st->has_text) return ent__act_err(c, 0, "missing the \"text\" of the %.*s", (int)k->val.n, k->val.p);
        if (ent__act_competence(c, body, ent__str_eq(k->val, "declaration") ? "declaration" : "decision")) return c->o->verdict;
    }
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    ent_proposal *p = ent__act_new_proposal(c, id, body, k, -1, kind);
    if (!p) return ent__act_nomem(c);
    p->third = st;
    return ENT_V_OK;
}

int ent__members_close(ent_ctx *c, ent_proposal *p)
{
    if (p->pkind != ENT_PK_ADMIT || (p->status != ENT_PROP_ADOPTED && p->status != ENT_PROP_LIMITED)) return ENT_V_OK;
    if (is_member(ent__inst_mstatus(c->s, p->third, c->d))) { /* joined meanwhile */
        p->status = ENT_PROP_LAPSED;
        return ENT_V_OK;
    }
    return admit(c, p->third);
}

/* ------------------------------------------------------------------ */
/* Withdrawal.                                                          */

static int notice_months(const ent_charter *ch)
{
    return ent__charter_switch(ch, "withdrawal.notice-months") ? ent__charter_switch_int(ch, "withdrawal.notice-months", 6) : 0;
}

static ent_date add_months(ent_date d, int months)
{
    int y, m, dd;
    ent__date_split(d, &y, &m, &dd);
    m += months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    ent_date out;
    while (dd > 28 && ent__date_make(y, m, dd, &out) != 0) dd--;
    if (ent__date_make(y, m, dd, &out) != 0) return ENT_DATE_NONE; /* past 9999-12-31 */
    return out;
}

const ent_withdrawal *ent__withdrawal_pending(const ent_inst *s, ent_state_id st, ent_date d)
{
    const ent_withdrawal *w = s->withdrawals.p;
    for (size_t i = s->withdrawals.len; i-- > 0;)
        if (w[i].state == st && w[i].date <= d && d < w[i].effective) return &w[i];
    return NULL;
}

/* AM notify-withdrawal "text": a member files notice; it is former from the
** date the notice period (switch withdrawal.notice-months) has run. */
static int do_notify_withdrawal(ent_ctx *c)
{
    ent_state_id st;
    char b[11], b2[11];
    if (ent__act_subject_state(c, &st) || ent__act_check_keys(c, "") || ent__act_max_pos(c, 0)) return c->o->verdict;
    int ms = ent__inst_mstatus(c->s, st, c->d);
    if (!is_member(ms))
        return ent__act_refuse(c, "members", "%s is not a member on %s: it has no membership to withdraw from", ent__act_code(c, st),
                               ent__act_day(c->d, b));
    const ent_withdrawal *w = ent__withdrawal_pending(c->s, st, c->d);
    if (w)
        return ent__act_refuse(c, "members", "%s filed notice of withdrawal on %s; it takes effect on %s", ent__act_code(c, st),
                               ent__act_day(w->date, b), ent__act_day(w->effective, b2));
    /* the notice decides the standing from its date: a change of standing
    ** recorded later than it would follow a withdrawal */
    const ent_mchange *m = c->s->members.p;
    for (size_t i = 0; i < c->s->members.len; i++)
        if (m[i].state == st && m[i].date > c->d)
            return ent__act_err(c, c->st->col_verb, "%s's standing is recorded to change on %s, after this notice",
                                ent__act_code(c, st), ent__act_day(m[i].date, b));
    ent_date eff = add_months(c->d, notice_months(c->s->charter));
    if (eff == ENT_DATE_NONE)
        return ent__act_err(c, 1, "the notice would take effect after 9999-12-31, the last date entente knows");
    if (eff < c->s->relied[st])
        return ent__act_err(c, 1, "%s's standing cannot change on %s, when this notice would take effect: acts recorded up to %s rely on it",
                            ent__act_code(c, st), ent__act_day(eff, b), ent__act_day(c->s->relied[st], b2));
    ent_withdrawal *nw = ent__vec_push(&c->s->withdrawals);
    if (!nw) return ent__act_nomem(c);
    *nw = (ent_withdrawal){ c->d, st, eff, ent__act_text_sym(c) };
    if (ent__inst_set_mstatus(c->s, st, eff, ENT_MS_FORMER)) return ent__act_nomem(c);
    ent__inst_rely(c->s, st, eff);
    return ENT_V_OK;
}

int ent__members_leave_refusal(ent_ctx *c, ent_state_id st)
{
    char b[11], b2[11];
    ent_date from = ent__charter_org_from(c->s->charter);
    if (!ent__charter_switch(c->s->charter, "withdrawal.notice-months") || from == ENT_DATE_NONE || c->d < from) return 0;
    int months = notice_months(c->s->charter);
    const ent_withdrawal *w = ent__withdrawal_pending(c->s, st, c->d);
    if (w)
        return ent__act_refuse(c, "members",
                               "%s filed notice of withdrawal on %s: it remains a member until %s, when the notice period of "
                               "%d month(s) has run (switch withdrawal.notice-months)",
                               ent__act_code(c, st), ent__act_day(w->date, b), ent__act_day(w->effective, b2), months);
    return ent__act_refuse(c, "members",
                           "since %s a member withdraws by notice ('%s notify-withdrawal'): it is a former member %d "
                           "month(s) later (switch withdrawal.notice-months); no notice of %s is on record",
                           ent__act_day(from, b), ent__act_code(c, st), months, ent__act_code(c, st));
}

/* ------------------------------------------------------------------ */
/* Digest and dispatch.                                                 */

void ent__members_digest(const ent_inst *s, void *g)
{
    ent__dg_int(g, (int64_t)s->applications.len);
    for (size_t i = 0; i < s->applications.len; i++) {
        const ent_application *a = &ENT_VEC_AT(&s->applications, ent_application, i);
        ent__dg_int(g, a->date), ent__dg_int(g, a->state), ent__dg_text(g, ent__sym_str(s, a->text)), ent__dg_int(g, a->decided);
    }
    ent__dg_int(g, (int64_t)s->withdrawals.len);
    for (size_t i = 0; i < s->withdrawals.len; i++) {
        const ent_withdrawal *w = &ENT_VEC_AT(&s->withdrawals, ent_withdrawal, i);
        ent__dg_int(g, w->date), ent__dg_int(g, w->state), ent__dg_int(g, w->effective), ent__dg_text(g, ent__sym_str(s, w->text));
    }
}

const ent_verb ent__verbs_members[] = {
    ENT_VERB("absent", do_absent), ENT_VERB("admit", do_admit),
    ENT_VERB("apply", do_apply), ENT_VERB("notify-withdrawal", do_notify_withdrawal),
    { NULL, 0, NULL }
};
