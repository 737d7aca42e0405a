/*
** state.c: the institution state's storage and its queries on a date:
** symbols, the record index, membership and chair timelines, the Secretary
** General in office, breaches made by the passing of time, cloning and the
** canonical digest. The acts themselves are in apply.c.
*/
#include "state.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *ent__mstatus_name(int ms)
{
    static const char *const names[] = { "none", "member", "frozen", "suspended", "former", "observer", "partner" };
    return ms >= 0 && ms <= ENT_MS_PARTNER ? names[ms] : "?";
}

const char *ent__vote_name(int v)
{
    static const char *const names[] = { "-", "yes", "no", "abstain", "out" };
    return v >= 0 && v <= ENT_VOTE_OUT ? names[v] : "?";
}

const char *ent__prop_status_name(int s)
{
    static const char *const names[] = { "open", "adopted", "adopted-limited", "blocked", "lapsed" };
    return s >= 0 && s <= ENT_PROP_LAPSED ? names[s] : "?";
}

/* ------------------------------------------------------------------ */
/* Life cycle.                                                          */

int ent__inst_init(ent_inst *s, const ent_charter *c, const ent_world *w)
{
    memset(s, 0, sizeof *s);
    s->charter = c;
    s->world = w;
    ent__buf_putc(&s->pool, 0); /* offset 0 is the empty string: ent_sym 0 = none */
    ent__vec_init(&s->members, sizeof(ent_mchange));
    ent__vec_init(&s->chairs, sizeof(ent_chairing));
    ent__vec_init(&s->sgs, sizeof(ent_sgterm));
    ent__vec_init(&s->recs, sizeof(ent_recommendation));
    ent__vec_init(&s->requests, sizeof(ent_request));
    ent__vec_init(&s->auths, sizeof(ent_authorization));
    ent__vec_init(&s->proposals, sizeof(ent_proposal));
    ent__vec_init(&s->contribs, sizeof(ent_contrib));
    ent__vec_init(&s->breaches, sizeof(ent_breach));
    ent__vec_init(&s->transits, sizeof(ent_transit));
    ent__vec_init(&s->consents, sizeof(ent_consent));
    ent__vec_init(&s->sessions, sizeof(ent_session));
    ent__vec_init(&s->applications, sizeof(ent_application));
    ent__vec_init(&s->withdrawals, sizeof(ent_withdrawal));
    ent__vec_init(&s->exercises, sizeof(ent_exercise));
    ent__vec_init(&s->explans, sizeof(ent_explan));
    ent__vec_init(&s->operations, sizeof(ent_operation));
    ent__vec_init(&s->opreports, sizeof(ent_opreport));
    ent__vec_init(&s->chiefs, sizeof(ent_chief));
    ent__vec_init(&s->missions, sizeof(ent_mission));
    ent__vec_init(&s->notes, sizeof(ent_note));
    ent__register_init(s);
    ent__portal_init(s);
    s->transit_from = ENT_DATE_NONE;
    s->chair_auto_from = ENT_DATE_NONE;
    s->last_date = ENT_DATE_NONE;
    s->ms_last = ENT_DATE_NONE;
    for (int i = 0; i < ENT_MAX_STATES; i++) s->relied[i] = ENT_DATE_NONE;
    ent__inst_index_verbs(s);
    return s->pool.oom ? -1 : 0;
}

static ent_vec *vecs(ent_inst *s, int i)
{
    ent_vec *all[] = { &s->members, &s->chairs, &s->sgs, &s->recs, &s->requests,
                       &s->auths, &s->proposals, &s->contribs, &s->breaches, &s->transits,
                       &s->consents, &s->sessions, &s->applications, &s->withdrawals,
                       &s->exercises, &s->explans, &s->operations, &s->opreports,
                       &s->incidents, &s->disputes, &s->dsteps, &s->adversaries,
                       &s->relations, &s->meetings, &s->conferences, &s->invites, &s->registrations,
                       &s->articles, &s->comments, &s->modlog, &s->chiefs, &s->missions, &s->notes };
    return i < (int)(sizeof all / sizeof all[0]) ? all[i] : NULL;
}

void ent__inst_free(ent_inst *s)
{
    ent__buf_free(&s->pool);
    ent__free(s->symtab);
    for (int i = 0; vecs(s, i); i++) ent__vec_free(vecs(s, i));
    memset(s, 0, sizeof *s);
}

