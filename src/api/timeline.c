/*
** timeline.c: ent_timeline(), the organization over a period (`entente
** timeline`): who was a member and in which standing, who chaired the
** Collective Security Council, who was Secretary General, the requests and
** deployments and missions, the exercises and standing operations, the
** disputes between members, the notes (dated facts no rule governs); as text
** (one line per period or event, in date order), JSON, or an SVG picture with
** one lane for each (docs/cli.md).
**
** Everything is read from the state as of the period's last day (so a
** timeline to D shows what the record held on D, as `state --at D` does),
** through the same queries as `state`: ent__inst_mstatus, ent__inst_chair and
** ent__inst_sg are piecewise constant between the dates of the records they
** read, so each is evaluated on those dates only and a period runs from one
** change to the day before the next. A period still going on on the last day
** has no end ("..." in text, null in JSON).
**
** The picture is drawn for print: a year axis with ticks, lanes with headers,
** a legend and the source under it; text in a system font stack, no external
** resource. Labels never overlap: the items of a lane are packed into rows,
** each item tries its long, short and shortest label in turn, and an item whose
** label fits nowhere is drawn without one (its <title> still names it).
*/
#include "api.h"

#include "../core/register.h"

#include <stdio.h>
#include <stdlib.h> /* qsort */
#include <string.h>

/* ------------------------------------------------------------------ */
/* The items of a timeline.                                             */

enum tl_lane { TL_MEMBERSHIP = 0, TL_CHAIR, TL_SG, TL_DEPLOY, TL_EXERCISE, TL_DISPUTE, TL_NOTES, TL_NLANES };
static const char *const lane_names[TL_NLANES] = { "membership", "chair", "sg", "deployments", "exercises", "disputes",
                                                   "notes" };
static const char *const lane_titles[TL_NLANES] = { "Members", "Chair of the Collective Security Council",
                                                    "Secretary General", "Requests and deployments",
                                                    "Exercises and standing operations", "Disputes between members",
                                                    "Notes (facts without a rule)" };

enum tl_kind { K_MEMBERSHIP = 0, K_CHAIR, K_SG, K_REQUEST, K_DEPLOYMENT, K_PROPOSAL, K_MISSION, K_EXERCISE, K_OPERATION,
               K_DISPUTE, K_NOTE };
static const char *const kind_names[] = { "membership", "chair", "sg", "request", "deployment", "proposal", "mission",
                                          "exercise", "operation", "dispute", "note" };

typedef struct tl_item {
    uint8_t lane, kind;
    uint8_t flag;       /* chair: temporary; sg: acting; exercise: cancelled; proposal: not adopted */
    uint8_t point;      /* an event of one day, drawn as a marker */
    uint8_t status;     /* membership: enum ent_mstatus */
    ent_date from, to;  /* to: the last day, inclusive; NONE: still so on the last day of the period */
    ent_date mark;      /* deployment: declared complete on (NONE) */
    ent_state_id state; /* -1 none */
    int32_t rec;        /* dispute: index into disputes; note: into notes; merged exercises (picture): how many;
                        ** else -1 */
    int seq;            /* order of collection: ties */
    char id[48];
    char label[3][96];  /* picture: long, short, shortest label ("" none) */
    char text[768];     /* text output: what follows the kind (a note's text is up to 500 bytes) */
} tl_item;

typedef struct tl {
    const ent_inst *s;
    ent_date d0, d1;    /* the period, both ends included */
    unsigned lanes;     /* bit per enum tl_lane */
    ent_vec items;      /* tl_item */
    int oom;
} tl;

static const char *code(const ent_inst *s, ent_state_id id) { return id >= 0 ? s->world->states[id].code : "?"; }
static const char *sname(const ent_inst *s, ent_state_id id) { return id >= 0 ? s->world->states[id].name : "?"; }

static tl_item *add(tl *t, int lane, int kind, ent_date from, ent_date to, ent_state_id st)
{
    if (from == ENT_DATE_NONE || from > t->d1) return NULL;
    if (to != ENT_DATE_NONE && to < t->d0) return NULL;
    tl_item *it = ent__vec_push(&t->items);
    if (!it) {
        t->oom = 1;
        return NULL;
    }
    it->lane = (uint8_t)lane;
    it->kind = (uint8_t)kind;
    it->from = from;
    it->to = to;
    it->mark = ENT_DATE_NONE;
    it->state = st;
    it->rec = -1;
    it->seq = (int)t->items.len;
    return it;
}

static void thousands(char *out, size_t n, long v)
{
    if (v >= 1000) snprintf(out, n, "%ld,%03ld", v / 1000, v % 1000);
    else snprintf(out, n, "%ld", v);
}

/* Members: for each state, its standing after each change. A former
** member's period that began before the timeline does not show (it was not
** part of the organization then). */
static void collect_membership(tl *t)
{
    const ent_inst *s = t->s;
    const ent_mchange *m = s->members.p;
    for (int st = 0; st < s->world->nstates; st++) {
        int cur = ENT_MS_NONE;
        ent_date since = ENT_DATE_NONE;
        for (size_t i = 0; i <= s->members.len; i++) {
            if (i < s->members.len && m[i].state != st) continue;
            if (i < s->members.len && m[i].date > t->d1) continue;
            /* the last change of a date wins */
            if (i < s->members.len && i + 1 < s->members.len) {
                size_t k = i + 1;
                int later_same_day = 0;
                for (; k < s->members.len && m[k].date == m[i].date; k++) later_same_day |= m[k].state == st;
                if (later_same_day) continue;
            }
            int next = i < s->members.len ? m[i].status : -1;
            if (next == cur) continue;
            ent_date end = i < s->members.len ? m[i].date - 1 : ENT_DATE_NONE;
            if (cur != ENT_MS_NONE && !(cur == ENT_MS_FORMER && since < t->d0)) {
                tl_item *it = add(t, TL_MEMBERSHIP, K_MEMBERSHIP, since, end, (ent_state_id)st);
                if (it) {
                    it->status = (uint8_t)cur;
                    snprintf(it->text, sizeof it->text, "%s %s: %s", code(s, (ent_state_id)st), sname(s, (ent_state_id)st),
                             ent__mstatus_name(cur));
                    snprintf(it->label[0], sizeof it->label[0], "%s", cur == ENT_MS_MEMBER ? "" : ent__mstatus_name(cur));
                }
            }
            if (i == s->members.len) break;
            cur = next;
            since = m[i].date;
        }
    }
}

static int cmp_date(const void *a, const void *b)
{
    ent_date x = *(const ent_date *)a, y = *(const ent_date *)b;
    return x < y ? -1 : x > y;
}

/* Sort and deduplicate n dates; keep those <= d1. */
static size_t uniq_dates(ent_date *v, size_t n, ent_date d1)
{
    qsort(v, n, sizeof *v, cmp_date);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] != ENT_DATE_NONE && v[i] <= d1 && (k == 0 || v[k - 1] != v[i])) v[k++] = v[i];
    return k;
}

static void collect_chair(tl *t)
{
    const ent_inst *s = t->s;
    const ent_chairing *ch = s->chairs.p;
    if (!s->chairs.len) return;
    int y0, y1, m, d;
    ent__date_split(ch[0].date, &y0, &m, &d);
    ent__date_split(t->d1, &y1, &m, &d);
    size_t cap = s->chairs.len + (size_t)(y1 >= y0 ? y1 - y0 + 2 : 1);
    ent_date *cand = ent__malloc(cap * sizeof *cand);
    if (!cand) {
        t->oom = 1;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < s->chairs.len; i++) cand[n++] = ch[i].date;
    if (s->chair_auto_from != ENT_DATE_NONE)
        for (int y = y0 + 1; y <= y1; y++) {
            ent_date j;
            if (!ent__date_make(y, 1, 1, &j) && j >= s->chair_auto_from) cand[n++] = j;
        }
    n = uniq_dates(cand, n, t->d1);
    ent_state_id prev = -1;
    int prev_temp = 0;
    ent_date since = ENT_DATE_NONE;
    for (size_t i = 0; i <= n; i++) {
        int kind = 0;
        ent_state_id cur = i < n ? ent__inst_chair(s, cand[i], &kind, NULL) : -2;
        int temp = kind == ENT_CHAIR_TEMPORARY;
        if (i < n && cur == prev && temp == prev_temp) continue;
        if (prev >= 0) {
            tl_item *it = add(t, TL_CHAIR, K_CHAIR, since, i < n ? cand[i] - 1 : ENT_DATE_NONE, prev);
            if (it) {
                it->flag = (uint8_t)prev_temp;
                const char *nm = sname(s, prev);
                snprintf(it->text, sizeof it->text, "%s %s%s", code(s, prev), nm, prev_temp ? " (temporary)" : "");
                snprintf(it->label[0], sizeof it->label[0], "%s%s", nm, prev_temp ? " (temporary)" : "");
                snprintf(it->label[1], sizeof it->label[1], "%s%s", prev_temp ? code(s, prev) : nm, prev_temp ? " (temp.)" : "");
                snprintf(it->label[2], sizeof it->label[2], "%s", code(s, prev));
            }
        }
        if (i == n) break;
        prev = cur;
        prev_temp = temp;
        since = cand[i];
    }
    ent__free(cand);
}

