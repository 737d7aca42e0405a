/*
** act_register.c: the threat register: incidents, a fact each, and the
** regions of collective security they are counted in (register.h). Also the
** set-up and digest of every record of register.h, disputes included.
**
**   KG incident id=I category=border-clash [region=central-asian]
**       [severity=0..10|low|medium|high] [dead=N] [injured=N] [other=TJ]
**       [dispute=D] "what happened"
**
** An incident is recorded as it happened: no rule refuses it. A malformed
** line is an error (unknown category, region or state; a number out of
** range; an incident in Russia without region=; a region the state is not
** in; dispute= naming a dispute whose parties are not the incident's
** states).
*/
#include "act.h"
#include "register.h"

#include <string.h>


static const char *const cat_names[ENT_INC_NCATS] = {
    "terrorism", "extremism", "drug-trafficking", "illegal-migration", "cybercrime",
    "cross-border-crime", "armed-aggression", "mass-unrest", "border-clash",
};

const char *ent__inc_cat_name(int cat) { return cat >= 0 && cat < ENT_INC_NCATS ? cat_names[cat] : "?"; }

static const char *const region_names[ENT_REGION_N] = { "none", "east-european", "caucasian", "central-asian" };

const char *ent__region_name(int region) { return region >= 0 && region < ENT_REGION_N ? region_names[region] : "?"; }

/* The regions of collective security and their states. Model note: the
** fact sheet (csto-facts s.2) names the regional groups of forces Russia-
** Belarus and Russia-Armenia [S71][S79] and the Central Asian collective
** rapid deployment forces [S71][S79], without listing the Central Asian
** members; the mapping East European = BY, RU; Caucasian = AM, RU; Central
** Asian = KZ, KG, TJ, RU is the model's reading of those groups. Russia
** belongs to all three. Every other state is in none. */
static const struct {
    char code[3];
    unsigned regions;
} region_map[] = {
    { "BY", 1u << ENT_REGION_EAST_EUROPEAN },
    { "AM", 1u << ENT_REGION_CAUCASIAN },
    { "KZ", 1u << ENT_REGION_CENTRAL_ASIAN },
    { "KG", 1u << ENT_REGION_CENTRAL_ASIAN },
    { "TJ", 1u << ENT_REGION_CENTRAL_ASIAN },
    { "RU", 1u << ENT_REGION_EAST_EUROPEAN | 1u << ENT_REGION_CAUCASIAN | 1u << ENT_REGION_CENTRAL_ASIAN },
};

unsigned ent__region_of_state(const ent_world *w, ent_state_id st)
{
    if (st < 0) return 0;
    const char *code = w->states[st].code;
    for (size_t i = 0; i < sizeof region_map / sizeof region_map[0]; i++)
        if (strcmp(region_map[i].code, code) == 0) return region_map[i].regions;
    return 0;
}

/* A whole number lo..hi from key= (absent: *out = -1). */
static int opt_count(ent_ctx *c, int kid, long hi, int32_t *out)
{
    long v = -1;
    if (ent__act_key_int(c, kid, 0, 0, hi, &v)) return c->o->verdict;
    *out = (int32_t)v;
    return 0;
}

/* severity=0..10 or low|medium|high (model note: low 2, medium 5, high 8,
** the middles of the thirds of the scale). Absent: -1. */
int ent__register_severity(ent_ctx *c, int8_t *out);
int ent__register_severity(ent_ctx *c, int8_t *out)
{
    const ent_arg *a = ent__stmt_key(c->st, ENT_K_SEVERITY);
    *out = -1;
    if (!a) return 0;
    static const struct { const char *w; int8_t v; } words[] = { { "low", 2 }, { "medium", 5 }, { "high", 8 } };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (ent__str_is(a->val, words[i].w)) {
            *out = words[i].v;
            return 0;
        }
    if (a->val.n >= 1 && a->val.n <= 2 && a->val.p[0] >= '0' && a->val.p[0] <= '9' &&
        (a->val.n == 1 || (a->val.p[1] >= '0' && a->val.p[1] <= '9'))) {
        int v = a->val.p[0] - '0';
        if (a->val.n == 2) v = v * 10 + (a->val.p[1] - '0');
        if (v <= 10) {
            *out = (int8_t)v;
            return 0;
        }
    }
    return ent__act_err(c, a->col, "severity= wants 0..10, low, medium or high");
}