static int copy_vec(ent_vec *dst, const ent_vec *src)
{
    ent__vec_init(dst, src->elem);
    if (!src->len) return 0;
    dst->p = ent__malloc(src->len * src->elem);
    if (!dst->p) return -1;
    memcpy(dst->p, src->p, src->len * src->elem);
    dst->len = dst->cap = src->len;
    return 0;
}

static void *dup_mem(const void *p, size_t n)
{
    if (!p || !n) return NULL;
    void *d = ent__malloc(n);
    if (d) memcpy(d, p, n);
    return d;
}

int ent__inst_clone(ent_inst *dst, const ent_inst *src)
{
    *dst = *src;
    memset(&dst->pool, 0, sizeof dst->pool);
    dst->symtab = NULL;
    for (int i = 0; vecs(dst, i); i++) ent__vec_init(vecs(dst, i), vecs((ent_inst *)src, i)->elem);
    int bad = 0;
    ent__buf_put(&dst->pool, src->pool.p, src->pool.len);
    bad |= dst->pool.oom;
    if (src->symcap) {
        dst->symtab = dup_mem(src->symtab, src->symcap * sizeof *src->symtab);
        bad |= !dst->symtab;
    }
    for (int i = 0; vecs(dst, i); i++) bad |= copy_vec(vecs(dst, i), vecs((ent_inst *)src, i));
    if (bad) {
        ent__inst_free(dst);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Symbols: strings interned in the pool; symtab maps hash -> offset.   */

/* A hash of a short string, eight bytes at a time (ids and texts are
** interned on every act, so this is on the hot path). */
static uint32_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    h *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32); /* the well-mixed high half */
}

/* Each interned string is stored as its length (4 bytes), its bytes and a
** NUL; an ent_sym is the offset of the bytes. */
static uint32_t sym_len(const ent_inst *s, ent_sym y)
{
    uint32_t n;
    memcpy(&n, s->pool.p + y - 4, 4);
    return n;
}

/* Append p[0..n) to the pool as length, bytes, NUL; its ent_sym, 0 on oom. */
static ent_sym pool_put(ent_inst *s, const char *p, size_t n)
{
    ent_buf *b = &s->pool;
    if (b->len + n + 5 > UINT32_MAX || ent__buf_reserve(b, n + 5)) return 0;
    uint32_t len = (uint32_t)n;
    memcpy(b->p + b->len, &len, 4);
    memcpy(b->p + b->len + 4, p, n);
    b->p[b->len + 4 + n] = 0;
    ent_sym y = (ent_sym)(b->len + 4);
    b->len += n + 5;
    b->p[b->len] = 0; /* an ent_buf ends with a NUL */
    return y;
}

static int sym_is(const ent_inst *s, ent_sym y, const char *p, size_t n)
{
    return sym_len(s, y) == n && memcmp(s->pool.p + y, p, n) == 0;
}

/* The slot of p[0..n) (hash h): where it is, or the empty slot where it
** would go. The table is never full (load <= 1/2). */
static struct ent_symslot *sym_slot(const ent_inst *s, const char *p, size_t n, uint32_t h)
{
    uint32_t mask = s->symcap - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        struct ent_symslot *e = &s->symtab[i];
        if (!e->sym || (e->hash == h && sym_is(s, e->sym, p, n))) return e;
    }
}

ent_sym ent__sym_find(const ent_inst *s, const char *p, size_t n)
{
    if (!s->symcap) return 0;
    return sym_slot(s, p, n, hash_bytes(p, n))->sym;
}

static int sym_grow(ent_inst *s)
{
    uint32_t cap = s->symcap ? s->symcap * 2 : 256;
    struct ent_symslot *t = ent__malloc(cap * sizeof *t);
    if (!t) return -1;
    memset(t, 0, cap * sizeof *t);
    for (uint32_t i = 0; i < s->symcap; i++) {
        const struct ent_symslot *e = &s->symtab[i];
        if (!e->sym) continue;
        uint32_t j = e->hash & (cap - 1);
        while (t[j].sym) j = (j + 1) & (cap - 1);
        t[j] = *e;
    }
    ent__free(s->symtab);
    s->symtab = t;
    s->symcap = cap;
    return 0;
}