/* The labels of a Secretary General: the name; the surname (or, for a
** description in parentheses, what comes before them); the state's code. */
static void sg_labels(tl_item *it, const char *name, const char *cc, int acting)
{
    const char *paren = strchr(name, '(');
    char sur[96];
    if (paren) {
        size_t n = (size_t)(paren - name);
        while (n && name[n - 1] == ' ') n--;
        snprintf(sur, sizeof sur, "%.*s", (int)n, name);
    } else {
        const char *sp = strrchr(name, ' ');
        snprintf(sur, sizeof sur, "%s", sp ? sp + 1 : name);
    }
    snprintf(it->label[0], sizeof it->label[0], "%s%s", name, acting && !strstr(name, "acting") ? " (acting)" : "");
    snprintf(it->label[1], sizeof it->label[1], "%s", sur);
    snprintf(it->label[2], sizeof it->label[2], "%s", *cc ? cc : acting ? "acting" : "");
}

static void collect_sg(tl *t)
{
    const ent_inst *s = t->s;
    const ent_sgterm *g = s->sgs.p;
    ent_date *cand = ent__malloc((3 * s->sgs.len + 1) * sizeof *cand);
    if (!cand) {
        t->oom = 1;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < s->sgs.len; i++) {
        cand[n++] = g[i].from;
        if (g[i].to != ENT_DATE_NONE) cand[n++] = g[i].to + 1;
        if (g[i].ended != ENT_DATE_NONE) cand[n++] = g[i].ended;
    }
    n = uniq_dates(cand, n, t->d1);
    const ent_sgterm *prev = NULL;
    ent_date since = ENT_DATE_NONE;
    for (size_t i = 0; i <= n; i++) {
        const ent_sgterm *cur = i < n ? ent__inst_sg(s, cand[i]) : NULL;
        if (i < n && cur == prev) continue;
        if (prev) {
            tl_item *it = add(t, TL_SG, K_SG, since, i < n ? cand[i] - 1 : ENT_DATE_NONE, prev->state);
            if (it) {
                const char *nm = ent__sym_str(s, prev->name);
                it->flag = prev->acting;
                if (prev->state >= 0)
                    snprintf(it->text, sizeof it->text, "%s (%s)%s", nm, code(s, prev->state), prev->acting ? ", acting" : "");
                else snprintf(it->text, sizeof it->text, "%s%s", nm, prev->acting ? ", acting" : "");
                sg_labels(it, nm, prev->state >= 0 ? code(s, prev->state) : "", prev->acting);
            }
        }
        if (i == n) break;
        prev = cur;
        since = cand[i];
    }
    ent__free(cand);
}

/* "treaty-4" -> "Art. 4"; anything else as written. */
static void article_label(char *out, size_t n, const char *a)
{
    if (strncmp(a, "treaty-", 7) == 0) snprintf(out, n, "Art. %s", a + 7);
    else snprintf(out, n, "%s", a);
}

static void collect_deployments(tl *t)
{
    const ent_inst *s = t->s;
    const ent_request *r = s->requests.p;
    for (size_t i = 0; i < s->requests.len; i++) {
        tl_item *it = add(t, TL_DEPLOY, K_REQUEST, r[i].date, r[i].date, r[i].state);
        if (!it) continue;
        it->point = 1;
        const char *kind = ent__sym_str(s, r[i].kind), *art = ent__sym_str(s, r[i].article);
        char al[40];
        article_label(al, sizeof al, art);
        snprintf(it->id, sizeof it->id, "%s", ent__sym_str(s, r[i].id));
        snprintf(it->text, sizeof it->text, "%s: %s requests %s%s%s", it->id, code(s, r[i].state), kind,
                 *art ? " under " : "", art);
        snprintf(it->label[0], sizeof it->label[0], "%s asks for %s%s%s%s", code(s, r[i].state), kind, *art ? " (" : "",
                 *art ? al : "", *art ? ")" : "");
        snprintf(it->label[1], sizeof it->label[1], "%s: %s", code(s, r[i].state), kind);
        snprintf(it->label[2], sizeof it->label[2], "%s", code(s, r[i].state));
    }
    const ent_proposal *p = s->proposals.p;
    const ent_contrib *c = s->contribs.p;
    for (size_t i = 0; i < s->proposals.len; i++) {
        if (p[i].pkind != ENT_PK_DEPLOY) continue;
        const char *force = p[i].force >= 0 ? s->charter->forces[p[i].force].code : "forces";
        int adopted = p[i].status == ENT_PROP_ADOPTED || p[i].status == ENT_PROP_LIMITED;
        if (!adopted) {
            ent_date d = p[i].closed != ENT_DATE_NONE ? p[i].closed : p[i].date;
            tl_item *it = add(t, TL_DEPLOY, K_PROPOSAL, d, d, p[i].host);
            if (!it) continue;
            it->point = 1;
            it->flag = 1;
            snprintf(it->id, sizeof it->id, "%s", ent__sym_str(s, p[i].id));
            snprintf(it->text, sizeof it->text, "%s: %s to %s, %s", it->id, force, code(s, p[i].host),
                     ent__prop_status_name(p[i].status));
            snprintf(it->label[0], sizeof it->label[0], "%s to %s, %s", force, sname(s, p[i].host),
                     ent__prop_status_name(p[i].status));
            snprintf(it->label[1], sizeof it->label[1], "%s, %s", force, ent__prop_status_name(p[i].status));
            snprintf(it->label[2], sizeof it->label[2], "%s", code(s, p[i].host));
            continue;
        }
        /* the deployment ends when every contingent has left; without
        ** contingents, when the mission ended */
        ent_date last = ENT_DATE_NONE;
        int all_left = p[i].first_contrib >= 0, n = 0;
        char who[64] = "";
        for (int32_t k = p[i].first_contrib; k >= 0; k = c[k].next) {
            if (c[k].left == ENT_DATE_NONE) all_left = 0;
            else if (last == ENT_DATE_NONE || c[k].left > last) last = c[k].left;
            size_t w = strlen(who);
            if (w + 5 < sizeof who) snprintf(who + w, sizeof who - w, "%s%s", n++ ? ", " : "", code(s, c[k].state));
        }
        ent_date end = all_left ? last : p[i].first_contrib < 0 ? ent__mission_end(&p[i]) : ENT_DATE_NONE;
        if (end != ENT_DATE_NONE && end > t->d1) end = ENT_DATE_NONE;
        tl_item *it = add(t, TL_DEPLOY, K_DEPLOYMENT, p[i].closed, end, p[i].host);
        if (!it) continue;
        it->mark = p[i].complete;
        char tr[24], x[11];
        thousands(tr, sizeof tr, p[i].troops);
        snprintf(it->id, sizeof it->id, "%s", ent__sym_str(s, p[i].id));
        int len = snprintf(it->text, sizeof it->text, "%s: %s in %s, %d troops", it->id, force, code(s, p[i].host),
                           p[i].troops);
        if (*who && len > 0 && (size_t)len < sizeof it->text)
            len += snprintf(it->text + len, sizeof it->text - (size_t)len, " (%s)", who);
        if (p[i].complete != ENT_DATE_NONE && len > 0 && (size_t)len < sizeof it->text)
            snprintf(it->text + len, sizeof it->text - (size_t)len, ", complete %s", ent__date_format(p[i].complete, x));
        snprintf(it->label[0], sizeof it->label[0], "%s in %s, %s troops", force, sname(s, p[i].host), tr);
        snprintf(it->label[1], sizeof it->label[1], "%s in %s", force, sname(s, p[i].host));
        snprintf(it->label[2], sizeof it->label[2], "%s", force);
    }
    /* missions (act_staff.c): a team, not forces, from the decision until it
    ** was declared complete */
    const ent_mission *ms = s->missions.p;
    const ent_request *rq = s->requests.p;
    for (size_t i = 0; i < s->missions.len; i++) {
        const ent_mission *m = &ms[i];
        tl_item *it = add(t, TL_DEPLOY, K_MISSION, m->date, m->complete, m->host);
        if (!it) continue;
        char x[11];
        const char *lead = ent__sym_str(s, m->lead);
        snprintf(it->id, sizeof it->id, "%s", ent__sym_str(s, m->id));
        size_t cap = sizeof it->text;
        int len = snprintf(it->text, cap, "%s: %s mission to %s", it->id, s->charter->bodies[m->body].code, code(s, m->host));
        if (m->request >= 0 && len > 0 && (size_t)len < cap)
            len += snprintf(it->text + len, cap - (size_t)len, " on request %s", ent__sym_str(s, rq[m->request].id));
        if (*lead && len > 0 && (size_t)len < cap) len += snprintf(it->text + len, cap - (size_t)len, ", led by %s", lead);
        if (m->advance != ENT_DATE_NONE && len > 0 && (size_t)len < cap)
            len += snprintf(it->text + len, cap - (size_t)len, "; advance team %s", ent__date_format(m->advance, x));
        if (m->arrived != ENT_DATE_NONE && len > 0 && (size_t)len < cap)
            len += snprintf(it->text + len, cap - (size_t)len, "; arrived %s", ent__date_format(m->arrived, x));
        if (m->complete != ENT_DATE_NONE && len > 0 && (size_t)len < cap)
            snprintf(it->text + len, cap - (size_t)len, "; complete %s", ent__date_format(m->complete, x));
        const char *org = s->charter->org, *nm = sname(s, m->host);
        /* the leaders only when they fit whole */
        if (*lead && strlen(org) + strlen(nm) + strlen(lead) + 24 < sizeof it->label[0])
            snprintf(it->label[0], sizeof it->label[0], "%s mission to %s, led by %s", org, nm, lead);
        else snprintf(it->label[0], sizeof it->label[0], "%s mission to %s", org, nm);
        snprintf(it->label[1], sizeof it->label[1], "%s mission to %s", org, code(s, m->host));
        snprintf(it->label[2], sizeof it->label[2], "mission");
    }
}

