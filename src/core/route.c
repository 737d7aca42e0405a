/*
** route.c: routes for a contingent between two states, and the consents
** that each route needs.
**
** The graph: one node per state; an edge between two states that share an
** open land border or a sea link (closed borders are left out). Moving into a
** state costs one consent if that state is not a member, plus the
** great-circle distance between the two capitals. Costs compare as the pair
** (consents, metres) and ties break on the path's state codes, so the order
** is total and does not depend on the order in which the world was declared.
** Distances are summed as whole metres (each hop rounded, at least 1 m), so
** that equal sums are equal exactly and every cycle costs something.
**
** The k best routes are found with Yen's algorithm (J. Y. Yen, "Finding the
** k shortest loopless paths in a network", Management Science 17(11), 1971):
** the best route first; then, for each route found, every "spur" off a
** prefix of it, with the edges already taken from that prefix removed; the
** best candidate becomes the next route. Each spur search is a hop-bounded
** Bellman-Ford (at most ENT_ROUTE_MAX_HOPS hops in all), which returns the
** least path under the total order above, so the k routes are exactly the
** first k simple paths of that order. With N states, E edges and k routes the
** work is O(k * H * H * E * H) for H = ENT_ROUTE_MAX_HOPS: a few hundred
** thousand steps for the CSTO's neighbourhood.
**
** Everything lives in fixed arrays on the stack; nothing is allocated.
*/
#include "core.h"

#include <math.h>
#include <string.h>

#define H ENT_ROUTE_MAX_HOPS
#define N_LINKS ((int)(sizeof(((ent_world *)0)->links) / sizeof(((ent_world *)0)->links[0])))
#define MAX_OUT 64          /* routes returned at most */
#define MAX_CAND 256        /* Yen's candidate set; >= MAX_OUT keeps it exact */

_Static_assert(ENT_MAX_STATES <= 64, "node sets are uint64_t masks");

/* A path and its cost. */
typedef struct rpath {
    int64_t m;              /* metres */
    int c;                  /* consents */
    int n;                  /* nodes */
    ent_state_id p[H + 1];
} rpath;

/* The graph in compressed adjacency form. */
typedef struct rgraph {
    const ent_world *w;
    const uint8_t *member;
    int start[ENT_MAX_STATES + 1];
    ent_state_id to[2 * N_LINKS];
    int32_t m[2 * N_LINKS];
} rgraph;

static int64_t hop_metres(const ent_world *w, ent_state_id a, ent_state_id b)
{
    int64_t m = (int64_t)llround(ent__world_km(w, a, b) * 1000.0);
    return m < 1 ? 1 : m;
}

static void graph_build(rgraph *g, const ent_world *w, const uint8_t *member)
{
    uint64_t nb[ENT_MAX_STATES];
    memset(nb, 0, sizeof nb);
    for (int i = 0; i < w->nlinks; i++) {
        const ent_link *l = &w->links[i];
        if (l->closed || l->a == l->b) continue;
        if (l->a < 0 || l->b < 0 || l->a >= w->nstates || l->b >= w->nstates) continue;
        nb[l->a] |= (uint64_t)1 << l->b;
        nb[l->b] |= (uint64_t)1 << l->a;
    }
    g->w = w;
    g->member = member;
    int k = 0;
    for (int u = 0; u < w->nstates; u++) {
        g->start[u] = k;
        for (int v = 0; v < w->nstates; v++) {
            if (!(nb[u] >> v & 1)) continue;
            g->to[k] = (ent_state_id)v;
            g->m[k] = (int32_t)hop_metres(w, (ent_state_id)u, (ent_state_id)v);
            k++;
        }
    }
    g->start[w->nstates] = k;
}

static int needs_consent(const rgraph *g, ent_state_id v)
{
    return !g->member || !g->member[v];
}

/* Compare two paths by their state codes, element by element; a proper
** prefix comes first. */
static int path_lex(const ent_world *w, const rpath *a, const rpath *b)
{
    for (int i = 0; i < a->n && i < b->n; i++) {
        if (a->p[i] == b->p[i]) continue;
        int c = strcmp(w->states[a->p[i]].code, w->states[b->p[i]].code);
        if (c) return c;
    }
    return (a->n > b->n) - (a->n < b->n);
}

/* The total order: consents, then metres, then codes. */
static int path_cmp(const ent_world *w, const rpath *a, const rpath *b)
{
    if (a->c != b->c) return a->c < b->c ? -1 : 1;
    if (a->m != b->m) return a->m < b->m ? -1 : 1;
    return path_lex(w, a, b);
}

static int path_same(const rpath *a, const rpath *b)
{
    return a->n == b->n && memcmp(a->p, b->p, (size_t)a->n * sizeof a->p[0]) == 0;
}

static int path_has(const rpath *a, ent_state_id v)
{
    for (int i = 0; i < a->n; i++)
        if (a->p[i] == v) return 1;
    return 0;
}

/* The metres of edge u-v (they are adjacent). */
static int64_t edge_m(const rgraph *g, ent_state_id u, ent_state_id v)
{
    for (int k = g->start[u]; k < g->start[u + 1]; k++)
        if (g->to[k] == v) return g->m[k];
    return 0; /* not reached */
}

