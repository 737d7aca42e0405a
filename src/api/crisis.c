/*
** crisis.c: ent_crisis_frame() and ent_frame_decide(), what the charter
** allows when a member asks for help (include/entente.h).
**
** The frame is not worked out by a second reading of the charter: its acts
** are put to the engine itself, on copies of the state of the crisis's date,
** as the lines a chronicle would hold:
**
**   D HOST request assistance id=SIM-R [article=A]
**   D BODY propose deploy id=SIM-D force=F host=HOST request=SIM-R
**   D X vote SIM-D yes                      (each state X, on its own copy)
**   D X contribute SIM-D troops=1           (each state X, once every voter said yes)
**   D BODY mission id=SIM-M host=HOST request=SIM-R   (on a copy: the lesser answer)
**
** Whatever the engine accepts is what a run of the simulator may do; the
** refusals say why a run may not (the rule and its citation). The routes
** are the route module's, with the memberships of the date; the decision
** rule, its quorum, the limited format and the periods are the charter's
** switches. ent_frame_decide() closes a vote with the engine's own function
** (ent__decide), so a simulated vote is decided as the engine decides it.
*/
#include "api.h"

#include "../core/act.h"
#include "../core/register.h"

#include <stdio.h>
#include <string.h>

static const char *const crisis_kinds[] = { "unrest", "aggression", "border-clash", "terrorism" };

/* Apply one line to s; ENT_V_* and, on refusal, the message in why. */
static int probe(ent_inst *s, const char *line, char *why, size_t whysz)
{
    ent_arena a = { 0 };
    ent_stmt st;
    char msg[256];
    uint16_t col;
    int v;
    if (ent__parse_line("crisis", 1, line, strlen(line), ENT_DATE_NONE, &a, &st, msg, sizeof msg, &col)) {
        snprintf(why, whysz, "%s", msg);
        v = ENT_V_ERROR;
    } else {
        ent_outcome o;
        v = ent__inst_apply(s, &st, &o);
        if (v != ENT_V_OK) {
            int n = snprintf(why, whysz, "%s%s%s%s%s%s", o.msg, o.rule ? " [" : "", o.rule ? o.rule : "",
                             o.rule ? "; " : "", o.source ? o.source : "", o.rule ? "]" : "");
            if (n < 0 || (size_t)n >= whysz) why[whysz - 1] = 0; /* cut: the message stays readable */
        }
    }
    ent__arena_free(&a);
    return v;
}

/* "DATE X ACT" for each state X of `ask`, each on a copy of base: *ok gets
** the states whose act the engine accepts. 0, or -1 out of memory. */
static int probe_each(const ent_inst *base, const ent_frame *f, const char *act, uint64_t ask, uint64_t *ok)
{
    char line[256], why[320];
    *ok = 0;
    for (int i = 0; i < f->nstates; i++) {
        if (!(ask >> i & 1)) continue;
        ent_inst copy;
        if (ent__inst_clone(&copy, base)) return -1;
        snprintf(line, sizeof line, "%s %s %s", f->date, f->states[i].code, act);
        int v = probe(&copy, line, why, sizeof why);
        ent__inst_free(&copy);
        if (v == ENT_V_NOMEM) return -1;
        if (v == ENT_V_OK) *ok |= 1ull << i;
    }
    return 0;
}

/* The force of a crisis: named, or by kind among those in force on d. */
static int pick_force(const ent_charter *ch, const char *name, int kind, ent_date d)
{
    if (name) {
        for (int i = 0; i < ch->nforces; i++)
            if (strcmp(ch->forces[i].code, name) == 0) return i;
        return -1;
    }
    int best = -1;
    for (int i = 0; i < ch->nforces; i++) {
        const ent_force *f = &ch->forces[i];
        if (!ent__range_contains((ent_range){ f->from, f->to }, d)) continue;
        if (best < 0) best = i;
        else if ((kind == 1 || kind == 2) && f->strength > ch->forces[best].strength) best = i;
    }
    return best >= 0 ? best : (ch->nforces ? 0 : -1);
}