/* "Interaction-2013" -> "Interaction". */
static void strip_year(char *out, size_t n, const char *name)
{
    size_t len = strlen(name);
    if (len > 5 && name[len - 5] == '-' && strspn(name + len - 4, "0123456789") == 4) len -= 5;
    snprintf(out, n, "%.*s", (int)len, name);
}

static void collect_exercises(tl *t)
{
    const ent_inst *s = t->s;
    const ent_exercise *e = s->exercises.p;
    char x[11], y[11];
    for (size_t i = 0; i < s->exercises.len; i++) {
        tl_item *it = add(t, TL_EXERCISE, K_EXERCISE, e[i].from, e[i].to, e[i].host);
        if (!it) continue;
        const char *nm = ent__sym_str(s, e[i].name), *place = ent__sym_str(s, e[i].place);
        snprintf(it->id, sizeof it->id, "%s", ent__sym_str(s, e[i].id));
        if (!*nm) nm = it->id;
        int cancelled = e[i].cancelled != ENT_DATE_NONE;
        it->flag = (uint8_t)cancelled;
            int len = snprintf(it->text, sizeof it->text, "%s: %s, %s in %s%s%s", it->id, nm,
                           ent__exercise_kind_name(e[i].kind), code(s, e[i].host), *place ? " at " : "", place);
        if (len > 0 && (size_t)len < sizeof it->text) {
            if (e[i].by_year) {
                int yy, mm, dd;
                ent__date_split(e[i].from, &yy, &mm, &dd);
                len += snprintf(it->text + len, sizeof it->text - (size_t)len, " (only the year %d is known)", yy);
            }
        }
        if (cancelled && len > 0 && (size_t)len < sizeof it->text)
            snprintf(it->text + len, sizeof it->text - (size_t)len, ", cancelled on %s", ent__date_format(e[i].cancelled, x));
        (void)y;
        char base[64];
        strip_year(base, sizeof base, nm);
        snprintf(it->label[0], sizeof it->label[0], "%s%s, %s", nm, cancelled ? " (cancelled)" : "", code(s, e[i].host));
        snprintf(it->label[1], sizeof it->label[1], "%s%s", nm, cancelled ? " (cancelled)" : "");
        snprintf(it->label[2], sizeof it->label[2], "%s%s", base, cancelled ? " \xc3\x97" : "");
    }
    const ent_operation *o = s->operations.p;
    for (size_t i = 0; i < s->operations.len; i++) {
        tl_item *it = add(t, TL_EXERCISE, K_OPERATION, o[i].date, ENT_DATE_NONE, -1);
        if (!it) continue;
        const char *nm = ent__sym_str(s, o[i].name), *kind = ent__sym_str(s, o[i].kind);
        snprintf(it->id, sizeof it->id, "%s", ent__sym_str(s, o[i].id));
        if (!*nm) nm = it->id;
        snprintf(it->text, sizeof it->text, "%s: %s, %s operation", it->id, nm, kind);
        snprintf(it->label[0], sizeof it->label[0], "%s, %s operation", nm, kind);
        snprintf(it->label[1], sizeof it->label[1], "%s", nm);
        const char *sp = strchr(nm, ' ');
        snprintf(it->label[2], sizeof it->label[2], "%.*s", sp ? (int)(sp - nm) : (int)strlen(nm), nm);
    }
}

static void collect_disputes(tl *t)
{
    const ent_inst *s = t->s;
    const ent_dispute *x = s->disputes.p;
    const ent_dstep *st = s->dsteps.p;
    for (size_t i = 0; i < s->disputes.len; i++) {
        tl_item *it = add(t, TL_DISPUTE, K_DISPUTE, x[i].opened, x[i].settled, x[i].a);
        if (!it) continue;
        it->rec = (int32_t)i;
        const char *txt = ent__sym_str(s, x[i].text);
        int yy, mm, dd;
        ent__date_split(x[i].opened, &yy, &mm, &dd);
        snprintf(it->id, sizeof it->id, "%s", ent__sym_str(s, x[i].id));
        int len = snprintf(it->text, sizeof it->text, "%s: %s-%s%s%s", it->id, code(s, x[i].a), code(s, x[i].b),
                           *txt ? ", " : "", txt);
        int32_t dead, injured;
        ent__dispute_casualties(s, (int32_t)i, t->d1, &dead, &injured);
        if (dead >= 0 && len > 0 && (size_t)len < sizeof it->text)
            len += snprintf(it->text + len, sizeof it->text - (size_t)len, ", %d dead", dead);
        for (size_t k = 0; k < s->dsteps.len; k++) {
            if (st[k].dispute != (int32_t)i || st[k].date > t->d1 || st[k].step == ENT_DS_OPENED) continue;
            char z[11];
            if (len > 0 && (size_t)len < sizeof it->text)
                len += snprintf(it->text + len, sizeof it->text - (size_t)len, "; %s %s", ent__dstep_name(st[k].step),
                                ent__date_format(st[k].date, z));
        }
        char dl[24] = "";
        if (dead >= 0) snprintf(dl, sizeof dl, ", %d dead", dead);
        snprintf(it->label[0], sizeof it->label[0], "%s\xe2\x80\x93%s %d%s", code(s, x[i].a), code(s, x[i].b), yy, dl);
        snprintf(it->label[1], sizeof it->label[1], "%s\xe2\x80\x93%s %d", code(s, x[i].a), code(s, x[i].b), yy);
        snprintf(it->label[2], sizeof it->label[2], "%s\xe2\x80\x93%s", code(s, x[i].a), code(s, x[i].b));
    }
}

/* prefix + z cut to at most maxch characters (at a space when one is near
** the end) with an ellipsis, into out[n]; whole UTF-8 characters only. */
static void shorten(char *out, size_t n, const char *prefix, const char *z, int maxch)
{
    size_t pl = strlen(prefix);
    if (pl + 4 >= n) {
        out[0] = 0;
        return;
    }
    memcpy(out, prefix, pl);
    size_t room = n - pl - 1; /* bytes for the text, NUL excluded */
    size_t cut = 0, space = 0;
    int chars = 0, spaces_at = 0;
    for (; z[cut]; cut++) {
        if (((unsigned char)z[cut] & 0xc0) == 0x80) continue;
        if (chars == maxch || cut + 4 + 3 > room) break; /* a character of up to 4 bytes, then the ellipsis */
        if (z[cut] == ' ') {
            space = cut;
            spaces_at = chars;
        }
        chars++;
    }
    if (!z[cut] && cut <= room) { /* it all fits */
        memcpy(out + pl, z, cut + 1);
        return;
    }
    if (z[cut] != ' ' && space && spaces_at * 2 >= chars) cut = space;
    /* not on a dangling "of the" or an initial */
    for (;;) {
        while (cut && strchr(" ,;:.-(", z[cut - 1])) cut--;
        size_t w = cut;
        while (w && z[w - 1] != ' ') w--;
        static const char *const small[] = { "a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with" };
        int is_small = w && cut - w == 1 && z[w] >= 'A' && z[w] <= 'Z'; /* an initial, its dot gone */
        for (size_t k = 0; k < sizeof small / sizeof small[0] && w; k++)
            is_small |= cut - w == strlen(small[k]) && strncmp(z + w, small[k], cut - w) == 0;
        if (!is_small) break;
        cut = w;
    }
    memcpy(out + pl, z, cut);
    memcpy(out + pl + cut, "\xe2\x80\xa6", 4); /* "...", one character; with the NUL */
}

