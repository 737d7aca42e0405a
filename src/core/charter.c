/*
** charter.c: the charter of an organization, built from "charter ..."
** declarations: the organization, its sources, bodies, forces, rotation
** order, rules (with their citation and the dates between which they are in
** force) and interpretation switches (with their documented default).
**
** The logic of each rule is code (src/core/apply.c); the charter says which
** rules an organization has, since when, and what to cite when one refuses
** an act. A rule the charter does not declare is not enforced.
*/
#include "core.h"

#include <stdio.h>
#include <string.h>

static void refresh(ent_charter *c);

static uint32_t tag_hash(ent_str t)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < t.n; i++) h = (h ^ (unsigned char)t.p[i]) * 16777619u;
    return h;
}

static uint32_t name_hash(const char *z)
{
    uint32_t h = 2166136261u;
    for (; *z; z++) h = (h ^ (unsigned char)*z) * 16777619u;
    return h;
}

/* Index entry i (0-based) under name in an open-addressing table of n slots. */
static void index_put(int8_t *tab, uint32_t n, const char *name, int i)
{
    uint32_t h = name_hash(name) & (n - 1);
    while (tab[h]) h = (h + 1) & (n - 1);
    tab[h] = (int8_t)(i + 1);
}

static int is_not(const ent_charter *c, const char *name, const char *value)
{
    const char *v = ent__charter_switch(c, name);
    return !v || strcmp(v, value) != 0;
}

/* Recompute the readings of core.h from the switches' values. */
static void refresh(ent_charter *c)
{
    const char *r = ent__charter_switch(c, "decision.rule");
    c->rd_rule = !r ? 0 : strcmp(r, "two-thirds") == 0 ? 1 : strcmp(r, "majority") == 0 ? 2 : 0;
    c->rd_parties_vote = (uint8_t)is_not(c, "decision.parties-vote", "no");
    c->rd_dispute_parties_vote = (uint8_t)is_not(c, "dispute.parties-vote", "no");
    c->rd_limited_ok = (uint8_t)is_not(c, "decision.limited-format", "forbidden");
    c->rd_sg_limited_ok = (uint8_t)is_not(c, "sg.limited-format", "forbidden");
    c->rd_skip_inactive = (uint8_t)is_not(c, "chair.skip-inactive", "no");
    c->rd_quorum = ent__charter_switch_int(c, "decision.quorum", 1);
    c->rd_withdrawal_days = ent__charter_switch_int(c, "mandate.withdrawal-days", 10);
    c->rd_un_notice_days = ent__charter_switch_int(c, "un-notice.days", 1);
}

void ent__charter_init(ent_charter *c)
{
    memset(c, 0, sizeof *c);
    c->org_from = ENT_DATE_NONE;
    refresh(c);
}

static int fail(ent_outcome *o, uint16_t col, const char *fmt, const char *a)
{
    o->verdict = ENT_V_ERROR;
    o->col = col;
    snprintf(o->msg, sizeof o->msg, fmt, a);
    return o->verdict;
}

/* Copy s into a fixed field; an over-long value is an input error. */
static int put(char *dst, size_t cap, ent_str s, uint16_t col, const char *what, ent_outcome *o)
{
    if (s.n >= cap) return fail(o, col, "%s is too long", what);
    memcpy(dst, s.p, s.n);
    dst[s.n] = 0;
    return 0;
}

static int get_date(const ent_stmt *s, const char *key, ent_date *out, ent_outcome *o)
{
    const ent_arg *a = ent__stmt_key(s, key);
    *out = ENT_DATE_NONE;
    if (!a) return 0;
    int r = ent__date_parse(a->val.p, a->val.n, out);
    if (r == -1) return fail(o, a->col, "%s= wants a date YYYY-MM-DD", key);
    if (r == -2) return fail(o, a->col, "no such date in %s=", key);
    return 0;
}

static int need_pos(const ent_stmt *s, int i, const char *what, ent_outcome *o, ent_str *out)
{
    const ent_arg *a = ent__stmt_pos(s, i);
    if (!a) return fail(o, s->col_verb, "charter %s: missing argument", what);
    *out = a->val;
    return 0;
}

static void copy_src(char *dst, size_t cap, const ent_stmt *s)
{
    const ent_arg *a = ent__stmt_key(s, "src");
    dst[0] = 0;
    if (a && a->val.n < cap) {
        memcpy(dst, a->val.p, a->val.n);
        dst[a->val.n] = 0;
    }
}

