/*
** act_staff.c: the Joint Staff's chiefs and the CSC's missions (csto-facts
** s.1.5 and s.3, Armenia 2022).
**
**   CSC appoint chief-of-staff [state=RU] [from=DATE] "name"
**   CSC mission id=M host=AM request=R [lead="names"] ["text"]
**   M advance-team ["text"]        (fact: the advance team arrived)
**   M arrive ["text"]              (fact: the mission arrived)
**   M complete ["text"]            (fact: the mission ended)
**
** Rule `joint-staff` (CSC decisions on the Joint Staff, 2003 and 2018): the
** CSC appoints the chief of the Joint Staff (founded 28 Apr 2003); since 2018
** the chief comes from Russia [S62]. An appointment dated from 2018 on must
** name state=RU; before, state= may be left out (the fact sheet gives none).
** The chief in office on a date is the last appointed whose from= is on or
** before it.
**
** A mission is a decision of the CSC (rule bodies: competence `mission`) to
** send a team, not forces: no force, no troops, no vote recorded. It goes
** only to a member's territory (rule territory) and only on that member's
** request for assistance, dated on or before it (rule request). It does not
** answer the request: Armenia's request of 13 Sep 2022 was met by a mission,
** and the outcome was "no military aid" [S96], so the request stays open.
*/
#include "act.h"

#include <string.h>


/* Since 2018 the chief of the Joint Staff comes from Russia [S62]; the month
** is not in the fact sheet: 1 Jan 2018. */
#define STAFF_RU_FROM_Y 2018

const ent_chief *ent__inst_chief(const ent_inst *s, ent_date d)
{
    const ent_chief *best = NULL;
    for (size_t i = 0; i < s->chiefs.len; i++) {
        const ent_chief *k = &ENT_VEC_AT(&s->chiefs, ent_chief, i);
        if (k->date <= d && k->from <= d && (!best || k->from >= best->from)) best = k;
    }
    return best;
}

const char *ent__mission_status(const ent_mission *m, ent_date d)
{
    if (m->complete != ENT_DATE_NONE && m->complete <= d) return "complete";
    if (m->arrived != ENT_DATE_NONE && m->arrived <= d) return "arrived";
    if (m->advance != ENT_DATE_NONE && m->advance <= d) return "advance-team";
    return "decided";
}

void ent__staff_digest(const ent_inst *s, void *g)
{
    /* only when there are any: the digests of older states stay */
    if (s->chiefs.len) {
        ent__dg_text(g, "chiefs");
        ent__dg_int(g, (int64_t)s->chiefs.len);
        for (size_t i = 0; i < s->chiefs.len; i++) {
            const ent_chief *k = &ENT_VEC_AT(&s->chiefs, ent_chief, i);
            ent__dg_int(g, k->date), ent__dg_int(g, k->from), ent__dg_int(g, k->state), ent__dg_int(g, k->name);
        }
    }
    if (s->missions.len) {
        ent__dg_text(g, "missions");
        ent__dg_int(g, (int64_t)s->missions.len);
        for (size_t i = 0; i < s->missions.len; i++) {
            const ent_mission *m = &ENT_VEC_AT(&s->missions, ent_mission, i);
            ent__dg_int(g, m->id), ent__dg_int(g, m->date), ent__dg_int(g, m->body), ent__dg_int(g, m->host);
            ent__dg_int(g, m->request), ent__dg_int(g, m->lead), ent__dg_int(g, m->text);
            ent__dg_int(g, m->advance), ent__dg_int(g, m->arrived), ent__dg_int(g, m->complete);
        }
    }
}

/* ------------------------------------------------------------------ */
/* The chief of the Joint Staff.                                        */

int ent__staff_appoint(ent_ctx *c)
{
    int body;
    ent_state_id st;
    ent_date from;
    char b[11];
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "state from") || ent__act_max_pos(c, 1) ||
        ent__act_key_state(c, ENT_K_STATE, 0, &st) || ent__act_key_date(c, ENT_K_FROM, 0, &from))
        return c->o->verdict;
    if (from == ENT_DATE_NONE) from = c->d;
    if (!c->st->has_text || !c->st->text.n) return ent__act_err(c, 0, "missing the chief of staff's \"name\"");
    if (ent__act_in_force(c, "joint-staff")) {
        if (!ent__act_is_supreme(c, body))
            return ent__act_refuse(c, "joint-staff", "the %s appoints the chief of the Joint Staff, not the %s",
                                   ent__act_supreme(c), c->s->charter->bodies[body].code);
        int y, m, d;
        ent__date_split(from, &y, &m, &d);
        ent_state_id ru = ent__world_find(c->s->world, (ent_str){ "RU", 2 });
        if (y >= STAFF_RU_FROM_Y && ru >= 0 && st != ru)
            return ent__act_refuse(c, "joint-staff", "since 2018 the chief of the Joint Staff comes from Russia [S62]: %s",
                                   st >= 0 ? ent__act_code(c, st) : "no state= given");
        if (st >= 0 && ent__act_standing_refusal(c, st, "the chief of the Joint Staff comes from a member state"))
            return c->o->verdict;
    }
    const ent_chief *cur = ent__inst_chief(c->s, c->d);
    if (cur && from < cur->from)
        return ent__act_err(c, ent__stmt_key(c->st, ENT_K_FROM) ? ent__stmt_key(c->st, ENT_K_FROM)->col : 0,
                            "from= is before the current chief's appointment (%s)", ent__act_day(cur->from, b));
    if (ent__act_competence(c, body, "appoint")) return c->o->verdict;
    ent_sym name = ent__act_text_sym(c);
    if (!name) return ent__act_nomem(c);
    ent_chief *k = ent__vec_push(&c->s->chiefs);
    if (!k) return ent__act_nomem(c);
    *k = (ent_chief){ c->d, from, st, name };
    return ENT_V_OK;
}