int ent_crisis_frame(ent_db *db, const ent_crisis *c, ent_frame *f, ent_report *rep)
{
    memset(f, 0, sizeof *f);
    ent_date d;
    int rc = ent__query_date(db, c->date, &d, rep);
    if (rc != ENT_OK) return rc;
    const ent_world *w = &db->world;
    const ent_charter *ch = &db->charter;
    f->kind = -1;
    for (int i = 0; i < (int)(sizeof crisis_kinds / sizeof crisis_kinds[0]); i++)
        if (c->kind && strcmp(c->kind, crisis_kinds[i]) == 0) f->kind = i;
    if (f->kind < 0) {
        ent__report(rep, ENT_DIAG_ERROR, "crisis", "unknown kind '%s' (unrest, aggression, border-clash, terrorism)",
                    c->kind ? c->kind : "");
        return ENT_EUSAGE;
    }
    f->host = c->host ? ent__world_find(w, (ent_str){ c->host, (uint32_t)strlen(c->host) }) : -1;
    f->adversary = c->adversary ? ent__world_find(w, (ent_str){ c->adversary, (uint32_t)strlen(c->adversary) }) : -1;
    if (f->host < 0 || (c->adversary && f->adversary < 0)) {
        ent__report(rep, ENT_DIAG_ERROR, "crisis", "unknown state '%s'", f->host < 0 ? (c->host ? c->host : "") : c->adversary);
        return ENT_EUSAGE;
    }
    if (f->adversary == f->host) {
        ent__report(rep, ENT_DIAG_ERROR, "crisis", "the adversary is the host, %s", c->host);
        return ENT_EUSAGE;
    }
    int force = pick_force(ch, c->force, f->kind, d);
    if (force < 0) {
        ent__report(rep, ENT_DIAG_ERROR, "crisis", c->force ? "unknown force '%s'" : "the charter declares no force%s",
                    c->force ? c->force : "");
        return ENT_EUSAGE;
    }
    ent__date_format(d, f->date);
    snprintf(f->org, sizeof f->org, "%s", ch->org);
    snprintf(f->body, sizeof f->body, "%s", ch->nbodies ? ch->bodies[0].code : "CSC");
    snprintf(f->force, sizeof f->force, "%s", ch->forces[force].code);
    f->strength = ch->forces[force].strength;
    f->rule = ch->rd_rule;
    f->limited_ok = ch->rd_limited_ok;
    f->quorum = ch->rd_quorum;
    f->withdrawal_days = ch->rd_withdrawal_days;
    f->un_notice_days = ch->rd_un_notice_days;
    f->nstates = w->nstates;

    ent_inst tmp, base;
    const ent_inst *s0;
    rc = ent__state_at(db, d, &tmp, &s0, rep);
    if (rc != ENT_OK) return rc;
    int bad = ent__inst_clone(&base, s0);
    if (s0 == &tmp) ent__inst_free(&tmp);
    if (bad) return ENT_ENOMEM;

    /* standings and routes on the date: states crossed need consent unless
    ** active members; the host needs none while a member, frozen or not
    ** (as `entente route` computes them) */
    uint8_t member[ENT_MAX_STATES] = { 0 };
    for (int i = 0; i < w->nstates; i++) {
        int ms = ent__inst_mstatus(&base, (ent_state_id)i, d);
        f->states[i].standing = ms;
        member[i] = ms == ENT_MS_MEMBER;
        snprintf(f->states[i].code, sizeof f->states[i].code, "%s", w->states[i].code);
        snprintf(f->states[i].name, sizeof f->states[i].name, "%s", w->states[i].name);
    }
    for (size_t k = 0; k < base.disputes.len; k++) { /* open on the date */
        const ent_dispute *dp = &ENT_VEC_AT(&base.disputes, ent_dispute, k);
        if (dp->opened > d || (dp->settled != ENT_DATE_NONE && dp->settled <= d) || dp->a < 0 || dp->b < 0) continue;
        f->states[dp->a].disputes |= 1ull << dp->b;
        f->states[dp->b].disputes |= 1ull << dp->a;
    }
    int hms = f->states[f->host].standing;
    member[f->host] = hms == ENT_MS_MEMBER || hms == ENT_MS_FROZEN;
    for (int i = 0; i < w->nstates; i++) {
        ent_frame_state *fs = &f->states[i];
        ent_path r[8];
        int n = ent__routes(w, (ent_state_id)i, f->host, member, r, 8);
        fs->km = fs->km_free = -1;
        if (n > 0) {
            fs->km = r[0].km;
            fs->consents = r[0].nconsent;
            for (int k = 0; k < r[0].nconsent; k++) fs->consent_set |= 1ull << r[0].consent[k];
        }
        for (int k = 0; k < n; k++)
            if (r[k].nconsent == 0 && (fs->km_free < 0 || r[k].km < fs->km_free)) fs->km_free = r[k].km;
    }

    /* the acts, put to the engine: the request (assistance, consultations or
    ** none), the proposal on it, and on a copy the proposal without request=
    ** (switch deploy.request) */
    char line[512], why[320], uwhy[320];
    const char *host = w->states[f->host].code;
    const char *art = ch->rd_request_article >= 0 ? ch->switches[ch->rd_request_article].value : "any";
    if (strcmp(art, "any") == 0) art = NULL;
    snprintf(f->article, sizeof f->article, "%s", art ? art : "");
    f->request_required = ch->rd_request_required;
    static const char *const requests[3] = { "assistance", "consultations", "none" };
    f->request = -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(c->request ? c->request : "assistance", requests[i]) == 0) f->request = i;
    if (f->request < 0) {
        ent__inst_free(&base);
        ent__report(rep, ENT_DIAG_ERROR, "crisis", "unknown request '%s' (assistance, consultations, none)", c->request);
        return ENT_EUSAGE;
    }
    int v = ENT_V_OK;
    why[0] = 0;
    if (f->request < 2) {
        snprintf(line, sizeof line, "%s %s request %s id=SIM-R threat=%s%s%s", f->date, host, requests[f->request],
                 crisis_kinds[f->kind], art ? " article=" : "", art ? art : "");
        v = probe(&base, line, why, sizeof why);
        f->request_ok = v == ENT_V_OK;
        if (v == ENT_V_NOMEM) goto nomem;
    }
    if (f->request == 0 && f->request_ok) { /* a mission instead, on a copy */
        ent_inst copy;
        if (ent__inst_clone(&copy, &base)) goto nomem;
        snprintf(line, sizeof line, "%s %s mission id=SIM-M host=%s request=SIM-R", f->date, f->body, host);
        v = probe(&copy, line, uwhy, sizeof uwhy);
        ent__inst_free(&copy);
        f->mission_ok = v == ENT_V_OK;
        if (v == ENT_V_NOMEM) goto nomem;
    }
    ent_inst unasked;
    if (ent__inst_clone(&unasked, &base)) goto nomem;
    snprintf(line, sizeof line, "%s %s propose deploy id=SIM-D force=%s host=%s", f->date, f->body, f->force, host);
    v = probe(&unasked, line, uwhy, sizeof uwhy);
    f->unasked_ok = v == ENT_V_OK;
    if (v == ENT_V_NOMEM) {
        ent__inst_free(&unasked);
        goto nomem;
    }
    if (f->request_ok) {
        snprintf(line, sizeof line, "%s %s propose deploy id=SIM-D force=%s host=%s request=SIM-R", f->date, f->body,
                 f->force, host);
        v = probe(&base, line, why, sizeof why);
        f->deploy_ok = v == ENT_V_OK;
        if (v == ENT_V_NOMEM) {
            ent__inst_free(&unasked);
            goto nomem;
        }
    }
    if (!f->deploy_ok) snprintf(f->refusal, sizeof f->refusal, "%s", f->request == 2 ? uwhy : why);
    if (!f->deploy_ok && f->unasked_ok) { /* the voters and contingents of the proposal without request= */
        ent__inst_free(&base);
        base = unasked;
    } else ent__inst_free(&unasked);
    if (!f->deploy_ok && !f->unasked_ok) {
        ent__inst_free(&base);
        return ENT_OK;
    }
    /* each vote on a copy of its own: a vote that closes the proposal must
    ** not hide the others; only members take part (no need to ask the others) */
    uint64_t ask = 0;
    for (int i = 0; i < w->nstates; i++) ask |= member[i] || i == f->host ? 1ull << i : 0;
    if (probe_each(&base, f, "vote SIM-D yes", ask, &f->voters)) goto nomem;
    /* every voter for it: adopted; then each state's contingent */
    for (uint64_t m = f->voters; m; m &= m - 1) {
        snprintf(line, sizeof line, "%s %s vote SIM-D yes", f->date, w->states[__builtin_ctzll(m)].code);
        if (probe(&base, line, why, sizeof why) == ENT_V_NOMEM) goto nomem;
    }
    if (probe_each(&base, f, "contribute SIM-D troops=1", ~0ull, &f->contributors)) goto nomem;
    for (int i = 0; i < w->nstates; i++) {
        f->states[i].votes = (int)(f->voters >> i & 1);
        f->states[i].contributes = (int)(f->contributors >> i & 1);
    }
    ent__inst_free(&base);
    return ENT_OK;
nomem:
    ent__inst_free(&base);
    ent__report(rep, ENT_DIAG_ERROR, "crisis", "out of memory");
    return ENT_ENOMEM;
}

/* Bits set, inline: without -mpopcnt __builtin_popcountll is a call to
** libgcc, and the simulator decides a vote per run. */
static inline int bits(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (int)((x * 0x0101010101010101ull) >> 56);
}

int ent_frame_decide(const ent_frame *f, uint64_t yes, uint64_t no, uint64_t abstain)
{
    yes &= f->voters;
    no &= f->voters & ~yes;
    (void)abstain; /* an abstention counts as staying out: neither for nor against */
    int ny = bits(yes), nn = bits(no);
    int rest = bits(f->voters) - ny - nn; /* abstained or stayed out */
    return ent__decide(f->rule, f->quorum, f->limited_ok, ny, nn, rest);
}