/* Is v one of the switch's values ("a,b,c" or "LO..HI")? */
static int switch_value_ok(const ent_switch *w, const char *v)
{
    const char *dots = strstr(w->values, "..");
    if (!w->values[0]) return v[0] != 0;
    if (dots) {
        long lo = 0, hi = 0, x = 0;
        if (sscanf(w->values, "%ld..%ld", &lo, &hi) != 2 || !v[0] || strlen(v) > 9) return 0;
        for (const char *p = v; *p; p++) {
            if (*p < '0' || *p > '9') return 0;
            x = x * 10 + (*p - '0');
        }
        return x >= lo && x <= hi;
    }
    size_t n = strlen(v);
    for (const char *p = w->values; *p;) {
        const char *e = strchr(p, ',');
        size_t m = e ? (size_t)(e - p) : strlen(p);
        if (m == n && memcmp(p, v, n) == 0) return 1;
        p += m + (e != NULL);
    }
    return 0;
}

int ent__charter_apply(ent_charter *c, const ent_stmt *s, ent_outcome *o)
{
    ent_str id;
    char name[64];
    const ent_arg *p0 = ent__stmt_pos(s, 0);
    snprintf(name, sizeof name, "%.*s", p0 ? (int)p0->val.n : 0, p0 ? p0->val.p : "");
    memset(o, 0, sizeof *o);
    if (ent__str_eq(s->verb, "organization")) {
        if (need_pos(s, 0, "organization", o, &id)) return o->verdict;
        if (put(c->org, sizeof c->org, id, ent__stmt_pos(s, 0)->col, "organization code", o))
            return o->verdict;
        if (s->has_text && put(c->org_name, sizeof c->org_name, s->text, s->col_text, "name", o))
            return o->verdict;
        if (get_date(s, "from", &c->org_from, o)) return o->verdict;
        return ENT_V_OK;
    }
    if (ent__str_eq(s->verb, "source")) {
        if (need_pos(s, 0, "source", o, &id)) return o->verdict;
        if (ent__charter_source(c, id))
            return fail(o, ent__stmt_pos(s, 0)->col, "source %s is declared twice", name);
        if (c->nsources == ENT_MAX_SOURCES) return fail(o, s->col_verb, "too many sources%s", "");
        ent_source *src = &c->sources[c->nsources];
        if (put(src->tag, sizeof src->tag, id, ent__stmt_pos(s, 0)->col, "source tag", o))
            return o->verdict;
        if (!s->has_text) return fail(o, s->col_verb, "charter source needs its \"text\"%s", "");
        if (put(src->text, sizeof src->text, s->text, s->col_text, "source text", o))
            return o->verdict;
        uint32_t mask = 2 * ENT_MAX_SOURCES - 1, h = tag_hash(id) & mask;
        while (c->source_index[h]) h = (h + 1) & mask;
        c->source_index[h] = (int16_t)(c->nsources + 1);
        c->nsources++;
        return ENT_V_OK;
    }
    if (ent__str_eq(s->verb, "body")) {
        if (need_pos(s, 0, "body", o, &id)) return o->verdict;
        if (ent__charter_body(c, id) >= 0)
            return fail(o, ent__stmt_pos(s, 0)->col, "body %s is declared twice", name);
        if (c->nbodies == ENT_MAX_BODIES) return fail(o, s->col_verb, "too many bodies%s", "");
        ent_body *b = &c->bodies[c->nbodies];
        if (put(b->code, sizeof b->code, id, ent__stmt_pos(s, 0)->col, "body code", o) ||
            (s->has_text && put(b->name, sizeof b->name, s->text, s->col_text, "body name", o)))
            return o->verdict;
        c->nbodies++;
        return ENT_V_OK;
    }
    if (ent__str_eq(s->verb, "competence")) {
        /* charter competence CSC deploy,appoint,... : what the body decides (rule bodies) */
        if (need_pos(s, 0, "competence", o, &id)) return o->verdict;
        int bi = ent__charter_body(c, id);
        if (bi < 0) return fail(o, ent__stmt_pos(s, 0)->col, "competence of %s: no such body (declare it first)", name);
        const ent_arg *a = ent__stmt_pos(s, 1);
        if (!a) return fail(o, s->col_verb, "charter competence needs a list of decisions%s", "");
        if (c->bodies[bi].competence[0]) return fail(o, ent__stmt_pos(s, 0)->col, "the competence of %s is declared twice", name);
        if (put(c->bodies[bi].competence, sizeof c->bodies[bi].competence, a->val, a->col, "competence list", o))
            return o->verdict;
        return ENT_V_OK;
    }
    if (ent__str_eq(s->verb, "force")) {
        if (need_pos(s, 0, "force", o, &id)) return o->verdict;
        if (ent__charter_force(c, id) >= 0)
            return fail(o, ent__stmt_pos(s, 0)->col, "force %s is declared twice", name);
        if (c->nforces == ENT_MAX_FORCES) return fail(o, s->col_verb, "too many forces%s", "");
        ent_force *f = &c->forces[c->nforces];
        memset(f, 0, sizeof *f);
        if (put(f->code, sizeof f->code, id, ent__stmt_pos(s, 0)->col, "force code", o) ||
            (s->has_text && put(f->name, sizeof f->name, s->text, s->col_text, "force name", o)))
            return o->verdict;
        const ent_arg *a = ent__stmt_key(s, "strength");
        if (!a) return fail(o, s->col_verb, "charter force needs strength=%s", "");
        long v = 0;
        for (uint32_t i = 0; i < a->val.n; i++) {
            char ch = a->val.p[i];
            if (ch < '0' || ch > '9' || v > 100000000)
                return fail(o, a->col, "strength= wants a whole number of personnel%s", "");
            v = v * 10 + (ch - '0');
        }
        f->strength = (int32_t)v;
        if (get_date(s, "from", &f->from, o) || get_date(s, "to", &f->to, o)) return o->verdict;
        copy_src(f->src, sizeof f->src, s);
        c->nforces++;
        return ENT_V_OK;
    }
    if (ent__str_eq(s->verb, "rotation")) {
        const ent_arg *a = ent__stmt_pos(s, 0);
        if (!a) return fail(o, s->col_verb, "charter rotation needs a list of states%s", "");
        c->nrotation = 0;
        const char *p = a->val.p, *end = a->val.p + a->val.n;
        while (p < end) {
            const char *q = p;
            while (q < end && *q != ',') q++;
            if (q - p != 2 || c->nrotation == 8)
                return fail(o, a->col, "rotation wants two-letter state codes, at most 8%s", "");
            memcpy(c->rotation[c->nrotation], p, 2);
            c->rotation[c->nrotation][2] = 0;
            c->nrotation++;
            p = q < end ? q + 1 : q;
        }
        return ENT_V_OK;
    }
    if (ent__str_eq(s->verb, "area")) {
        /* charter area US,CA,...: the states whose territory is in the treaty area */
        const ent_arg *a = ent__stmt_pos(s, 0);
        if (!a) return fail(o, s->col_verb, "charter area needs a list of states%s", "");
        const char *p = a->val.p, *end = a->val.p + a->val.n;
        while (p < end) {
            const char *q = p;
            while (q < end && *q != ',') q++;
            if (q - p != 2 || c->narea == ENT_MAX_STATES)
                return fail(o, a->col, "area wants two-letter state codes, at most 64%s", "");
            memcpy(c->area[c->narea], p, 2);
            c->area[c->narea][2] = 0;
            c->narea++;
            p = q < end ? q + 1 : q;
        }
        return ENT_V_OK;
    }
    if (ent__str_eq(s->verb, "rule")) {
        if (need_pos(s, 0, "rule", o, &id)) return o->verdict;
        if (c->nrules == ENT_MAX_RULES) return fail(o, s->col_verb, "too many rules%s", "");
        ent_rule *r = &c->rules[c->nrules];
        memset(r, 0, sizeof *r);
        if (put(r->id, sizeof r->id, id, ent__stmt_pos(s, 0)->col, "rule id", o)) return o->verdict;
        if (ent__charter_rule(c, r->id))
            return fail(o, ent__stmt_pos(s, 0)->col, "rule %s is declared twice", r->id);
        const ent_arg *a = ent__stmt_key(s, "source");
        if (!a) return fail(o, s->col_verb, "charter rule needs source=\"citation\"%s", "");
        if (put(r->source, sizeof r->source, a->val, a->col, "source", o)) return o->verdict;
        if (s->has_text && put(r->text, sizeof r->text, s->text, s->col_text, "rule text", o))
            return o->verdict;
        if (get_date(s, "from", &r->from, o) || get_date(s, "to", &r->to, o)) return o->verdict;
        copy_src(r->src, sizeof r->src, s);
        index_put(c->rule_index, sizeof c->rule_index, r->id, c->nrules);
        c->nrules++;
        return ENT_V_OK;
    }
    if (ent__str_eq(s->verb, "switch")) {
        if (need_pos(s, 0, "switch", o, &id)) return o->verdict;
        if (c->nswitches == ENT_MAX_SWITCHES) return fail(o, s->col_verb, "too many switches%s", "");
        ent_switch *w = &c->switches[c->nswitches];
        memset(w, 0, sizeof *w);
        if (put(w->name, sizeof w->name, id, ent__stmt_pos(s, 0)->col, "switch name", o))
            return o->verdict;
        if (ent__charter_switch(c, w->name))
            return fail(o, ent__stmt_pos(s, 0)->col, "switch %s is declared twice", w->name);
        const ent_arg *a = ent__stmt_key(s, "default");
        if (!a) return fail(o, s->col_verb, "charter switch needs default=%s", "");
        if (put(w->dflt, sizeof w->dflt, a->val, a->col, "default", o)) return o->verdict;
        memcpy(w->value, w->dflt, sizeof w->value);
        const ent_arg *va = ent__stmt_key(s, "values");
        if (va && put(w->values, sizeof w->values, va->val, va->col, "values", o)) return o->verdict;
        if (!switch_value_ok(w, w->dflt)) return fail(o, a->col, "default= is not one of values=%s", "");
        if (s->has_text && put(w->text, sizeof w->text, s->text, s->col_text, "switch text", o))
            return o->verdict;
        index_put(c->switch_index, sizeof c->switch_index, w->name, c->nswitches);
        c->nswitches++;
        refresh(c);
        return ENT_V_OK;
    }
    o->verdict = ENT_V_ERROR;
    o->col = s->col_verb;
    snprintf(o->msg, sizeof o->msg, "unknown declaration 'charter %.*s'", (int)s->verb.n, s->verb.p);
    return o->verdict;
}