/* Notes (act_notes.c): facts on a date that no rule governs, one day each. */
static void collect_notes(tl *t)
{
    const ent_inst *s = t->s;
    const ent_note *nt = s->notes.p;
    for (size_t i = 0; i < s->notes.len; i++) {
        const char *who = ent__sym_str(s, nt[i].who), *about = ent__sym_str(s, nt[i].about);
        const char *txt = ent__sym_str(s, nt[i].text);
        ent_str ws = { who, (uint32_t)strlen(who) };
        ent_state_id st = ent__world_find(s->world, ws);
        tl_item *it = add(t, TL_NOTES, K_NOTE, nt[i].date, nt[i].date, st);
        if (!it) continue;
        it->point = 1;
        it->rec = (int32_t)i;
        snprintf(it->text, sizeof it->text, "%s: %s%s%s%s", who, txt, *about ? " (about " : "", about, *about ? ")" : "");
        char pre[40];
        snprintf(pre, sizeof pre, "%.24s: ", who);
        shorten(it->label[0], sizeof it->label[0], pre, txt, 50);
        shorten(it->label[1], sizeof it->label[1], pre, txt, 20);
        snprintf(it->label[2], sizeof it->label[2], "%.24s", who);
    }
}

static int cmp_items(const void *a, const void *b)
{
    const tl_item *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->lane != y->lane) return x->lane < y->lane ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ------------------------------------------------------------------ */
/* Text and JSON.                                                       */

static const char *dstr(ent_date d, char buf[11]) { return ent__date_format(d, buf); }

static void render_text(const tl *t, ent_buf *b)
{
    char x[11], y[11];
    ent__buf_printf(b, "%s timeline from %s to %s (an end of \"...\": still so on %s)\n", t->s->charter->org,
                    dstr(t->d0, x), dstr(t->d1, y), y);
    const tl_item *it = t->items.p;
    if (!t->items.len) ent__buf_puts(b, "(nothing in this period)\n");
    for (size_t i = 0; i < t->items.len; i++) {
        ent__buf_printf(b, "%s  %-10s  %-10s  %s\n", dstr(it[i].from, x), it[i].to == ENT_DATE_NONE ? "..." : dstr(it[i].to, y),
                        kind_names[it[i].kind], it[i].text);
    }
}

static void json_str(ent_buf *b, const char *z) { ent__buf_json_str(b, z, strlen(z)); }

static void render_json(const tl *t, ent_buf *b)
{
    char x[11];
    ent__buf_printf(b, "{\"organization\":");
    json_str(b, t->s->charter->org);
    ent__buf_printf(b, ",\"from\":\"%s\"", dstr(t->d0, x));
    ent__buf_printf(b, ",\"to\":\"%s\",\"lanes\":[", dstr(t->d1, x));
    for (int l = 0, k = 0; l < TL_NLANES; l++)
        if (t->lanes & (1u << l)) ent__buf_printf(b, "%s\"%s\"", k++ ? "," : "", lane_names[l]);
    ent__buf_puts(b, "],\"items\":[");
    const tl_item *it = t->items.p;
    for (size_t i = 0; i < t->items.len; i++) {
        ent__buf_printf(b, "%s{\"lane\":\"%s\",\"kind\":\"%s\",\"from\":\"%s\",\"to\":", i ? "," : "",
                        lane_names[it[i].lane], kind_names[it[i].kind], dstr(it[i].from, x));
        if (it[i].to == ENT_DATE_NONE) ent__buf_puts(b, "null");
        else ent__buf_printf(b, "\"%s\"", dstr(it[i].to, x));
        ent__buf_puts(b, ",\"state\":");
        if (it[i].state >= 0) ent__buf_printf(b, "\"%s\"", code(t->s, it[i].state));
        else ent__buf_puts(b, "null");
        ent__buf_puts(b, ",\"id\":");
        if (it[i].id[0]) json_str(b, it[i].id);
        else ent__buf_puts(b, "null");
        if (it[i].kind == K_MEMBERSHIP) ent__buf_printf(b, ",\"status\":\"%s\"", ent__mstatus_name(it[i].status));
        if (it[i].kind == K_CHAIR) ent__buf_printf(b, ",\"temporary\":%s", it[i].flag ? "true" : "false");
        if (it[i].kind == K_SG) ent__buf_printf(b, ",\"acting\":%s", it[i].flag ? "true" : "false");
        if (it[i].kind == K_EXERCISE) ent__buf_printf(b, ",\"cancelled\":%s", it[i].flag ? "true" : "false");
        if (it[i].kind == K_NOTE) {
            /* who, what about, and the note's own text */
            const ent_note *n = &ENT_VEC_AT(&t->s->notes, ent_note, it[i].rec);
            ent__buf_puts(b, ",\"who\":");
            json_str(b, ent__sym_str(t->s, n->who));
            ent__buf_puts(b, ",\"about\":");
            if (n->about) json_str(b, ent__sym_str(t->s, n->about));
            else ent__buf_puts(b, "null");
            ent__buf_puts(b, ",\"text\":");
            json_str(b, ent__sym_str(t->s, n->text));
            ent__buf_putc(b, '}');
            continue;
        }
        ent__buf_puts(b, ",\"text\":");
        json_str(b, it[i].text);
        ent__buf_putc(b, '}');
    }
    ent__buf_puts(b, "]}\n");
}

/* ------------------------------------------------------------------ */
/* The picture.                                                         */

#define SVG_W 1200.0
#define PX0 190.0     /* the plot's left edge */
#define PX1 1160.0    /* the plot's right edge */
#define FONT "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'DejaVu Sans', sans-serif"
#define INK "#1f2328"
#define MUTED "#59636e"
#define GRID "#e3e6ea"

/* Width of a text in px at font size fs: a generous estimate per character
** class, so that a label judged to fit does fit in the common sans fonts. */
static double text_w(const char *z, double fs)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
        unsigned ch = *p;
        if ((ch & 0xc0) == 0x80) continue; /* UTF-8 continuation */
        if (ch >= 0x80) w += 0.62;
        else if (strchr("ijl.,:;'|!", (int)ch)) w += 0.3;
        else if (strchr("rtf() -", (int)ch)) w += 0.42;
        else if (ch >= 'A' && ch <= 'Z') w += ch == 'I' ? 0.34 : 0.72;
        else if (ch == 'm' || ch == 'w') w += 0.9;
        else w += 0.62;
    }
    return w * fs;
}

static void xml_text(ent_buf *b, const char *z)
{
    for (; *z; z++) {
        switch (*z) {
        case '&': ent__buf_puts(b, "&amp;"); break;
        case '<': ent__buf_puts(b, "&lt;"); break;
        case '>': ent__buf_puts(b, "&gt;"); break;
        case '"': ent__buf_puts(b, "&quot;"); break;
        default: ent__buf_putc(b, *z);
        }
    }
}

typedef struct svg {
    const tl *t;
    ent_buf *b;
    double scale;     /* px per day */
    double y;         /* the next free y */
} svg;

static double xof(const svg *g, ent_date d)
{
    if (d < g->t->d0) d = g->t->d0;
    if (d > g->t->d1 + 1) d = g->t->d1 + 1;
    return PX0 + (double)(d - g->t->d0) * g->scale;
}

/* The span of an item in px: [x0, x1). */
static void item_x(const svg *g, const tl_item *it, double *x0, double *x1)
{
    *x0 = xof(g, it->from);
    *x1 = xof(g, it->to == ENT_DATE_NONE ? g->t->d1 + 1 : it->to + 1);
}

/* Colours of states (chair and Secretary General): the Okabe-Ito palette in
** the order of the charter's rotation; other states grey. */
static const char *state_color(const ent_inst *s, ent_state_id st)
{
    static const char *const pal[] = { "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999" };
    if (st < 0) return "#999999";
    for (int i = 0; i < s->charter->nrotation && i < 7; i++)
        if (strcmp(s->charter->rotation[i], s->world->states[st].code) == 0) return pal[i];
    return "#8c8c8c";
}

/* Ink that reads on a fill colour "#RRGGBB". */
static const char *ink_on(const char *fill)
{
    unsigned r, gg, bb;
    if (sscanf(fill, "#%2x%2x%2x", &r, &gg, &bb) != 3) return INK;
    double lum = 0.299 * r + 0.587 * gg + 0.114 * bb;
    return lum > 150 ? INK : "#ffffff";
}

static const char *ms_fill(int ms)
{
    switch (ms) {
    case ENT_MS_MEMBER: return "#3d5a80";
    case ENT_MS_FROZEN: return "url(#frozen)";
    case ENT_MS_SUSPENDED: return "url(#suspended)";
    case ENT_MS_FORMER: return "#d4d8dd";
    case ENT_MS_OBSERVER: return "#c9b8e0";
    case ENT_MS_PARTNER: return "#9b84c9";
    default: return "#ffffff";
    }
}