/* Least path (in the total order) from s to t with at most `hops` hops that
** avoids the nodes in `banned` and does not leave s towards a node in
** `banned_next`. Returns 1 and fills *out, or 0 if there is none.
**
** Bellman-Ford by layers: best[v] after layer h is the least walk to v with
** at most h hops. Every cycle costs at least 1 m, so the least walk is a
** simple path, and extending a least prefix gives a least path (two distinct
** simple paths to u first differ at a position before u, so appending v keeps
** their order). */
static int spur_search(const rgraph *g, ent_state_id s, ent_state_id t, int hops,
                       uint64_t banned, uint64_t banned_next, rpath *out)
{
    const ent_world *w = g->w;
    rpath layer[2][ENT_MAX_STATES];
    uint8_t have[2][ENT_MAX_STATES];
    int cur = 0;
    memset(have, 0, sizeof have);
    layer[0][s].m = 0;
    layer[0][s].c = 0;
    layer[0][s].n = 1;
    layer[0][s].p[0] = s;
    have[0][s] = 1;

    for (int h = 1; h <= hops; h++) {
        int nxt = cur ^ 1, changed = 0;
        memcpy(layer[nxt], layer[cur], sizeof layer[cur]);
        memcpy(have[nxt], have[cur], sizeof have[cur]);
        for (int u = 0; u < w->nstates; u++) {
            if (!have[cur][u] || u == t) continue;
            const rpath *pu = &layer[cur][u];
            if (pu->n != h) continue; /* only paths grown in the last layer can improve */
            for (int k = g->start[u]; k < g->start[u + 1]; k++) {
                ent_state_id v = g->to[k];
                if (banned >> v & 1) continue;
                if (u == s && (banned_next >> v & 1)) continue;
                if (path_has(pu, v)) continue;
                rpath cand = *pu;
                cand.p[cand.n++] = v;
                cand.m += g->m[k];
                cand.c += needs_consent(g, v);
                if (!have[nxt][v] || path_cmp(w, &cand, &layer[nxt][v]) < 0) {
                    layer[nxt][v] = cand;
                    have[nxt][v] = 1;
                    changed = 1;
                }
            }
        }
        cur = nxt;
        if (!changed) break;
    }
    if (!have[cur][t]) return 0;
    *out = layer[cur][t];
    return 1;
}

/* Keep the MAX_CAND least candidates: add p unless it is already there or
** worse than all of a full set. */
static void cand_add(const ent_world *w, rpath *cand, int *ncand, const rpath *p)
{
    for (int i = 0; i < *ncand; i++)
        if (path_same(&cand[i], p)) return;
    if (*ncand < MAX_CAND) {
        cand[(*ncand)++] = *p;
        return;
    }
    int worst = 0;
    for (int i = 1; i < *ncand; i++)
        if (path_cmp(w, &cand[i], &cand[worst]) > 0) worst = i;
    if (path_cmp(w, p, &cand[worst]) < 0) cand[worst] = *p;
}

static void route_fill(const rgraph *g, const rpath *p, ent_path *r)
{
    const ent_world *w = g->w;
    memset(r, 0, sizeof *r);
    r->n = p->n;
    r->km = (double)p->m / 1000.0;
    for (int i = 0; i < p->n; i++) {
        r->path[i] = p->p[i];
        if (i > 0 && needs_consent(g, p->p[i])) r->consent[r->nconsent++] = p->p[i];
        if (i > 0) {
            int l = ent__world_adjacent(w, p->p[i - 1], p->p[i]);
            if (l >= 0 && w->links[l].sea) r->sea = 1;
        }
    }
}

int ent__routes(const ent_world *w, ent_state_id from, ent_state_id to,
                const uint8_t *is_member, ent_path *out, int max)
{
    if (max > MAX_OUT) max = MAX_OUT;
    if (max <= 0 || from < 0 || to < 0 || from >= w->nstates || to >= w->nstates) return 0;

    rgraph g;
    graph_build(&g, w, is_member);

    rpath found[MAX_OUT];
    rpath cand[MAX_CAND];
    int nfound = 0, ncand = 0;

    if (!spur_search(&g, from, to, H, 0, 0, &found[0])) return 0;
    nfound = 1;

    while (nfound < max) {
        const rpath *last = &found[nfound - 1];
        /* Spur off every prefix last->p[0..i] (i is the spur node's index). */
        for (int i = 0; i + 1 < last->n; i++) {
            uint64_t banned = 0, banned_next = 0;
            for (int j = 0; j < i; j++) banned |= (uint64_t)1 << last->p[j];
            for (int f = 0; f < nfound; f++) {
                const rpath *q = &found[f];
                if (q->n > i + 1 && memcmp(q->p, last->p, (size_t)(i + 1) * sizeof q->p[0]) == 0)
                    banned_next |= (uint64_t)1 << q->p[i + 1];
            }
            rpath spur;
            if (!spur_search(&g, last->p[i], to, H - i, banned, banned_next, &spur)) continue;
            rpath full;
            full.n = 0;
            full.m = 0;
            full.c = 0;
            for (int j = 0; j <= i; j++) {
                full.p[full.n++] = last->p[j];
                if (j > 0) {
                    full.m += edge_m(&g, last->p[j - 1], last->p[j]);
                    full.c += needs_consent(&g, last->p[j]);
                }
            }
            for (int j = 1; j < spur.n; j++) full.p[full.n++] = spur.p[j];
            full.m += spur.m;
            full.c += spur.c;
            cand_add(w, cand, &ncand, &full);
        }
        if (ncand == 0) break;
        int best = 0;
        for (int i = 1; i < ncand; i++)
            if (path_cmp(w, &cand[i], &cand[best]) < 0) best = i;
        found[nfound++] = cand[best];
        cand[best] = cand[--ncand];
    }

    for (int i = 0; i < nfound; i++) route_fill(&g, &found[i], &out[i]);
    return nfound;
}