const ent_rule *ent__charter_rule(const ent_charter *c, const char *id)
{
    const uint32_t n = sizeof c->rule_index;
    for (uint32_t h = name_hash(id) & (n - 1); c->rule_index[h]; h = (h + 1) & (n - 1)) {
        const ent_rule *r = &c->rules[c->rule_index[h] - 1];
        if (strcmp(r->id, id) == 0) return r;
    }
    return NULL;
}

int ent__charter_in_force(const ent_charter *c, const char *id, ent_date d)
{
    const ent_rule *r = ent__charter_rule(c, id);
    if (!r) return 0;
    return d == ENT_DATE_NONE || ent__range_contains((ent_range){ r->from, r->to }, d);
}

const char *ent__charter_switch(const ent_charter *c, const char *name)
{
    const uint32_t n = sizeof c->switch_index;
    for (uint32_t h = name_hash(name) & (n - 1); c->switch_index[h]; h = (h + 1) & (n - 1)) {
        const ent_switch *w = &c->switches[c->switch_index[h] - 1];
        if (strcmp(w->name, name) == 0) return w->value;
    }
    return NULL;
}

int ent__charter_switch_int(const ent_charter *c, const char *name, int dflt)
{
    const char *v = ent__charter_switch(c, name);
    if (!v || !*v) return dflt;
    long x = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9' || x > 100000000) return dflt;
        x = x * 10 + (*p - '0');
    }
    return (int)x;
}