ent_sym ent__sym(ent_inst *s, const char *p, size_t n)
{
    if (n == 0) return 0;
    if ((s->nsyms + 1) * 2 >= s->symcap && sym_grow(s)) return 0; /* load <= 1/2: short probes */
    /* find or insert with one hash and one probe sequence */
    uint32_t h = hash_bytes(p, n);
    struct ent_symslot *e = sym_slot(s, p, n, h);
    if (e->sym) return e->sym;
    ent_sym y = pool_put(s, p, n);
    if (!y) return 0;
    *e = (struct ent_symslot){ y, h, 0 };
    s->nsyms++;
    return y;
}

/* Free text (names, the quoted text of acts): stored in the pool like a
** symbol but not interned, since texts rarely repeat and hashing them would
** cost more than it saves. 0 on oom or for "". */
ent_sym ent__text(ent_inst *s, const char *p, size_t n)
{
    return n == 0 ? 0 : pool_put(s, p, n);
}

/* ------------------------------------------------------------------ */
/* Record index: id symbol -> (kind, index).                            */

int ent__inst_record_sym(const ent_inst *s, const char *id, size_t n, int32_t *index, ent_sym *sym)
{
    if (sym) *sym = 0;
    if (!s->symcap || n == 0) return ENT_REC_NONE;
    const struct ent_symslot *e = sym_slot(s, id, n, hash_bytes(id, n));
    if (sym) *sym = e->sym;
    if (!e->rec) return ENT_REC_NONE;
    *index = (int32_t)((e->rec - 1) & 0x0FFFFFFF);
    return (int)((e->rec - 1) >> 28);
}

int ent__inst_new_id(ent_inst *s, const char *id, size_t n, ent_sym *sym)
{
    *sym = 0;
    if (n == 0) return ENT_REC_NONE;
    if ((s->nsyms + 1) * 2 >= s->symcap && sym_grow(s)) return ENT_REC_NONE;
    uint32_t h = hash_bytes(id, n);
    struct ent_symslot *e = sym_slot(s, id, n, h);
    if (e->rec) return (int)((e->rec - 1) >> 28);
    if (e->sym) {
        *sym = e->sym;
        return ENT_REC_NONE;
    }
    ent_sym y = pool_put(s, id, n);
    if (!y) return ENT_REC_NONE;
    *e = (struct ent_symslot){ y, h, 0 };
    s->nsyms++;
    *sym = y;
    return ENT_REC_NONE;
}

int ent__inst_record(const ent_inst *s, const char *id, size_t n, int32_t *index)
{
    return ent__inst_record_sym(s, id, n, index, NULL);
}

