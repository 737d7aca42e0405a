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

/* A source tag (at most 7 bytes, ent_source.tag) as a number: its bytes in
** order from the lowest; 0 for a tag that cannot be one. */
static uint64_t tag_pack(const char *p, uint32_t n)
{
    uint64_t v = 0;
    if (n == 0 || n >= sizeof(((ent_source *)0)->tag)) return 0;
    for (uint32_t i = 0; i < n; i++) v |= (uint64_t)(unsigned char)p[i] << (8 * i);
    return v;
}

#define SOURCE_SLOTS (2 * ENT_MAX_SOURCES)
static uint32_t tag_slot(uint64_t key) { return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & (SOURCE_SLOTS - 1); }

static int source_find(const ent_charter *c, uint64_t key)
{
    if (!key) return -1;
    for (uint32_t h = tag_slot(key); c->source_key[h]; h = (h + 1) & (SOURCE_SLOTS - 1))
        if (c->source_key[h] == key) return c->source_at[h];
    return -1;
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
    c->rd_request_required = (uint8_t)is_not(c, "deploy.request", "optional");
    c->rd_quorum = ent__charter_switch_int(c, "decision.quorum", 1);
    c->rd_withdrawal_days = ent__charter_switch_int(c, "mandate.withdrawal-days", 10);
    c->rd_un_notice_days = ent__charter_switch_int(c, "un-notice.days", 1);
    c->rd_request_article = -1;
    for (int i = 0; i < c->nswitches; i++)
        if (strcmp(c->switches[i].name, "request.article") == 0) c->rd_request_article = (int8_t)i;
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

static int get_date(const ent_stmt *s, int kid, ent_date *out, ent_outcome *o)
{
    const char *key = ent__key_name(kid);
    const ent_arg *a = ent__stmt_key(s, kid);
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
    const ent_arg *a = ent__stmt_key(s, ENT_K_SRC);
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
        if (get_date(s, ENT_K_FROM, &c->org_from, o)) return o->verdict;
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
        uint64_t key = tag_pack(id.p, id.n);
        uint32_t h = tag_slot(key);
        while (c->source_key[h]) h = (h + 1) & (SOURCE_SLOTS - 1);
        c->source_key[h] = key;
        c->source_at[h] = (int16_t)c->nsources;
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
        const ent_arg *a = ent__stmt_key(s, ENT_K_STRENGTH);
        if (!a) return fail(o, s->col_verb, "charter force needs strength=%s", "");
        long v = 0;
        for (uint32_t i = 0; i < a->val.n; i++) {
            char ch = a->val.p[i];
            if (ch < '0' || ch > '9' || v > 100000000)
                return fail(o, a->col, "strength= wants a whole number of personnel%s", "");
            v = v * 10 + (ch - '0');
        }
        f->strength = (int32_t)v;
        if (get_date(s, ENT_K_FROM, &f->from, o) || get_date(s, ENT_K_TO, &f->to, o)) return o->verdict;
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
        const ent_arg *a = ent__stmt_key(s, ENT_K_SOURCE);
        if (!a) return fail(o, s->col_verb, "charter rule needs source=\"citation\"%s", "");
        if (put(r->source, sizeof r->source, a->val, a->col, "source", o)) return o->verdict;
        if (s->has_text && put(r->text, sizeof r->text, s->text, s->col_text, "rule text", o))
            return o->verdict;
        if (get_date(s, ENT_K_FROM, &r->from, o) || get_date(s, ENT_K_TO, &r->to, o)) return o->verdict;
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
        const ent_arg *a = ent__stmt_key(s, ENT_K_DEFAULT);
        if (!a) return fail(o, s->col_verb, "charter switch needs default=%s", "");
        if (put(w->dflt, sizeof w->dflt, a->val, a->col, "default", o)) return o->verdict;
        memcpy(w->value, w->dflt, sizeof w->value);
        const ent_arg *va = ent__stmt_key(s, ENT_K_VALUES);
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
    int i = source_find(c, tag_pack(tag.p, tag.n));
    return i < 0 ? NULL : &c->sources[i];
}

/* Each tag is packed as tag_pack does, eight bytes at a time where the list
** has them, the comma found by the word trick of finding a zero byte. */
int ent__charter_sources_check(const ent_charter *c, ent_str list, ent_str *bad)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull, commas = 0x2C2C2C2C2C2C2C2Cull;
    const char *p = list.p, *end = p + list.n;
    while (p < end) {
        size_t rem = (size_t)(end - p);
        uint64_t w = 0;
        if (rem >= 8) {
            memcpy(&w, p, 8);
        } else if (rem >= 4) { /* two loads that overlap on bytes equal in both */
            uint32_t lo, hi;
            memcpy(&lo, p, 4);
            memcpy(&hi, end - 4, 4);
            w = lo | (uint64_t)hi << (8 * (rem - 4));
        } else {
            for (size_t i = 0; i < rem; i++) w |= (uint64_t)(unsigned char)p[i] << (8 * i);
        }
        uint64_t x = w ^ commas, z = (x - ones) & ~x & highs; /* the lowest bit set marks the first comma */
        size_t n = z ? (size_t)__builtin_ctzll(z) / 8 : 8;
        if (n > rem) n = rem;
        if (n == 0 || n >= 8 || source_find(c, w & ((1ull << (8 * n)) - 1)) < 0) { /* a tag is 1 to 7 bytes */
            const char *q = memchr(p, ',', rem);
            *bad = (ent_str){ p, (uint32_t)((q ? q : end) - p) };
            return -1;
        }
        p += n + 1;
    }
    return 0;
}

int ent__charter_body(const ent_charter *c, ent_str code)
{
    for (int i = 0; i < c->nbodies; i++)
        if (ent__str_is(code, c->bodies[i].code)) return i;
    return -1;
}

int ent__charter_force(const ent_charter *c, ent_str code)
{
    for (int i = 0; i < c->nforces; i++)
        if (ent__str_is(code, c->forces[i].code)) return i;
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