#define C_DEPLOY "#2a9d8f"
#define C_REQUEST "#264653"
#define C_EXERCISE "#a0673a"
#define C_OPERATION "#d9c2a9"
#define C_DISPUTE "#c1121f"
#define C_MISSION "#bfe3de" /* light: a team, not forces; outlined in C_DEPLOY */
#define C_NOTE "#6a4c93"

static void defs(svg *g)
{
    ent__buf_puts(g->b,
                  "<defs>\n"
                  "<pattern id=\"frozen\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\" patternTransform=\"rotate(45)\">"
                  "<rect width=\"5\" height=\"5\" fill=\"#b9d0e6\"/><rect width=\"2\" height=\"5\" fill=\"#3d5a80\"/></pattern>\n"
                  "<pattern id=\"suspended\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\" patternTransform=\"rotate(45)\">"
                  "<rect width=\"5\" height=\"5\" fill=\"#f6d7a7\"/><rect width=\"2\" height=\"5\" fill=\"#d08c2b\"/></pattern>\n"
                  "<pattern id=\"acting\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">"
                  "<rect width=\"3\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.55\"/></pattern>\n"
                  "</defs>\n");
}

static void text_at(svg *g, double x, double y, double fs, const char *anchor, const char *fill, const char *weight,
                    const char *z)
{
    ent__buf_printf(g->b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\"", x, y, fs);
    if (anchor) ent__buf_printf(g->b, " text-anchor=\"%s\"", anchor);
    if (fill && strcmp(fill, INK) != 0) ent__buf_printf(g->b, " fill=\"%s\"", fill);
    if (weight) ent__buf_printf(g->b, " font-weight=\"%s\"", weight);
    ent__buf_putc(g->b, '>');
    xml_text(g->b, z);
    ent__buf_puts(g->b, "</text>\n");
}

static void title_el(svg *g, const tl_item *it)
{
    char x[11], y[11];
    ent__buf_printf(g->b, "<title>%s to %s: ", dstr(it->from, x), it->to == ENT_DATE_NONE ? "..." : dstr(it->to, y));
    xml_text(g->b, it->text);
    ent__buf_puts(g->b, "</title>");
}

static void rect(svg *g, double x, double y, double w, double h, const char *fill, const char *extra)
{
    ent__buf_printf(g->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>\n", x, y, w, h, fill,
                    extra ? extra : "");
}

static void lane_header(svg *g, int lane, int empty)
{
    g->y += 10;
    ent__buf_printf(g->b, "<line x1=\"16\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c8ced5\"/>\n", g->y, PX1 + 24, g->y);
    text_at(g, 16, g->y + 15, 11.5, NULL, MUTED, "700", lane_titles[lane]);
    if (empty) text_at(g, PX0, g->y + 15, 11, NULL, MUTED, NULL, "none in this period");
    g->y += 22;
}

/* Year axis: a tick on every 1 January, a label on every step-th year. */
static void axis(svg *g, double ytop, double ybot, int labels_below)
{
    int y0, y1, m, d;
    ent__date_split(g->t->d0, &y0, &m, &d);
    ent__date_split(g->t->d1, &y1, &m, &d);
    double py = 365.25 * g->scale;
    int step = py >= 38 ? 1 : py * 2 >= 38 ? 2 : py * 5 >= 38 ? 5 : 10;
    for (int y = y0; y <= y1 + 1; y++) {
        ent_date j, k;
        if (ent__date_make(y, 1, 1, &j) || ent__date_make(y + 1, 1, 1, &k)) continue;
        if (j >= g->t->d0 && j <= g->t->d1 + 1 && !labels_below) {
            double x = xof(g, j);
            ent__buf_printf(g->b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x, ytop, x, ybot,
                            y % step == 0 ? "#cfd5dc" : GRID);
        }
        if (y > y1) continue;
        char yl[8];
        snprintf(yl, sizeof yl, "%d", y);
        double ly = labels_below ? ybot + 16 : ytop - 8;
        if (step == 1) {
            /* centred on the part of the year that shows */
            double a = xof(g, j), b2 = xof(g, k - 1 + 1);
            if (b2 - a >= text_w(yl, 11) + 4) text_at(g, (a + b2) / 2, ly, 11, "middle", MUTED, NULL, yl);
        } else if (y % step == 0 && j >= g->t->d0) {
            text_at(g, xof(g, j), ly, 11, "middle", MUTED, NULL, yl);
        }
    }
    /* ticks on the axis lines */
    for (int y = y0; y <= y1 + 1; y++) {
        ent_date j;
        if (ent__date_make(y, 1, 1, &j) || j < g->t->d0 || j > g->t->d1 + 1) continue;
        double x = xof(g, j), ya = labels_below ? ybot : ytop;
        ent__buf_printf(g->b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x, ya - 4, x, ya + 4,
                        MUTED);
    }
    double ya = labels_below ? ybot : ytop;
    ent__buf_printf(g->b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", PX0, ya, PX1, ya, MUTED);
}

static int state_name_cmp(const ent_inst *s, ent_state_id a, ent_state_id b)
{
    return strcmp(s->world->states[a].name, s->world->states[b].name);
}

static void lane_membership(svg *g)
{
    const tl *t = g->t;
    const ent_inst *s = t->s;
    const tl_item *it = t->items.p;
    ent_state_id rows[ENT_MAX_STATES];
    int n = 0;
    for (size_t i = 0; i < t->items.len; i++) {
        if (it[i].lane != TL_MEMBERSHIP) continue;
        int seen = 0;
        for (int k = 0; k < n; k++) seen |= rows[k] == it[i].state;
        if (!seen) rows[n++] = it[i].state;
    }
    /* alphabetical by name */
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && state_name_cmp(s, rows[k - 1], rows[k]) > 0; k--) {
            ent_state_id tmp = rows[k];
            rows[k] = rows[k - 1];
            rows[k - 1] = tmp;
        }
    lane_header(g, TL_MEMBERSHIP, n == 0);
    for (int r = 0; r < n; r++) {
        double y = g->y;
        char lab[64];
        snprintf(lab, sizeof lab, "%s", sname(s, rows[r]));
        text_at(g, PX0 - 10, y + 10, 11.5, "end", INK, NULL, lab);
        for (size_t i = 0; i < t->items.len; i++) {
            if (it[i].lane != TL_MEMBERSHIP || it[i].state != rows[r]) continue;
            double x0, x1;
            item_x(g, &it[i], &x0, &x1);
            ent__buf_printf(g->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%s\">", x0, y + 1,
                            x1 - x0 < 1 ? 1 : x1 - x0, ms_fill(it[i].status));
            title_el(g, &it[i]);
            ent__buf_puts(g->b, "</rect>\n");
            const char *lab2 = it[i].label[0];
            if (*lab2 && text_w(lab2, 10) + 8 <= x1 - x0) {
                /* a white band behind the word keeps it legible on the hatching */
                double w = text_w(lab2, 10) + 6;
                rect(g, x0 + 3, y + 2.5, w, 9, "#ffffff", " fill-opacity=\"0.85\" rx=\"2\"");
                text_at(g, x0 + 6, y + 10.5, 10, NULL, INK, NULL, lab2);
            }
        }
        g->y += 16;
    }
}