int ent__inst_add_record(ent_inst *s, ent_sym y, int kind, int32_t index)
{
    if (!y || !s->symcap) return -1;
    uint32_t mask = s->symcap - 1, i = hash_bytes(s->pool.p + y, sym_len(s, y)) & mask;
    while (s->symtab[i].sym != y) { /* y is in the table: find its slot by identity */
        if (!s->symtab[i].sym) return -1;
        i = (i + 1) & mask;
    }
    s->symtab[i].rec = (((uint32_t)kind << 28) | (uint32_t)index) + 1;
    s->nrecs++;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Timelines.                                                           */

int ent__inst_mstatus_before(const ent_inst *s, ent_state_id st, ent_date d)
{
    int ms = ENT_MS_NONE;
    const ent_mchange *m = s->members.p;
    for (size_t i = 0; i < s->members.len && m[i].date <= d; i++)
        if (m[i].state == st) ms = m[i].status;
    return ms;
}

int ent__inst_set_mstatus(ent_inst *s, ent_state_id st, ent_date d, int status)
{
    ent_vec *v = &s->members;
    if (!ent__vec_push(v)) return -1;
    ent_mchange *m = v->p;
    size_t i = v->len - 1;
    while (i > 0 && m[i - 1].date > d) {
        m[i] = m[i - 1];
        i--;
    }
    m[i] = (ent_mchange){ d, st, (uint8_t)status };
    /* refresh the standing after the last change */
    memset(s->ms_now, 0, sizeof s->ms_now);
    for (size_t k = 0; k < v->len; k++) s->ms_now[m[k].state] = m[k].status;
    s->ms_active = 0;
    for (int k = 0; k < ENT_MAX_STATES; k++)
        if (s->ms_now[k] == ENT_MS_MEMBER) s->ms_active |= 1ull << k;
    s->ms_last = m[v->len - 1].date;
    return 0;
}

/* Next state after `after` in the rotation order whose standing on d is an
** active member (when skip is set); -1 if none. */
ent_state_id ent__inst_rotation_next(const ent_inst *s, ent_state_id after, ent_date d, int skip);
ent_state_id ent__inst_rotation_next(const ent_inst *s, ent_state_id after, ent_date d, int skip)
{
    const ent_charter *c = s->charter;
    int n = c->nrotation, pos = -1;
    if (!n) return -1;
    for (int i = 0; i < n; i++) {
        ent_str code = { c->rotation[i], 2 };
        if (ent__world_find(s->world, code) == after) pos = i;
    }
    for (int k = 1; k <= n; k++) {
        ent_str code = { c->rotation[(pos + k + n) % n], 2 };
        ent_state_id cand = ent__world_find(s->world, code);
        if (cand < 0) continue;
        if (!skip || ent__inst_mstatus(s, cand, d) == ENT_MS_MEMBER) return cand;
    }
    return -1;
}

static int skip_inactive(const ent_inst *s)
{
    return s->charter->rd_skip_inactive;
}

ent_state_id ent__inst_chair(const ent_inst *s, ent_date d, int *kind, ent_date *since)
{
    const ent_chairing *ch = s->chairs.p;
    const ent_chairing *last = NULL, *last_regular = NULL;
    for (size_t i = 0; i < s->chairs.len && ch[i].date <= d; i++) {
        last = &ch[i];
        if (ch[i].kind != ENT_CHAIR_TEMPORARY) last_regular = &ch[i];
    }
    if (kind) *kind = last ? last->kind : 0;
    if (since) *since = last ? last->date : ENT_DATE_NONE;
    if (!last) return -1;
    ent_state_id cur = last->state;
    if (s->chair_auto_from == ENT_DATE_NONE || d < s->chair_auto_from) return cur;
    /* Since the 1-January rule: every 1 January after the last recorded
    ** chairmanship (and not before the rule) the next in rotation takes over. */
    int y0, m0, d0, y1, m1, d1;
    ent__date_split(last->date, &y0, &m0, &d0);
    ent__date_split(d, &y1, &m1, &d1);
    ent_state_id rot = last_regular ? last_regular->state : cur;
    for (int y = y0 + 1; y <= y1; y++) {
        ent_date jan1;
        if (ent__date_make(y, 1, 1, &jan1) || jan1 < s->chair_auto_from) continue;
        ent_state_id nx = ent__inst_rotation_next(s, rot, jan1, skip_inactive(s));
        if (nx < 0) break;
        rot = cur = nx;
        if (kind) *kind = 3;
        if (since) *since = jan1;
    }
    return cur;
}

const ent_sgterm *ent__inst_sg(const ent_inst *s, ent_date d)
{
    const ent_sgterm *t = s->sgs.p, *best = NULL;
    for (size_t i = 0; i < s->sgs.len; i++) {
        if (t[i].from > d) continue;
        if (t[i].ended != ENT_DATE_NONE && t[i].ended <= d) continue;
        if (!t[i].acting && t[i].to != ENT_DATE_NONE && t[i].to < d) continue;
        if (t[i].acting) {
            /* an acting term ends when an appointed Secretary General takes
            ** office after it */
            int superseded = 0;
            for (size_t k = 0; k < s->sgs.len && !superseded; k++)
                superseded = !t[k].acting && t[k].from > t[i].from && t[k].from <= d;
            if (superseded) continue;
        }
        /* an appointed SG outranks an acting one; later beats earlier */
        if (!best || (!t[i].acting && best->acting) ||
            (t[i].acting == best->acting && t[i].from >= best->from))
            best = &t[i];
    }
    return best;
}

/* ------------------------------------------------------------------ */
/* Deployments and breaches on a date.                                  */

static int withdrawal_days(const ent_inst *s)
{
    return s->charter->rd_withdrawal_days;
}

/* The date a mission ended: declared complete, or its fixed period ran out. */
ent_date ent__mission_end(const ent_proposal *p)
{
    ent_date end = p->complete;
    if (p->days > 0 && p->closed != ENT_DATE_NONE) {
        ent_date lim = p->closed + p->days;
        if (end == ENT_DATE_NONE || lim < end) end = lim;
    }
    return end;
}

const char *ent__inst_deploy_status(const ent_inst *s, const ent_proposal *p, ent_date d)
{
    if (p->status == ENT_PROP_OPEN) return "proposed";
    if (p->pkind >= ENT_PK_APPOINT) return ent__prop_status_name(p->status); /* no deployment */
    if (p->pkind == ENT_PK_BASE) {
        if (p->status == ENT_PROP_BLOCKED) return "blocked";
        if (p->status == ENT_PROP_LAPSED) return "lapsed";
        return p->established != ENT_DATE_NONE && p->established <= d ? "established" : "consented";
    }
    if (p->status == ENT_PROP_BLOCKED) return "blocked";
    if (p->status == ENT_PROP_LAPSED) return "lapsed";
    int arrived = 0, present = 0;
    const ent_contrib *c = s->contribs.p;
    for (int32_t i = p->first_contrib; i >= 0; i = c[i].next) {
        if (c[i].arrived != ENT_DATE_NONE && c[i].arrived <= d) {
            arrived = 1;
            if (c[i].left == ENT_DATE_NONE || c[i].left > d) present = 1;
        }
    }
    ent_date end = ent__mission_end(p);
    if (arrived && !present) return "ended";
    if (end != ENT_DATE_NONE && end <= d) return present ? "withdrawing" : "ended";
    return arrived ? "active" : "adopted";
}

static void sort_breaches(ent_vec *out, size_t first);
static int breaches_unsorted(const ent_inst *s, ent_date d, ent_vec *out);

int ent__inst_breaches(const ent_inst *s, ent_date d, ent_vec *out)
{
    size_t first = out->len;
    int rc = breaches_unsorted(s, d, out);
    if (rc == 0) sort_breaches(out, first);
    return rc;
}

/* Stable insertion sort by date: breaches are few. */
static void sort_breaches(ent_vec *out, size_t first)
{
    ent_breach *b = out->p;
    for (size_t i = first + 1; i < out->len; i++) {
        ent_breach x = b[i];
        size_t j = i;
        while (j > first && b[j - 1].date > x.date) {
            b[j] = b[j - 1];
            j--;
        }
        b[j] = x;
    }
}

static int breaches_unsorted(const ent_inst *s, ent_date d, ent_vec *out)
{
    const ent_breach *b = s->breaches.p;
    for (size_t i = 0; i < s->breaches.len; i++) {
        if (b[i].date > d) continue;
        ent_breach *nb = ent__vec_push(out);
        if (!nb) return -1;
        *nb = b[i];
    }
    const ent_proposal *p = s->proposals.p;
    const ent_contrib *c = s->contribs.p;
    int wd = withdrawal_days(s);
    char day[11], day2[11];
    for (size_t i = 0; i < s->proposals.len; i++) {
        if (p[i].status != ENT_PROP_ADOPTED && p[i].status != ENT_PROP_LIMITED) continue;
        if (p[i].pkind != ENT_PK_DEPLOY) continue;
        /* UN notice: "at once" (un-notice rule), within the switch's days */
        if (ent__charter_in_force(s->charter, "un-notice", p[i].closed)) {
            int nd = s->charter->rd_un_notice_days;
            int arrived = 0;
            for (int32_t k = p[i].first_contrib; k >= 0; k = c[k].next)
                if (c[k].arrived != ENT_DATE_NONE && c[k].arrived <= d) arrived = 1;
            ent_date due = p[i].closed + nd;
            if (arrived && d > due && (p[i].un_notice == ENT_DATE_NONE || p[i].un_notice > due)) {
                ent_breach *nb = ent__vec_push(out);
                if (!nb) return -1;
                nb->date = due + 1;
                nb->rule = "un-notice";
                nb->proposal = (int32_t)i;
                nb->state = p[i].host;
                snprintf(nb->msg, sizeof nb->msg,
                         "%s: the UN Security Council was not notified within %d day(s) of the decision of %s",
                         ent__sym_str(s, p[i].id), nd, ent__date_format(p[i].closed, day));
            }
        }
        /* mandate: contingents leave within the withdrawal period */
        ent_date end = ent__mission_end(&p[i]);
        if (end == ENT_DATE_NONE || !ent__charter_in_force(s->charter, "mandate", end)) continue;
        ent_date limit = end + wd;
        for (int32_t k = p[i].first_contrib; k >= 0; k = c[k].next) {
            if (c[k].arrived == ENT_DATE_NONE || c[k].arrived > d) continue;
            int still = c[k].left == ENT_DATE_NONE || c[k].left > d;
            if (!still || d <= limit) continue; /* a late leave was flagged when recorded */
            ent_breach *nb = ent__vec_push(out);
            if (!nb) return -1;
            nb->date = limit + 1;
            nb->rule = "mandate";
            nb->proposal = (int32_t)i;
            nb->state = c[k].state;
            snprintf(nb->msg, sizeof nb->msg,
                     "%s contingent of %s still on %s's territory on %s, %d day(s) after the withdrawal period ended on %s",
                     s->world->states[c[k].state].code, ent__sym_str(s, p[i].id),
                     s->world->states[p[i].host].code, ent__date_format(d, day), d - limit,
                     ent__date_format(limit, day2));
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Digest: every field, in a fixed order and width, so that two states built
** by the same events hash the same whatever their memory layout. */

typedef struct dg {
    crypto_generichash_state h;
} dg;

void ent__dg_int(void *g, int64_t v);
void ent__dg_text(void *g, const char *z);

static void dg_u64(dg *g, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    crypto_generichash_update(&g->h, b, 8);
}
static void dg_i(dg *g, int64_t v) { dg_u64(g, (uint64_t)v); }
static void dg_str(dg *g, const char *z)
{
    size_t n = z ? strlen(z) : 0;
    dg_u64(g, n);
    if (n) crypto_generichash_update(&g->h, (const unsigned char *)z, n);
}

/* For the digests of the other parts of the organization (state.h). */
void ent__dg_int(void *g, int64_t v) { dg_i(g, v); }
void ent__dg_text(void *g, const char *z) { dg_str(g, z); }

void ent__inst_digest(const ent_inst *s, unsigned char out[32])
{
    dg g;
    crypto_generichash_init(&g.h, NULL, 0, 32);
    dg_str(&g, "entente-state-1");
    dg_u64(&g, s->pool.len);
    crypto_generichash_update(&g.h, (const unsigned char *)s->pool.p, s->pool.len);
    dg_u64(&g, s->members.len);
    for (size_t i = 0; i < s->members.len; i++) {
        const ent_mchange *m = &ENT_VEC_AT(&s->members, ent_mchange, i);
        dg_i(&g, m->date), dg_i(&g, m->state), dg_i(&g, m->status);
    }
    dg_u64(&g, s->chairs.len);
    for (size_t i = 0; i < s->chairs.len; i++) {
        const ent_chairing *c = &ENT_VEC_AT(&s->chairs, ent_chairing, i);
        dg_i(&g, c->date), dg_i(&g, c->state), dg_i(&g, c->kind);
    }
    dg_i(&g, s->chair_auto_from);
    for (int i = 0; i < ENT_MAX_STATES; i++) dg_i(&g, s->relied[i]);
    dg_u64(&g, s->sgs.len);
    for (size_t i = 0; i < s->sgs.len; i++) {
        const ent_sgterm *t = &ENT_VEC_AT(&s->sgs, ent_sgterm, i);
        dg_i(&g, t->from), dg_i(&g, t->to), dg_i(&g, t->ended), dg_i(&g, t->state);
        dg_i(&g, t->acting), dg_i(&g, t->name);
    }
    dg_u64(&g, s->recs.len);
    for (size_t i = 0; i < s->recs.len; i++) {
        const ent_recommendation *r = &ENT_VEC_AT(&s->recs, ent_recommendation, i);
        dg_i(&g, r->date), dg_i(&g, r->state), dg_i(&g, r->used);
    }
    dg_u64(&g, s->requests.len);
    for (size_t i = 0; i < s->requests.len; i++) {
        const ent_request *r = &ENT_VEC_AT(&s->requests, ent_request, i);
        dg_i(&g, r->id), dg_i(&g, r->date), dg_i(&g, r->state), dg_i(&g, r->kind);
        dg_i(&g, r->article), dg_i(&g, r->text), dg_i(&g, r->status);
    }
    dg_u64(&g, s->auths.len);
    for (size_t i = 0; i < s->auths.len; i++) {
        const ent_authorization *a = &ENT_VEC_AT(&s->auths, ent_authorization, i);
        dg_i(&g, a->id), dg_i(&g, a->date), dg_i(&g, a->host), dg_i(&g, a->text);
    }
    dg_u64(&g, s->proposals.len);
    for (size_t i = 0; i < s->proposals.len; i++) {
        const ent_proposal *p = &ENT_VEC_AT(&s->proposals, ent_proposal, i);
        dg_i(&g, p->id), dg_i(&g, p->pkind), dg_i(&g, p->third), dg_i(&g, p->established);
        dg_i(&g, p->term_from), dg_i(&g, p->term_to);
        dg_i(&g, p->date), dg_i(&g, p->body), dg_i(&g, p->kind);
        dg_i(&g, p->host), dg_i(&g, p->force), dg_i(&g, p->request), dg_i(&g, p->mandate);
        dg_i(&g, p->days), dg_i(&g, p->text), dg_u64(&g, p->eligible), dg_u64(&g, p->voted);
        crypto_generichash_update(&g.h, p->votes, sizeof p->votes);
        dg_i(&g, p->status), dg_i(&g, p->closed), dg_i(&g, p->last_vote), dg_i(&g, p->troops);
        dg_i(&g, p->complete), dg_i(&g, p->un_notice), dg_i(&g, p->first_contrib);
        if (p->parties) dg_str(&g, "parties"), dg_u64(&g, p->parties); /* only when named: older digests stay */
        if (p->session) dg_str(&g, "session"), dg_i(&g, p->session);
    }
    dg_u64(&g, s->contribs.len);
    for (size_t i = 0; i < s->contribs.len; i++) {
        const ent_contrib *c = &ENT_VEC_AT(&s->contribs, ent_contrib, i);
        dg_i(&g, c->proposal), dg_i(&g, c->state), dg_i(&g, c->troops), dg_i(&g, c->date);
        dg_i(&g, c->arrived), dg_i(&g, c->left), dg_i(&g, c->next);
    }
    dg_u64(&g, s->breaches.len);
    for (size_t i = 0; i < s->breaches.len; i++) {
        const ent_breach *b = &ENT_VEC_AT(&s->breaches, ent_breach, i);
        dg_i(&g, b->date), dg_str(&g, b->rule), dg_i(&g, b->proposal), dg_i(&g, b->state);
        dg_str(&g, b->msg);
    }
    dg_u64(&g, s->transits.len);
    for (size_t i = 0; i < s->transits.len; i++) {
        const ent_transit *t = &ENT_VEC_AT(&s->transits, ent_transit, i);
        dg_i(&g, t->proposal), dg_i(&g, t->state), dg_i(&g, t->date), dg_i(&g, t->nvia);
        for (int k = 0; k < t->nvia; k++) dg_i(&g, t->via[k]);
    }
    dg_u64(&g, s->consents.len);
    for (size_t i = 0; i < s->consents.len; i++) {
        const ent_consent *k = &ENT_VEC_AT(&s->consents, ent_consent, i);
        dg_i(&g, k->proposal), dg_i(&g, k->state), dg_i(&g, k->date);
    }
    dg_u64(&g, s->sessions.len);
    for (size_t i = 0; i < s->sessions.len; i++) {
        const ent_session *x = &ENT_VEC_AT(&s->sessions, ent_session, i);
        dg_i(&g, x->date), dg_i(&g, x->body), dg_i(&g, x->chair), dg_i(&g, x->extraordinary), dg_i(&g, x->text);
        dg_i(&g, x->id), dg_i(&g, x->video), dg_u64(&g, x->attended), dg_u64(&g, x->absent);
    }
    dg_u64(&g, s->transit_parties);
    dg_i(&g, s->transit_from);
    /* further parts of the organization add their digests here, each
    ** hashing every field of its records in a fixed order */
    ent__exercise_digest(s, &g);
    ent__register_digest(s, &g);
    ent__portal_digest(s, &g);
    ent__members_digest(s, &g);
    ent__staff_digest(s, &g);
    ent__notes_digest(s, &g);
    dg_i(&g, s->last_date);
    dg_u64(&g, s->nevents);
    crypto_generichash_final(&g.h, out, 32);
}