int ent__charter_set_switch(ent_charter *c, const char *name, const char *value)
{
    for (int i = 0; i < c->nswitches; i++) {
        if (strcmp(c->switches[i].name, name) != 0) continue;
        if (strlen(value) >= sizeof c->switches[i].value || !switch_value_ok(&c->switches[i], value)) return -2;
        strcpy(c->switches[i].value, value);
        refresh(c);
        return 0;
    }
    return -1;
}

/* Sources are looked up for every src= tag of every line, so by hash. */
const ent_source *ent__charter_source(const ent_charter *c, ent_str tag)
{
    uint32_t mask = 2 * ENT_MAX_SOURCES - 1;
    for (uint32_t h = tag_hash(tag) & mask; c->source_index[h]; h = (h + 1) & mask) {
        const ent_source *s = &c->sources[c->source_index[h] - 1];
        if (tag.n < sizeof s->tag && s->tag[tag.n] == 0 && memcmp(s->tag, tag.p, tag.n) == 0) return s;
    }
    return NULL;
}

int ent__charter_body(const ent_charter *c, ent_str code)
{
    for (int i = 0; i < c->nbodies; i++)
        if (ent__str_eq(code, c->bodies[i].code)) return i;
    return -1;
}

int ent__charter_force(const ent_charter *c, ent_str code)
{
    for (int i = 0; i < c->nforces; i++)
        if (ent__str_eq(code, c->forces[i].code)) return i;
    return -1;
}

int ent__charter_competent(const ent_charter *c, int body, const char *what)
{
    int any = 0;
    for (int i = 0; i < c->nbodies; i++) any |= c->bodies[i].competence[0] != 0;
    if (!any) return 1;
    if (body < 0 || body >= c->nbodies) return 0;
    size_t n = strlen(what);
    for (const char *p = c->bodies[body].competence; *p;) {
        const char *e = strchr(p, ',');
        size_t m = e ? (size_t)(e - p) : strlen(p);
        if (m == n && memcmp(p, what, n) == 0) return 1;
        p += m + (e != NULL);
    }
    return 0;
}

ent_date ent__charter_org_from(const ent_charter *c) { return c->org_from; }