/* A lane of one row of contiguous segments coloured by state (chair, SG). */
static void lane_segments(svg *g, int lane)
{
    const tl *t = g->t;
    const tl_item *it = t->items.p;
    int n = 0;
    for (size_t i = 0; i < t->items.len; i++) n += it[i].lane == lane;
    lane_header(g, lane, n == 0);
    if (!n) return;
    double y = g->y, h = 20;
    for (size_t i = 0; i < t->items.len; i++) {
        if (it[i].lane != lane) continue;
        double x0, x1;
        item_x(g, &it[i], &x0, &x1);
        const char *col = state_color(t->s, it[i].state);
        ent__buf_printf(g->b, "<g><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                        x0, y, x1 - x0 < 1 ? 1 : x1 - x0, h, col);
        if (it[i].flag) rect(g, x0, y, x1 - x0 < 1 ? 1 : x1 - x0, h, "url(#acting)", NULL);
        title_el(g, &it[i]);
        for (int k = 0; k < 3; k++) {
            const char *lab = it[i].label[k];
            if (!*lab || text_w(lab, 11) * 1.12 + (k < 2 ? 12 : 2) > x1 - x0) continue;
            if (it[i].flag) {
                double w = text_w(lab, 11) + 6;
                rect(g, (x0 + x1) / 2 - w / 2, y + 4, w, 12, "#ffffff", " fill-opacity=\"0.8\" rx=\"2\"");
                text_at(g, (x0 + x1) / 2, y + 14, 11, "middle", INK, "600", lab);
            } else {
                text_at(g, (x0 + x1) / 2, y + 14, 11, "middle", ink_on(col), "600", lab);
            }
            break;
        }
        ent__buf_puts(g->b, "</g>\n");
    }
    g->y += h + 4;
}

/* Rows of an event lane: occupied intervals, to pack items without overlap. */
#define MAXROWS 8
#define MAXOCC 128
typedef struct rows {
    double a[MAXROWS][MAXOCC], b[MAXROWS][MAXOCC];
    int n[MAXROWS];
} rows;

/* Extents include the room a label keeps from its neighbours; bars may
** touch (each is drawn 1 px short of its end). */
static int row_free(const rows *r, int row, double a, double b)
{
    for (int i = 0; i < r->n[row]; i++)
        if (a < r->b[row][i] - 0.5 && b > r->a[row][i] + 0.5) return 0;
    return 1;
}

static void row_take(rows *r, int row, double a, double b)
{
    if (r->n[row] < MAXOCC) {
        r->a[row][r->n[row]] = a;
        r->b[row][r->n[row]] = b;
        r->n[row]++;
    }
}

typedef struct placed {
    int row;          /* -1 not drawn */
    int label;        /* which label, -1 none */
    int inside;       /* the label is inside the bar */
    int left;         /* the label is left of the bar */
} placed;

static void draw_event(svg *g, const tl_item *it, double y, const placed *p)
{
    double x0, x1;
    item_x(g, it, &x0, &x1);
    const char *lab = p->label >= 0 ? it->label[p->label] : NULL;
    ent__buf_puts(g->b, "<g>");
    title_el(g, it);
    double cy = y + 6;
    if (it->point) {
        /* a diamond: a request; a dot: a note; a cross: a proposal that was
        ** not adopted */
        if (it->kind == K_REQUEST)
            ent__buf_printf(g->b, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"2\"/>",
                            x0, cy - 5, C_REQUEST);
        else if (it->kind == K_NOTE)
            ent__buf_printf(g->b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>", x0, cy, C_NOTE);
        else
            ent__buf_printf(g->b, "<path d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke=\"%s\" stroke-width=\"2\"/>", x0 - 4, cy - 4,
                            C_REQUEST);
        x1 = x0 + 6;
        x0 -= 6;
    } else {
        double w = x1 - x0 < 4 ? 3 : x1 - x0 - 1;
        const char *fill = it->kind == K_DEPLOYMENT  ? C_DEPLOY
                           : it->kind == K_MISSION   ? C_DEPLOY
                           : it->kind == K_EXERCISE  ? C_EXERCISE
                           : it->kind == K_OPERATION ? C_OPERATION
                                                     : C_DISPUTE;
        if (it->kind == K_EXERCISE && it->flag)
            ent__buf_printf(g->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" fill=\"#ffffff\" stroke=\"%s\" stroke-dasharray=\"2 2\"/>",
                            x0, cy - 5, w, C_EXERCISE);
        else if (it->kind == K_MISSION)
            ent__buf_printf(g->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"9\" fill=\"%s\" stroke=\"%s\" rx=\"1.5\"/>",
                            x0 + 0.5, cy - 4.5, w > 1 ? w - 1 : w, C_MISSION, C_DEPLOY);
        else
            ent__buf_printf(g->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" fill=\"%s\" rx=\"1.5\"/>", x0, cy - 5, w,
                            fill);
        if (it->to == ENT_DATE_NONE) /* still going on: an arrow out of the plot */
            ent__buf_printf(g->b, "<path d=\"M%.1f %.1fl7 7l-7 7z\" fill=\"%s\"/>", x0 + w, cy - 7, fill);
        /* steps of a dispute; the day a deployment was declared complete */
        if (it->kind == K_DISPUTE) {
            const ent_dstep *st = g->t->s->dsteps.p;
            for (size_t k = 0; k < g->t->s->dsteps.len; k++) {
                if (st[k].dispute != it->rec || st[k].date > g->t->d1 || st[k].date < g->t->d0) continue;
                double xs = xof(g, st[k].date);
                ent__buf_printf(g->b, "<path d=\"M%.1f %.1fv14\" stroke=\"%s\" stroke-width=\"1.5\"/>", xs, cy - 7, INK);
            }
        }
        if (it->mark != ENT_DATE_NONE && it->mark >= g->t->d0 && it->mark <= g->t->d1)
            ent__buf_printf(g->b, "<path d=\"M%.1f %.1fv14\" stroke=\"%s\" stroke-width=\"1.5\"/>", xof(g, it->mark), cy - 7, INK);
        x1 = x0 + w;
    }
    if (lab) {
        if (p->inside)
            text_at(g, x0 + 4, cy + 3.8, 10.5, NULL, it->kind == K_OPERATION || it->kind == K_MISSION ? INK : "#ffffff", "600",
                    lab);
        else if (p->left)
            text_at(g, x0 - 4, cy + 3.8, 10.5, "end", INK, NULL, lab);
        else
            text_at(g, x1 + (it->to == ENT_DATE_NONE && !it->point ? 10 : 4), cy + 3.8, 10.5, NULL, INK, NULL, lab);
    }
    ent__buf_puts(g->b, "</g>\n");
}

static void lane_events(svg *g, int lane, int maxrows)
{
    const tl *t = g->t;
    const tl_item *it = t->items.p;
    int n = 0;
    for (size_t i = 0; i < t->items.len; i++) n += it[i].lane == lane;
    lane_header(g, lane, n == 0);
    if (!n) return;
    rows *r = ent__malloc(sizeof *r);
    placed *pl = ent__malloc((size_t)n * sizeof *pl);
    if (!r || !pl) {
        ent__free(r);
        ent__free(pl);
        g->b->oom = 1;
        return;
    }
    memset(r, 0, sizeof *r);
    memset(pl, 0, (size_t)n * sizeof *pl);
    int used = 0, j = 0;
    for (size_t i = 0; i < t->items.len; i++) {
        if (it[i].lane != lane) continue;
        placed *p = &pl[j++];
        double x0, x1;
        item_x(g, &it[i], &x0, &x1);
        if (it[i].point) {
            x1 = x0 + 6;
            x0 -= 6;
        } else if (x1 - x0 < 3) {
            x1 = x0 + 3;
        }
        double arrow = it[i].to == ENT_DATE_NONE && !it[i].point ? 8 : 0;
        p->row = -1;
        p->label = -1;
        /* the longest label that fits in a row in use or one new row, in
        ** the lowest such row; inside the bar, else beside it */
        int lim = used + 1 < maxrows ? used + 1 : maxrows;
        for (int k = 0; k < 3 && p->row < 0; k++) {
            for (int row = 0; row < lim && p->row < 0; row++) {
                for (int pass = 0; pass < 2 && p->row < 0; pass++) {
                    const char *lab = it[i].label[k];
                    if (!*lab) continue;
                    double w = text_w(lab, 10.5);
                    /* labels inside bars are bold: wider */
                    int inside = !it[i].point && w * 1.12 + 10 <= x1 - x0 && !(it[i].kind == K_EXERCISE && it[i].flag);
                    if (inside != (pass == 0)) continue;
                    double a = x0, b = inside ? x1 + arrow : x1 + arrow + 4 + w + 8;
                    int left = 0;
                    if (!inside && b > SVG_W - 6) { /* no room on the right: the label goes left of the bar */
                        left = 1;
                        a = x0 - 4 - w - 8;
                        b = x1 + arrow;
                    }
                    if (a < 8 || !row_free(r, row, a, b)) continue;
                    p->row = row;
                    p->label = k;
                    p->inside = inside;
                    p->left = left;
                    row_take(r, row, a, b);
                }
            }
        }
        if (p->row < 0) /* no label fits: the bar alone */
            for (int row = 0; row < MAXROWS && p->row < 0; row++)
                if (row_free(r, row, x0, x1 + arrow)) {
                    p->row = row;
                    row_take(r, row, x0, x1 + arrow);
                }
        if (p->row < 0) p->row = MAXROWS - 1; /* overlapping bars beat a missing one */
        if (p->row + 1 > used) used = p->row + 1;
    }
    j = 0;
    for (size_t i = 0; i < t->items.len; i++) {
        if (it[i].lane != lane) continue;
        draw_event(g, &it[i], g->y + pl[j].row * 18.0, &pl[j]);
        j++;
    }
    g->y += used * 18.0 + 2;
    ent__free(r);
    ent__free(pl);
}

/* One entry of the legend: a swatch drawn by `what`, then its words; wraps. */
static void legend_item(svg *g, double *x, double *y, const char *what, const char *fill, const char *words)
{
    double w = 22 + text_w(words, 11) + 18;
    if (*x + w > SVG_W - 20) {
        *x = 24;
        *y += 20;
    }
    double sx = *x, sy = *y - 9;
    if (strcmp(what, "bar") == 0) rect(g, sx, sy, 16, 10, fill, NULL);
    else if (strcmp(what, "hatch") == 0) {
        rect(g, sx, sy, 16, 10, fill, NULL);
        rect(g, sx, sy, 16, 10, "url(#acting)", NULL);
    } else if (strcmp(what, "dashed") == 0)
        ent__buf_printf(g->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"10\" fill=\"#ffffff\" stroke=\"%s\" stroke-dasharray=\"2 2\"/>\n",
                        sx, sy, fill);
    else if (strcmp(what, "outline") == 0)
        ent__buf_printf(g->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"15\" height=\"9\" fill=\"%s\" stroke=\"%s\"/>\n", sx + 0.5,
                        sy + 0.5, fill, C_DEPLOY);
    else if (strcmp(what, "dot") == 0)
        ent__buf_printf(g->b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", sx + 8, sy + 5, fill);
    else if (strcmp(what, "diamond") == 0)
        ent__buf_printf(g->b, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"2\"/>\n", sx + 8,
                        sy, fill);
    else if (strcmp(what, "tick") == 0) {
        rect(g, sx, sy, 16, 10, fill, NULL);
        ent__buf_printf(g->b, "<path d=\"M%.1f %.1fv14\" stroke=\"%s\" stroke-width=\"1.5\"/>\n", sx + 8, sy - 2, INK);
    } else if (strcmp(what, "arrow") == 0) {
        rect(g, sx, sy, 12, 10, fill, NULL);
        ent__buf_printf(g->b, "<path d=\"M%.1f %.1fl7 7l-7 7z\" fill=\"%s\"/>\n", sx + 12, sy - 2, fill);
    }
    text_at(g, sx + 22, *y, 11, NULL, INK, NULL, words);
    *x += w;
}

/* The next group of the legend starts on a new line, after its heading. */
static void legend_group(svg *g, double *x, double *y, const char *heading)
{
    if (*x > 24) *y += 20;
    *x = 24;
    text_at(g, *x, *y, 11, NULL, MUTED, "600", heading);
    *x += text_w(heading, 11) * 1.12 + 14;
}

static void month_name(ent_date d, char *out, size_t n)
{
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    int y, m, dd;
    ent__date_split(d, &y, &m, &dd);
    snprintf(out, n, "%d %s %d", dd, mon[m - 1], y);
}

/* The items of the picture: those of the timeline, except that where an
** exercise's bar is too narrow for its name, the exercises of the same host
** and the same dates share one bar ("Interaction, Search, Echelon, BY"). */
static int picture_items(const tl *t, double scale, ent_vec *out)
{
    ent__vec_init(out, sizeof(tl_item));
    const tl_item *it = t->items.p;
    for (size_t i = 0; i < t->items.len; i++) {
        const tl_item *x = &it[i];
        int mergeable = x->kind == K_EXERCISE && !x->flag && x->to != ENT_DATE_NONE &&
                        (double)(x->to - x->from + 1) * scale < 120;
        tl_item *o = out->p, *into = NULL;
        for (size_t k = 0; mergeable && k < out->len && !into; k++)
            if (o[k].kind == K_EXERCISE && !o[k].flag && o[k].from == x->from && o[k].to == x->to && o[k].state == x->state)
                into = &o[k];
        if (!into) {
            tl_item *n = ent__vec_push(out);
            if (!n) return -1;
            *n = *x;
            if (mergeable) {
                char base[64];
                strip_year(base, sizeof base, x->label[1]);
                snprintf(n->label[0], sizeof n->label[0], "%s, %s", base, code(t->s, x->state));
                snprintf(n->label[1], sizeof n->label[1], "%s", base);
                snprintf(n->label[2], sizeof n->label[2], "%s", code(t->s, x->state));
                n->rec = 1; /* how many share the bar */
            }
            continue;
        }
        char base[64];
        strip_year(base, sizeof base, x->label[1]);
        size_t l0 = strlen(into->label[1]), lt = strlen(into->text);
        snprintf(into->label[1] + l0, sizeof into->label[1] - l0, ", %s", base);
        /* label[0] = label[1] + ", " + the host's code, cut to fit */
        size_t l1 = strlen(into->label[1]);
        if (l1 + 5 > sizeof into->label[0]) l1 = sizeof into->label[0] - 5;
        memcpy(into->label[0], into->label[1], l1);
        memcpy(into->label[0] + l1, ", ", 2);
        const char *cc = code(t->s, x->state);
        memcpy(into->label[0] + l1 + 2, cc, strlen(cc) + 1); /* a code: at most 2 characters */
        snprintf(into->text + lt, sizeof into->text - lt, "; %s", x->text);
        into->rec++;
    }
    return 0;
}

static void render_svg(const tl *tt, ent_buf *out)
{
    const ent_inst *s = tt->s;
    ent_buf body = { 0 };
    double scale = (PX1 - PX0) / (double)(tt->d1 + 1 - tt->d0);
    tl pic = *tt;
    if (picture_items(tt, scale, &pic.items)) {
        ent__vec_free(&pic.items);
        out->oom = 1;
        return;
    }
    const tl *t = &pic;
    svg g = { t, &body, scale, 0 };
    /* title: years when the period is whole years */
    int ya, yb, m0, dd0, m1, dd1;
    ent__date_split(t->d0, &ya, &m0, &dd0);
    ent__date_split(t->d1, &yb, &m1, &dd1);
    char title[200], period[64];
    if (m0 == 1 && dd0 == 1 && m1 == 12 && dd1 == 31) {
        if (ya == yb) snprintf(period, sizeof period, "%d", ya);
        else snprintf(period, sizeof period, "%d\xe2\x80\x93%d", ya, yb);
    } else {
        char a[24], b[24];
        month_name(t->d0, a, sizeof a);
        month_name(t->d1, b, sizeof b);
        snprintf(period, sizeof period, "%s \xe2\x80\x93 %s", a, b);
    }
    snprintf(title, sizeof title, "%s, %s", s->charter->org_name[0] ? s->charter->org_name : s->charter->org, period);
    text_at(&g, 16, 32, 21, NULL, INK, "700", title);
    char sub[400] = "";
    static const char *const what[TL_NLANES] = { "members and their standing", "chairs of the Collective Security Council",
                                                 "Secretaries General", "requests, deployments and missions",
                                                 "exercises and standing operations", "disputes between members",
                                                 "notes of facts that no rule governs" };
    int nl = 0, k = 0;
    for (int l = 0; l < TL_NLANES; l++) nl += (t->lanes >> l) & 1;
    for (int l = 0; l < TL_NLANES; l++) {
        if (!(t->lanes & (1u << l))) continue;
        size_t len = strlen(sub);
        snprintf(sub + len, sizeof sub - len, "%s%s", k == 0 ? "" : k == nl - 1 ? " and " : ", ", what[l]);
        if (k == 0 && sub[0] >= 'a' && sub[0] <= 'z') sub[0] = (char)(sub[0] - 'a' + 'A');
        k++;
    }
    /* on two lines when it is wider than the picture: after a comma that
    ** leaves the first line as full as it can be */
    double ytop = 86;
    size_t brk = 0, after_comma = 0;
    if (text_w(sub, 12.5) > SVG_W - 32) {
        char head[sizeof sub];
        for (size_t i = 1; sub[i]; i++) {
            if (sub[i] != ' ') continue;
            memcpy(head, sub, i);
            head[i] = 0;
            if (text_w(head, 12.5) > SVG_W - 32) break;
            brk = i;
            if (sub[i - 1] == ',') after_comma = i;
        }
        if (after_comma) brk = after_comma;
    }
    if (brk) {
        sub[brk] = 0;
        text_at(&g, 16, 52, 12.5, NULL, MUTED, NULL, sub);
        text_at(&g, 16, 68, 12.5, NULL, MUTED, NULL, sub + brk + 1);
        ytop += 16;
    } else {
        text_at(&g, 16, 52, 12.5, NULL, MUTED, NULL, sub);
    }
    g.y = ytop;
    if (t->lanes & (1u << TL_MEMBERSHIP)) lane_membership(&g);
    if (t->lanes & (1u << TL_CHAIR)) lane_segments(&g, TL_CHAIR);
    if (t->lanes & (1u << TL_SG)) lane_segments(&g, TL_SG);
    if (t->lanes & (1u << TL_DEPLOY)) lane_events(&g, TL_DEPLOY, 4);
    if (t->lanes & (1u << TL_EXERCISE)) lane_events(&g, TL_EXERCISE, 8);
    if (t->lanes & (1u << TL_DISPUTE)) lane_events(&g, TL_DISPUTE, 3);
    if (t->lanes & (1u << TL_NOTES)) lane_events(&g, TL_NOTES, 4);
    double ybot = g.y + 8;
    /* the grid goes under everything: draw it into its own buffer first */
    ent_buf grid = { 0 };
    svg ga = g;
    ga.b = &grid;
    axis(&ga, ytop, ybot, 0);
    axis(&ga, ytop, ybot, 1);
    /* legend */
    double lx = 24, ly = ybot + 44;
    if (t->lanes & (1u << TL_MEMBERSHIP)) {
        legend_group(&g, &lx, &ly, "Members:");
        legend_item(&g, &lx, &ly, "bar", ms_fill(ENT_MS_MEMBER), "member");
        legend_item(&g, &lx, &ly, "bar", ms_fill(ENT_MS_FROZEN), "frozen (takes no part)");
        legend_item(&g, &lx, &ly, "bar", ms_fill(ENT_MS_SUSPENDED), "suspended");
        legend_item(&g, &lx, &ly, "bar", ms_fill(ENT_MS_FORMER), "former member");
    }
    if (t->lanes & ((1u << TL_CHAIR) | (1u << TL_SG))) {
        legend_group(&g, &lx, &ly, "Chair, Secretary General:");
        for (int i = 0; i < s->charter->nrotation; i++) {
            ent_str cs = { s->charter->rotation[i], 2 };
            ent_state_id st = ent__world_find(s->world, cs);
            if (st >= 0) legend_item(&g, &lx, &ly, "bar", state_color(s, st), sname(s, st));
        }
        legend_item(&g, &lx, &ly, "hatch", "#999999", "temporary chair, acting Secretary General");
    }
    if (t->lanes & ((1u << TL_DEPLOY) | (1u << TL_EXERCISE) | (1u << TL_DISPUTE) | (1u << TL_NOTES)))
        legend_group(&g, &lx, &ly, "Events:");
    if (t->lanes & (1u << TL_DEPLOY)) {
        legend_item(&g, &lx, &ly, "diamond", C_REQUEST, "request by a member");
        legend_item(&g, &lx, &ly, "tick", C_DEPLOY, "deployment (tick: declared complete)");
        legend_item(&g, &lx, &ly, "outline", C_MISSION, "mission (a team, not forces)");
    }
    if (t->lanes & (1u << TL_EXERCISE)) {
        legend_item(&g, &lx, &ly, "bar", C_EXERCISE, "exercise (only the year known: the whole year)");
        legend_item(&g, &lx, &ly, "dashed", C_EXERCISE, "exercise cancelled");
        legend_item(&g, &lx, &ly, "arrow", C_OPERATION, "standing operation (arrow: still going on)");
    }
    if (t->lanes & (1u << TL_DISPUTE)) legend_item(&g, &lx, &ly, "tick", C_DISPUTE, "dispute (tick: a de-escalation step)");
    if (t->lanes & (1u << TL_NOTES)) legend_item(&g, &lx, &ly, "dot", C_NOTE, "note: a dated fact that no rule governs");
    double foot = ly + 30;
    char a[24], b[24], note[400];
    month_name(t->d0, a, sizeof a);
    month_name(t->d1, b, sizeof b);
    snprintf(note, sizeof note,
             "%s to %s, as the record stands on %s. Where a source gives only the month or the year, the first day is used.",
             a, b, b);
    text_at(&g, 16, foot, 10.5, NULL, MUTED, NULL, note);
    text_at(&g, 16, foot + 15, 10.5, NULL, MUTED, NULL,
            "Source: entente timeline, from the built-in history (data/history.chron), each line of which names its sources.");
    double H = foot + 30;
    ent__buf_printf(out,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                    "font-family=\"%s\" fill=\"%s\" role=\"img\" aria-labelledby=\"tl-title\">\n",
                    SVG_W, H, SVG_W, H, FONT, INK);
    ent__buf_puts(out, "<title id=\"tl-title\">");
    xml_text(out, title);
    ent__buf_puts(out, "</title>\n");
    ent_buf d = { 0 };
    svg gd = g;
    gd.b = &d;
    defs(&gd);
    ent__buf_put(out, d.p, d.len);
    ent__buf_printf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", SVG_W, H);
    ent__buf_put(out, grid.p, grid.len);
    ent__buf_put(out, body.p, body.len);
    ent__buf_puts(out, "</svg>\n");
    if (body.oom || grid.oom || d.oom) out->oom = 1;
    ent__vec_free(&pic.items);
    ent__buf_free(&d);
    ent__buf_free(&grid);
    ent__buf_free(&body);
}

/* ------------------------------------------------------------------ */
/* The query.                                                           */

static int parse_date(const char *z, const char *flag, ent_date *d, ent_report *rep)
{
    int r = ent__date_parse(z, strlen(z), d);
    if (r) ent__report(rep, ENT_DIAG_ERROR, flag, r == -2 ? "no such date: %s" : "not a date YYYY-MM-DD: %s", z);
    return r ? ENT_EUSAGE : ENT_OK;
}

/* "membership,chair" -> lane bits; 0 and a report for an unknown name. */
static unsigned parse_kinds(const char *z, ent_report *rep)
{
    static const char *const alias[TL_NLANES] = { "members", "chairs", "sgs", "deployment", "exercise", "dispute", "note" };
    unsigned bits = 0;
    while (*z) {
        size_t n = strcspn(z, ",");
        int found = -1;
        for (int l = 0; l < TL_NLANES; l++)
            if ((strlen(lane_names[l]) == n && strncmp(z, lane_names[l], n) == 0) ||
                (strlen(alias[l]) == n && strncmp(z, alias[l], n) == 0))
                found = l;
        if (found < 0) {
            ent__report(rep, ENT_DIAG_ERROR, "--kind",
                        "unknown kind '%.*s' (membership, chair, sg, deployments, exercises, disputes, notes)", (int)n, z);
            return 0;
        }
        bits |= 1u << found;
        z += n;
        if (*z == ',') z++;
    }
    if (!bits) ent__report(rep, ENT_DIAG_ERROR, "--kind", "no kind given");
    return bits;
}

int ent_timeline(ent_db *db, const char *from, const char *to, const char *kinds, int format, char **out,
                 ent_report *rep)
{
    *out = NULL;
    if (format != ENT_FMT_TEXT && format != ENT_FMT_JSON && format != ENT_FMT_SVG) return ENT_EUSAGE;
    tl t = { 0 };
    t.lanes = (1u << TL_NLANES) - 1;
    if (kinds && !(t.lanes = parse_kinds(kinds, rep))) return ENT_EUSAGE;
    if (to) {
        if (parse_date(to, "--to", &t.d1, rep)) return ENT_EUSAGE;
    } else if (ent__query_date(db, NULL, &t.d1, rep)) {
        return ENT_EUSAGE;
    }
    if (from) {
        if (parse_date(from, "--from", &t.d0, rep)) return ENT_EUSAGE;
    } else {
        /* from the first dated record */
        t.d0 = t.d1;
        const ent_mchange *m = db->inst.members.p;
        if (db->inst.members.len && m[0].date < t.d0) t.d0 = m[0].date;
        const ent_chairing *c = db->inst.chairs.p;
        if (db->inst.chairs.len && c[0].date < t.d0) t.d0 = c[0].date;
    }
    if (t.d0 > t.d1) {
        char x[11], y[11];
        ent__report(rep, ENT_DIAG_ERROR, "--from", "%s is after --to %s", dstr(t.d0, x), dstr(t.d1, y));
        return ENT_EUSAGE;
    }
    ent_inst tmp;
    int rc = ent__state_at(db, t.d1, &tmp, &t.s, rep);
    if (rc != ENT_OK) return rc;
    ent__vec_init(&t.items, sizeof(tl_item));
    if (t.lanes & (1u << TL_MEMBERSHIP)) collect_membership(&t);
    if (t.lanes & (1u << TL_CHAIR)) collect_chair(&t);
    if (t.lanes & (1u << TL_SG)) collect_sg(&t);
    if (t.lanes & (1u << TL_DEPLOY)) collect_deployments(&t);
    if (t.lanes & (1u << TL_EXERCISE)) collect_exercises(&t);
    if (t.lanes & (1u << TL_DISPUTE)) collect_disputes(&t);
    if (t.lanes & (1u << TL_NOTES)) collect_notes(&t);
    if (t.items.len) qsort(t.items.p, t.items.len, sizeof(tl_item), cmp_items);
    ent_buf b = { 0 };
    if (!t.oom) {
        if (format == ENT_FMT_JSON) render_json(&t, &b);
        else if (format == ENT_FMT_SVG) render_svg(&t, &b);
        else render_text(&t, &b);
    }
    if (t.s == &tmp) ent__inst_free(&tmp);
    ent__vec_free(&t.items);
    if (t.oom || b.oom) {
        ent__buf_free(&b);
        return ENT_ENOMEM;
    }
    if (!b.p) ent__buf_puts(&b, "");
    *out = b.p;
    return b.oom ? ENT_ENOMEM : ENT_OK;
}
