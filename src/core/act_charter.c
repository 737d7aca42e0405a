/*
** act_charter.c: what other charters than the CSTO's need from the engine
** (docs/charters.md): decision rules other than consensus, the parties to a
** dispute who do not vote, the treaty area, and whom an adopted decision
** binds. Each is selected by the charter: a rule it declares or a switch.
**
**   switch decision.rule          consensus (default; CSTO, NATO): one `no`
**                                 blocks at once; two-thirds (Rio art. 17):
**                                 adopted when at least two thirds of the
**                                 members taking part vote yes; majority: more
**                                 than half. Under the last two an objection
**                                 does not block and the vote closes when
**                                 every member taking part has voted.
**   switch decision.parties-vote  yes (default) or no (Rio art. 18): the
**                                 states named by a proposal's parties= do not
**                                 take part in its vote.
**   rule area                     (NATO art. 6) a deployment's host must be a
**                                 party whose territory is in the states the
**                                 charter lists with `charter area`.
**   binds                         who an adopted decision binds: under
**                                 consensus the members that took part (in a
**                                 limited format only those who said yes);
**                                 under two-thirds or majority every member,
**                                 the parties to the dispute and those who
**                                 voted no included (Rio art. 20).
*/
#include "act.h"

#include <string.h>

const char *ent__decision_rule(const ent_charter *c)
{
    static const char *const names[] = { "consensus", "two-thirds", "majority" };
    return names[c->rd_rule];
}

int ent__act_parties(ent_ctx *c, uint64_t *out)
{
    *out = 0;
    const ent_arg *a = ent__stmt_key(c->st, ENT_K_PARTIES);
    if (!a) return 0;
    ent_state_id ids[ENT_MAX_STATES];
    int n;
    if (ent__act_state_list(c, a, ids, ENT_MAX_STATES, &n)) return c->o->verdict;
    for (int i = 0; i < n; i++) *out |= 1ull << ids[i];
    return 0;
}

int ent__act_parties_vote(ent_ctx *c) { return c->s->charter->rd_parties_vote; }

int ent__act_area_check(ent_ctx *c, ent_state_id host)
{
    const ent_charter *ch = c->s->charter;
    if (!ent__act_in_force(c, "area")) return 0;
    const char *code = ent__act_code(c, host);
    int in = 0;
    for (int i = 0; i < ch->narea && !in; i++) in = strcmp(ch->area[i], code) == 0;
    if (!in)
        return ent__act_refuse(c, "area", "%s is outside the treaty area: collective action covers the territory of the "
                                          "parties in the area the charter declares",
                               code);
    int ms = ent__inst_mstatus(c->s, host, c->d);
    if (ms != ENT_MS_MEMBER && ms != ENT_MS_FROZEN)
        return ent__act_refuse(c, "area", "%s is not a party: the treaty area covers the territory of the parties", code);
    return 0;
}

int ent__act_vote_outcome(ent_ctx *c, int yes, int no, int rest)
{
    const ent_charter *ch = c->s->charter;
    return ch->rd_rule == 0 ? -1 : ent__decide(ch->rd_rule, ch->rd_quorum, ch->rd_limited_ok, yes, no, rest);
}

int ent__decide(int rule, int quorum, int limited_ok, int yes, int no, int rest)
{
    int n = yes + no + rest;
    if (rule == 1) return n > 0 && yes >= quorum && 3 * yes >= 2 * n ? ENT_PROP_ADOPTED : ENT_PROP_LAPSED;
    if (rule == 2) return n > 0 && yes >= quorum && 2 * yes > n ? ENT_PROP_ADOPTED : ENT_PROP_LAPSED;
    /* consensus: one objection blocks; abstaining or staying out does not */
    if (no) return ENT_PROP_BLOCKED;
    if (yes < quorum) return ENT_PROP_LAPSED;
    if (rest == 0) return ENT_PROP_ADOPTED;
    return limited_ok ? ENT_PROP_LIMITED : ENT_PROP_LAPSED;
}

uint64_t ent__proposal_binds(const ent_inst *s, const ent_proposal *p)
{
    if (p->status == ENT_PROP_LIMITED) {
        uint64_t m = 0;
        for (int i = 0; i < s->world->nstates; i++)
            if ((p->eligible >> i & 1) && p->votes[i] == ENT_VOTE_YES) m |= 1ull << i;
        return m;
    }
    if (p->status != ENT_PROP_ADOPTED) return 0;
    if (strcmp(ent__decision_rule(s->charter), "consensus") == 0) return p->eligible;
    /* binding on every member (Rio art. 20): the parties to the dispute too */
    uint64_t m = p->eligible;
    for (int i = 0; i < s->world->nstates; i++)
        if ((p->parties >> i & 1) && ent__inst_mstatus(s, (ent_state_id)i, p->closed) == ENT_MS_MEMBER) m |= 1ull << i;
    return m;
}