/* ------------------------------------------------------------------ */
/* Missions.                                                            */

static int do_mission(ent_ctx *c)
{
    int body;
    ent_state_id host;
    int32_t req = -1;
    ent_sym id;
    char b[11];
    if (ent__act_subject_body(c, &body) || ent__act_check_keys(c, "id host request lead") || ent__act_max_pos(c, 0) ||
        ent__act_key_state(c, ENT_K_HOST, 1, &host))
        return c->o->verdict;
    const ent_arg *ra = ent__stmt_key(c->st, ENT_K_REQUEST);
    if (ra && ent__act_record_of(c, ra, ENT_REC_REQUEST, "a request", &req)) return c->o->verdict;
    if (ent__act_competence(c, body, "mission")) return c->o->verdict;
    if (ent__act_in_force(c, "territory")) {
        int ms = ent__inst_mstatus(c->s, host, c->d);
        if (ms != ENT_MS_MEMBER && ms != ENT_MS_FROZEN)
            return ent__act_refuse(c, "territory", "%s is not a member on %s: a mission goes only to a member's territory",
                                   ent__act_code(c, host), ent__act_day(c->d, b));
    }
    if (ent__act_in_force(c, "request")) {
        const ent_request *r = req >= 0 ? &ENT_VEC_AT(&c->s->requests, ent_request, req) : NULL;
        if (!r)
            return ent__act_refuse(c, "request", "no request=: a mission goes to a member's territory only at its request (%s)",
                                   ent__act_code(c, host));
        if (strcmp(ent__sym_str(c->s, r->kind), "assistance") != 0)
            return ent__act_refuse(c, "request", "request %s asks for %s, not assistance", ent__sym_str(c->s, r->id),
                                   ent__sym_str(c->s, r->kind));
        if (r->state != host)
            return ent__act_refuse(c, "request", "request %s is %s's, not %s's: a mission goes only at the host's request",
                                   ent__sym_str(c->s, r->id), ent__act_code(c, r->state), ent__act_code(c, host));
    }
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    const ent_arg *la = ent__stmt_key(c->st, ENT_K_LEAD);
    ent_sym lead = la && la->val.n ? ent__text(c->s, la->val.p, la->val.n) : 0;
    ent_sym text = ent__act_text_sym(c);
    if ((la && la->val.n && !lead) || (c->st->has_text && c->st->text.n && !text)) return ent__act_nomem(c);
    ent_mission *m = ent__vec_push(&c->s->missions);
    if (!m) return ent__act_nomem(c);
    *m = (ent_mission){ id, c->d, (int8_t)body, host, req, lead, text, ENT_DATE_NONE, ENT_DATE_NONE, ENT_DATE_NONE };
    if (ent__inst_add_record(c->s, id, ENT_REC_MISSION, (int32_t)(c->s->missions.len - 1))) return ent__act_nomem(c);
    /* the request stays open: a mission is not the assistance asked for */
    return ENT_V_OK;
}

/* The mission the subject names, or -1 (not a mission); *idx its index. */
static int subject_mission(ent_ctx *c, int32_t *idx)
{
    if (ent__world_find(c->s->world, c->st->subject) >= 0) return -1;
    if (ent__charter_body(c->s->charter, c->st->subject) >= 0) return -1;
    return ent__inst_record(c->s, c->st->subject.p, c->st->subject.n, idx) == ENT_REC_MISSION ? 0 : -1;
}

/* M advance-team | M arrive | M complete: facts about a mission, in order. */
int ent__mission_fact(ent_ctx *c)
{
    int32_t idx;
    char b[11];
    if (subject_mission(c, &idx) < 0) {
        if (!ent__str_eq(c->st->verb, "advance-team")) return -1;
        return ent__act_err(c, c->st->col_subject, "'%.*s advance-team': the subject must be a mission",
                            (int)c->st->subject.n, c->st->subject.p);
    }
    if (ent__act_check_keys(c, "") || ent__act_max_pos(c, 0)) return c->o->verdict;
    ent_mission *m = &ENT_VEC_AT(&c->s->missions, ent_mission, idx);
    if (m->date > c->d)
        return ent__act_err(c, c->st->col_subject, "'%s' is dated %s, after this line", ent__sym_str(c->s, m->id),
                            ent__act_day(m->date, b));
    ent_date *slot = ent__str_eq(c->st->verb, "advance-team") ? &m->advance
                     : ent__str_eq(c->st->verb, "arrive")     ? &m->arrived
                                                              : &m->complete;
    if (*slot != ENT_DATE_NONE)
        return ent__act_err(c, c->st->col_verb, "%s: '%.*s' is already recorded on %s", ent__sym_str(c->s, m->id),
                            (int)c->st->verb.n, c->st->verb.p, ent__act_day(*slot, b));
    if (m->complete != ENT_DATE_NONE)
        return ent__act_err(c, c->st->col_verb, "%s was complete on %s", ent__sym_str(c->s, m->id), ent__act_day(m->complete, b));
    *slot = c->d;
    return ENT_V_OK;
}

static int do_advance(ent_ctx *c) { return ent__mission_fact(c); }

const ent_verb ent__verbs_staff[] = {
    ENT_VERB("mission", do_mission),
    ENT_VERB("advance-team", do_advance),
    { NULL, 0, NULL },
};