static int do_incident(ent_ctx *c)
{
    ent_state_id st, other;
    ent_sym id;
    char b[11];
    if (ent__act_subject_state(c, &st) ||
        ent__act_check_keys(c, "id category region severity dead injured other dispute") || ent__act_max_pos(c, 0) ||
        ent__act_key_state(c, ENT_K_OTHER, 0, &other))
        return c->o->verdict;
    const ent_arg *ca = ent__stmt_key(c->st, ENT_K_CATEGORY);
    if (!ca) return ent__act_err(c, 0, "missing category=CATEGORY");
    int cat = -1;
    for (int i = 0; i < ENT_INC_NCATS; i++)
        if (ent__str_is(ca->val, cat_names[i])) cat = i;
    if (cat < 0)
        return ent__act_err(c, ca->col,
                            "unknown category '%.*s' (terrorism, extremism, drug-trafficking, illegal-migration, "
                            "cybercrime, cross-border-crime, armed-aggression, mass-unrest, border-clash)",
                            (int)ca->val.n, ca->val.p);
    if (other == st) return ent__act_err(c, ent__stmt_key(c->st, ENT_K_OTHER)->col, "other= names the incident's own state");
    unsigned regions = ent__region_of_state(c->s->world, st);
    int region = ENT_REGION_NONE, given = 0;
    const ent_arg *ra = ent__stmt_key(c->st, ENT_K_REGION);
    if (ra) {
        for (int i = 1; i < ENT_REGION_N; i++)
            if (ent__str_is(ra->val, region_names[i])) region = i;
        if (region == ENT_REGION_NONE)
            return ent__act_err(c, ra->col, "unknown region '%.*s' (east-european, caucasian, central-asian)",
                                (int)ra->val.n, ra->val.p);
        if (regions && !(regions >> region & 1))
            return ent__act_err(c, ra->col, "%s is not in the %s region of collective security", ent__act_code(c, st),
                                region_names[region]);
        given = 1;
    } else if (regions & (regions - 1)) {
        return ent__act_err(c, 0, "%s belongs to several regions of collective security: say which with "
                                  "region=east-european|caucasian|central-asian", ent__act_code(c, st));
    } else {
        for (int i = 1; i < ENT_REGION_N; i++)
            if (regions >> i & 1) region = i;
    }
    int8_t sev;
    int32_t dead = -1, injured = -1, dsp = -1;
    if (ent__register_severity(c, &sev) || opt_count(c, ENT_K_DEAD, 10000000, &dead) ||
        opt_count(c, ENT_K_INJURED, 10000000, &injured))
        return c->o->verdict;
    const ent_arg *da = ent__stmt_key(c->st, ENT_K_DISPUTE);
    if (da) {
        int k = ent__inst_record(c->s, da->val.p, da->val.n, &dsp);
        if (k == ENT_REC_NONE) return ent__act_err(c, da->col, "unknown id '%.*s'", (int)da->val.n, da->val.p);
        if (k != ENT_REC_DISPUTE) return ent__act_err(c, da->col, "'%.*s' is not a dispute", (int)da->val.n, da->val.p);
        const ent_dispute *x = &ENT_VEC_AT(&c->s->disputes, ent_dispute, dsp);
        if (x->opened > c->d)
            return ent__act_err(c, da->col, "'%.*s' is dated %s, after this line", (int)da->val.n, da->val.p,
                                ent__act_day(x->opened, b));
        if (!((st == x->a && (other < 0 || other == x->b)) || (st == x->b && (other < 0 || other == x->a))))
            return ent__act_err(c, da->col, "the parties of %s are %s and %s: the incident is not between them",
                                ent__sym_str(c->s, x->id), ent__act_code(c, x->a), ent__act_code(c, x->b));
    }
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    ent_incident *r = ent__vec_push(&c->s->incidents);
    if (!r) return ent__act_nomem(c);
    *r = (ent_incident){ id, c->d, st, other, (uint8_t)cat, (uint8_t)region, (uint8_t)given, sev,
                         dead, injured, dsp, ent__act_text_sym(c) };
    if (ent__inst_add_record(c->s, id, ENT_REC_INCIDENT, (int32_t)(c->s->incidents.len - 1))) return ent__act_nomem(c);
    return ENT_V_OK;
}

const ent_verb ent__verbs_register[] = {
    ENT_VERB("incident", do_incident),
    { NULL, 0, NULL }
};

/* ------------------------------------------------------------------ */
/* Set-up and digest of the records of register.h.                      */

void ent__register_init(ent_inst *s)
{
    ent__vec_init(&s->incidents, sizeof(ent_incident));
    ent__vec_init(&s->disputes, sizeof(ent_dispute));
    ent__vec_init(&s->dsteps, sizeof(ent_dstep));
    ent__vec_init(&s->adversaries, sizeof(ent_adversary));
}

void ent__register_digest(const ent_inst *s, void *g)
{
    ent__dg_text(g, "register-1");
    ent__dg_int(g, (int64_t)s->incidents.len);
    for (size_t i = 0; i < s->incidents.len; i++) {
        const ent_incident *r = &ENT_VEC_AT(&s->incidents, ent_incident, i);
        ent__dg_int(g, r->id), ent__dg_int(g, r->date), ent__dg_int(g, r->state), ent__dg_int(g, r->other);
        ent__dg_int(g, r->category), ent__dg_int(g, r->region), ent__dg_int(g, r->region_given);
        ent__dg_int(g, r->severity), ent__dg_int(g, r->dead), ent__dg_int(g, r->injured);
        ent__dg_int(g, r->dispute), ent__dg_int(g, r->text);
    }
    ent__dg_int(g, (int64_t)s->disputes.len);
    for (size_t i = 0; i < s->disputes.len; i++) {
        const ent_dispute *x = &ENT_VEC_AT(&s->disputes, ent_dispute, i);
        ent__dg_int(g, x->id), ent__dg_int(g, x->opened), ent__dg_int(g, x->a), ent__dg_int(g, x->b);
        ent__dg_int(g, x->opener), ent__dg_int(g, x->severity), ent__dg_int(g, x->incident);
        ent__dg_int(g, x->settled), ent__dg_int(g, x->text);
    }
    ent__dg_int(g, (int64_t)s->dsteps.len);
    for (size_t i = 0; i < s->dsteps.len; i++) {
        const ent_dstep *t = &ENT_VEC_AT(&s->dsteps, ent_dstep, i);
        ent__dg_int(g, t->dispute), ent__dg_int(g, t->date), ent__dg_int(g, t->step), ent__dg_int(g, t->by);
        ent__dg_int(g, t->text);
    }
    ent__dg_int(g, (int64_t)s->adversaries.len);
    for (size_t i = 0; i < s->adversaries.len; i++) {
        const ent_adversary *v = &ENT_VEC_AT(&s->adversaries, ent_adversary, i);
        ent__dg_int(g, v->proposal), ent__dg_int(g, v->state);
    }
}
