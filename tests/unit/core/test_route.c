/* test_route.c: routes and consents (src/core/route.c) and their rendering
** (src/api/render_route.c). The worlds are built with the helpers of
** test_world.c. */
#include "../test.h"
#include "../../../src/core/core.h"
#include "../../../src/api/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int ent_test_world_line(ent_world *w, const char *line, ent_outcome *o);
void ent_test_world_csto(ent_world *w);

static ent_state_id id_of(const ent_world *w, const char *code)
{
    return ent__world_find(w, (ent_str){ code, (uint32_t)strlen(code) });
}

/* The six members (Armenia is counted: the caller decides membership). */
static void csto_members(const ent_world *w, uint8_t *m)
{
    static const char *const six[] = { "AM", "BY", "KZ", "KG", "RU", "TJ" };
    memset(m, 0, ENT_MAX_STATES);
    for (int i = 0; i < 6; i++) m[id_of(w, six[i])] = 1;
}

/* "RU GE AM" */
static const char *path_str(const ent_world *w, const ent_path *r, char *buf)
{
    buf[0] = 0;
    for (int i = 0; i < r->n; i++) {
        if (i) strcat(buf, " ");
        strcat(buf, w->states[r->path[i]].code);
    }
    return buf;
}

static const char *consent_str(const ent_world *w, const ent_path *r, char *buf)
{
    buf[0] = 0;
    for (int i = 0; i < r->nconsent; i++) {
        if (i) strcat(buf, " ");
        strcat(buf, w->states[r->consent[i]].code);
    }
    return buf;
}

static void add(ent_world *w, const char *line)
{
    ent_outcome o;
    if (ent_test_world_line(w, line, &o) != ENT_V_OK) {
        fprintf(stderr, "%s: %s\n", line, o.msg);
        abort();
    }
}

TEST(route_ru_am_needs_consent)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_path r[8];
    char b[128];
    ent_test_world_csto(&w);
    csto_members(&w, m);
    int n = ent__routes(&w, id_of(&w, "RU"), id_of(&w, "AM"), m, r, 8);
    ASSERT(n >= 2);
    int seen_ge = 0, seen_az = 0, seen_ir = 0;
    for (int i = 0; i < n; i++) {
        ASSERT(r[i].nconsent >= 1);
        ASSERT_EQ(r[i].path[0], id_of(&w, "RU"));
        ASSERT_EQ(r[i].path[r[i].n - 1], id_of(&w, "AM"));
        for (int j = 0; j < r[i].nconsent; j++) {
            const char *c = w.states[r[i].consent[j]].code;
            seen_ge |= !strcmp(c, "GE");
            seen_az |= !strcmp(c, "AZ");
            seen_ir |= !strcmp(c, "IR");
        }
        if (i) {
            ASSERT(r[i].nconsent >= r[i - 1].nconsent);
            if (r[i].nconsent == r[i - 1].nconsent) ASSERT(r[i].km >= r[i - 1].km);
        }
    }
    ASSERT(seen_ge && seen_az && seen_ir);
    ASSERT_STR_EQ(path_str(&w, &r[0], b), "RU GE AM");
    ASSERT_STR_EQ(consent_str(&w, &r[0], b), "GE");
    ASSERT_EQ(r[0].sea, 0);
    ASSERT_NEAR(r[0].km, ent__world_km(&w, r[0].path[0], r[0].path[1]) +
                         ent__world_km(&w, r[0].path[1], r[0].path[2]), 0.002);
    ASSERT_STR_EQ(path_str(&w, &r[1], b), "RU AZ AM");
    ASSERT_STR_EQ(path_str(&w, &r[2], b), "RU IR AM");
    ASSERT_EQ(r[2].sea, 1);
    ASSERT_STR_EQ(consent_str(&w, &r[2], b), "IR");
}

TEST(route_tj_kz_within_members)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_path r[4];
    char b[128];
    ent_test_world_csto(&w);
    csto_members(&w, m);
    int n = ent__routes(&w, id_of(&w, "TJ"), id_of(&w, "KZ"), m, r, 4);
    ASSERT_EQ(n, 4);
    ASSERT_STR_EQ(path_str(&w, &r[0], b), "TJ KG KZ");
    ASSERT_EQ(r[0].nconsent, 0);
    ASSERT_EQ(r[0].sea, 0);
    /* TJ > UZ > KZ is shorter but needs Uzbekistan's consent: it comes after. */
    ASSERT_STR_EQ(path_str(&w, &r[1], b), "TJ UZ KZ");
    ASSERT_STR_EQ(consent_str(&w, &r[1], b), "UZ");
    ASSERT(r[1].km < r[0].km);
}

TEST(route_consent_counts_target_not_source)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_path r[2];
    char b[128];
    ent_test_world_csto(&w);
    csto_members(&w, m);
    /* from a non-member: no consent of its own */
    ASSERT(ent__routes(&w, id_of(&w, "GE"), id_of(&w, "AM"), m, r, 1) == 1);
    ASSERT_STR_EQ(path_str(&w, &r[0], b), "GE AM");
    ASSERT_EQ(r[0].nconsent, 0);
    /* to a non-member: its consent */
    ASSERT(ent__routes(&w, id_of(&w, "RU"), id_of(&w, "GE"), m, r, 1) == 1);
    ASSERT_STR_EQ(path_str(&w, &r[0], b), "RU GE");
    ASSERT_STR_EQ(consent_str(&w, &r[0], b), "GE");
    /* consents in path order */
    ASSERT(ent__routes(&w, id_of(&w, "BY"), id_of(&w, "TR"), m, r, 1) == 1);
    ASSERT_STR_EQ(path_str(&w, &r[0], b), "BY RU GE TR");
    ASSERT_STR_EQ(consent_str(&w, &r[0], b), "GE TR");
    /* with no member list every state but the first needs consent */
    ASSERT(ent__routes(&w, id_of(&w, "TJ"), id_of(&w, "KZ"), NULL, r, 1) == 1);
    ASSERT_EQ(r[0].nconsent, r[0].n - 1);
}

TEST(route_closed_border_never_used)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_path r[64];
    ent_test_world_csto(&w);
    csto_members(&w, m);
    ent_state_id am = id_of(&w, "AM"), tr = id_of(&w, "TR");
    int n = ent__routes(&w, tr, am, m, r, 64);
    ASSERT_EQ(n, 64);
    for (int i = 0; i < n; i++) {
        ASSERT(r[i].n >= 3);
        for (int j = 1; j < r[i].n; j++)
            ASSERT(!((r[i].path[j - 1] == am && r[i].path[j] == tr) ||
                     (r[i].path[j - 1] == tr && r[i].path[j] == am)));
    }
    /* nor on the way from Russia */
    n = ent__routes(&w, id_of(&w, "RU"), am, m, r, 64);
    for (int i = 0; i < n; i++)
        for (int j = 1; j < r[i].n; j++) ASSERT(!(r[i].path[j - 1] == tr && r[i].path[j] == am));
}

TEST(route_from_equals_to)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_path r[4];
    ent_test_world_csto(&w);
    csto_members(&w, m);
    ent_state_id ge = id_of(&w, "GE");
    ASSERT_EQ(ent__routes(&w, ge, ge, m, r, 4), 1);
    ASSERT_EQ(r[0].n, 1);
    ASSERT_EQ(r[0].path[0], ge);
    ASSERT_NEAR(r[0].km, 0.0, 0);
    ASSERT_EQ(r[0].nconsent, 0);
    ASSERT_EQ(r[0].sea, 0);
}

TEST(route_unreachable_and_bad_args)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_path r[4];
    ent_test_world_csto(&w);
    add(&w, "world state IS capital=Reykjavik lat=64.1466 lon=-21.9426 \"Iceland\"");
    csto_members(&w, m);
    ent_state_id is = id_of(&w, "IS"), ru = id_of(&w, "RU");
    ASSERT_EQ(ent__routes(&w, ru, is, m, r, 4), 0);
    ASSERT_EQ(ent__routes(&w, is, ru, m, r, 4), 0);
    ASSERT_EQ(ent__routes(&w, ru, -1, m, r, 4), 0);
    ASSERT_EQ(ent__routes(&w, (ent_state_id)w.nstates, ru, m, r, 4), 0);
    ASSERT_EQ(ent__routes(&w, ru, id_of(&w, "AM"), m, r, 0), 0);
}

TEST(route_hop_limit)
{
    static ent_world w;
    ent_path r[2];
    char line[128];
    ent__world_init(&w);
    /* a chain QA - QB - ... of 15 states along the equator */
    for (int i = 0; i < 15; i++) {
        snprintf(line, sizeof line, "world state Q%c capital=C lat=0 lon=%d \"Q\"", 'A' + i, i);
        add(&w, line);
        if (i) {
            snprintf(line, sizeof line, "world border Q%c Q%c", 'A' + i - 1, 'A' + i);
            add(&w, line);
        }
    }
    ASSERT_EQ(ent__routes(&w, 0, ENT_ROUTE_MAX_HOPS, NULL, r, 2), 1);
    ASSERT_EQ(r[0].n, ENT_ROUTE_MAX_HOPS + 1);
    ASSERT_NEAR(r[0].km, ENT_ROUTE_MAX_HOPS * 111.195, 0.05);
    ASSERT_EQ(ent__routes(&w, 0, ENT_ROUTE_MAX_HOPS + 1, NULL, r, 2), 0);
    ASSERT_EQ(ent__routes(&w, 2, 14, NULL, r, 2), 1);
}

/* Two routes of exactly the same length: the codes decide, whatever the
** order in which the world was declared. */
static void diamond(ent_world *w, int reverse)
{
    static const char *const lines[] = {
        "world state QD capital=D lat=0 lon=2 \"D\"",
        "world state QC capital=C lat=-1 lon=1 \"C\"",
        "world state QB capital=B lat=1 lon=1 \"B\"",
        "world state QA capital=A lat=0 lon=0 \"A\"",
        "world border QA QC",
        "world border QC QD",
        "world border QD QB",
        "world border QB QA",
    };
    ent__world_init(w);
    for (int i = 0; i < 8; i++) add(w, lines[reverse ? 7 - (i + 4) % 8 : i]);
}

TEST(route_tie_break_deterministic)
{
    ent_world w1, w2;
    ent_path r1[4], r2[4];
    char b[64];
    diamond(&w1, 0);
    diamond(&w2, 1);
    ASSERT(strcmp(w1.states[0].code, w2.states[0].code) != 0); /* declared in another order */
    ASSERT_EQ(ent__routes(&w1, id_of(&w1, "QA"), id_of(&w1, "QD"), NULL, r1, 4), 2);
    ASSERT_EQ(ent__routes(&w2, id_of(&w2, "QA"), id_of(&w2, "QD"), NULL, r2, 4), 2);
    ASSERT_NEAR(r1[0].km, r1[1].km, 0);
    ASSERT_STR_EQ(path_str(&w1, &r1[0], b), "QA QB QD");
    ASSERT_STR_EQ(path_str(&w1, &r1[1], b), "QA QC QD");
    ASSERT_STR_EQ(path_str(&w2, &r2[0], b), "QA QB QD");
    ASSERT_STR_EQ(path_str(&w2, &r2[1], b), "QA QC QD");
    /* and the other way round */
    ASSERT_EQ(ent__routes(&w1, id_of(&w1, "QD"), id_of(&w1, "QA"), NULL, r1, 4), 2);
    ASSERT_STR_EQ(path_str(&w1, &r1[0], b), "QD QB QA");
    /* the same call twice gives the same answer */
    ent_path r3[4];
    ASSERT_EQ(ent__routes(&w1, id_of(&w1, "QD"), id_of(&w1, "QA"), NULL, r3, 4), 2);
    ASSERT(memcmp(r1, r3, 2 * sizeof r1[0]) == 0);
}

/* ------------------------------------------------------------------ */
/* Yen's algorithm against brute force: every simple path of the CSTO world,
** sorted by the same order. */

typedef struct bf_path {
    int c;
    long long m;
    int n;
    ent_state_id p[ENT_ROUTE_MAX_HOPS + 1];
} bf_path;

static bf_path *bf_all;
static int bf_n, bf_cap;
static const ent_world *bf_w;

static int bf_usable(const ent_world *w, int a, int b)
{
    int l = ent__world_adjacent(w, (ent_state_id)a, (ent_state_id)b);
    return l >= 0 && !w->links[l].closed;
}

static void bf_dfs(const uint8_t *m, int to, bf_path *cur)
{
    int u = cur->p[cur->n - 1];
    if (u == to) {
        if (bf_n == bf_cap) {
            bf_cap = bf_cap ? 2 * bf_cap : 1024;
            bf_all = realloc(bf_all, (size_t)bf_cap * sizeof *bf_all);
            if (!bf_all) abort();
        }
        bf_all[bf_n++] = *cur;
        return;
    }
    if (cur->n == ENT_ROUTE_MAX_HOPS + 1) return;
    for (int v = 0; v < bf_w->nstates; v++) {
        int dup = 0;
        for (int i = 0; i < cur->n; i++) dup |= cur->p[i] == v;
        if (dup || !bf_usable(bf_w, u, v)) continue;
        long long hm = llround(ent__world_km(bf_w, (ent_state_id)u, (ent_state_id)v) * 1000.0);
        cur->p[cur->n++] = (ent_state_id)v;
        cur->m += hm < 1 ? 1 : hm;
        cur->c += !m[v];
        bf_dfs(m, to, cur);
        cur->c -= !m[v];
        cur->m -= hm < 1 ? 1 : hm;
        cur->n--;
    }
}

static int bf_cmp(const void *x, const void *y)
{
    const bf_path *a = x, *b = y;
    if (a->c != b->c) return a->c < b->c ? -1 : 1;
    if (a->m != b->m) return a->m < b->m ? -1 : 1;
    for (int i = 0; i < a->n && i < b->n; i++) {
        int c = strcmp(bf_w->states[a->p[i]].code, bf_w->states[b->p[i]].code);
        if (c) return c;
    }
    return a->n - b->n;
}

static void check_against_brute_force(const ent_world *w, const uint8_t *m, const char *from,
                                      const char *to)
{
    ent_path r[64];
    bf_path start;
    memset(&start, 0, sizeof start);
    bf_w = w;
    bf_n = 0;
    start.n = 1;
    start.p[0] = id_of(w, from);
    bf_dfs(m, id_of(w, to), &start);
    qsort(bf_all, (size_t)bf_n, sizeof *bf_all, bf_cmp);
    int n = ent__routes(w, id_of(w, from), id_of(w, to), m, r, 64);
    ASSERT_EQ(n, bf_n < 64 ? bf_n : 64);
    for (int i = 0; i < n; i++) {
        ASSERT_EQ(r[i].n, bf_all[i].n);
        ASSERT(memcmp(r[i].path, bf_all[i].p, (size_t)r[i].n * sizeof r[i].path[0]) == 0);
        ASSERT_EQ(r[i].nconsent, bf_all[i].c);
        ASSERT_NEAR(r[i].km, bf_all[i].m / 1000.0, 1e-9);
    }
}

TEST(route_yen_matches_brute_force)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_test_world_csto(&w);
    csto_members(&w, m);
    check_against_brute_force(&w, m, "RU", "AM");
    check_against_brute_force(&w, m, "TJ", "KZ");
    check_against_brute_force(&w, m, "BY", "CN");
    check_against_brute_force(&w, m, "TR", "AM");
    memset(m, 0, sizeof m);
    check_against_brute_force(&w, m, "KG", "AZ");
    free(bf_all);
    bf_all = NULL;
    bf_cap = 0;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */

TEST(route_render_text)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_path r[3];
    ent_buf b = { 0 };
    ent_test_world_csto(&w);
    csto_members(&w, m);
    ent_state_id ru = id_of(&w, "RU"), am = id_of(&w, "AM");
    int n = ent__routes(&w, ru, am, m, r, 3);
    ASSERT_EQ(n, 3);
    ent__routes_render(&w, ru, am, "2026-11-28", r, n, 0, &b);
    ASSERT(!b.oom);
    ASSERT_STR_EQ(b.p,
        "routes from Russia (RU, Moscow) to Armenia (AM, Yerevan) on 2026-11-28\n"
        "  1. RU > GE > AM                 1,819 km             consent: GE (Georgia)\n"
        "  2. RU > AZ > AM                 2,383 km             consent: AZ (Azerbaijan)\n"
        "  3. RU ~ IR > AM                 3,247 km (Caspian)   consent: IR (Iran)\n");

    ent__buf_reset(&b);
    ent_state_id tj = id_of(&w, "TJ"), kz = id_of(&w, "KZ");
    n = ent__routes(&w, tj, kz, m, r, 1);
    ent__routes_render(&w, tj, kz, NULL, r, n, 0, &b);
    ASSERT_STR_EQ(b.p,
        "routes from Tajikistan (TJ, Dushanbe) to Kazakhstan (KZ, Astana)\n"
        "  1. TJ > KG > KZ                 1,634 km   consent: none\n");

    ent__buf_reset(&b);
    ent__routes_render(&w, ru, ru, NULL, r, ent__routes(&w, ru, ru, m, r, 3), 0, &b);
    ASSERT_STR_EQ(b.p,
        "routes from Russia (RU, Moscow) to Russia (RU, Moscow)\n"
        "  1. RU                           0 km   consent: none\n");
    ent__buf_free(&b);
}

TEST(route_render_text_many)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_path r[12];
    ent_buf b = { 0 };
    ent_test_world_csto(&w);
    csto_members(&w, m);
    ent_state_id by = id_of(&w, "BY"), cn = id_of(&w, "CN");
    int n = ent__routes(&w, by, cn, m, r, 12);
    ASSERT_EQ(n, 12);
    ent__routes_render(&w, by, cn, "2026-01-01", r, n, 0, &b);
    ASSERT_CONTAINS(b.p, "\n   1. BY > RU > CN ");
    ASSERT_CONTAINS(b.p, "\n  12. BY > ");
    /* every line has its consent column at the same place */
    const char *line = strchr(b.p, '\n') + 1;
    long col = -1;
    while (*line) {
        const char *c = strstr(line, "consent: ");
        ASSERT(c && c < strchr(line, '\n'));
        if (col < 0) col = c - line;
        ASSERT_EQ(c - line, col);
        line = strchr(line, '\n') + 1;
    }
    ent__buf_free(&b);
}

TEST(route_render_no_route)
{
    ent_world w;
    ent_buf b = { 0 };
    ent_test_world_csto(&w);
    add(&w, "world state IS capital=Reykjavik lat=64.1466 lon=-21.9426 \"Iceland\"");
    ent__routes_render(&w, id_of(&w, "RU"), id_of(&w, "IS"), "2026-11-28", NULL, 0, 0, &b);
    ASSERT_STR_EQ(b.p,
        "no route from Russia (RU) to Iceland (IS) over land borders and sea links\n");
    ent__buf_reset(&b);
    ent__routes_render(&w, id_of(&w, "RU"), id_of(&w, "IS"), "2026-11-28", NULL, 0, 1, &b);
    ASSERT_STR_EQ(b.p, "{\"from\":\"RU\",\"to\":\"IS\",\"date\":\"2026-11-28\",\"routes\":[]}\n");
    ent__buf_free(&b);
}

TEST(route_render_json)
{
    ent_world w;
    uint8_t m[ENT_MAX_STATES];
    ent_path r[3];
    ent_buf b = { 0 };
    ent_test_world_csto(&w);
    csto_members(&w, m);
    ent_state_id ru = id_of(&w, "RU"), am = id_of(&w, "AM");
    int n = ent__routes(&w, ru, am, m, r, 3);
    ent__routes_render(&w, ru, am, "2026-11-28", r, n, 1, &b);
    ASSERT_STR_EQ(b.p,
        "{\"from\":\"RU\",\"to\":\"AM\",\"date\":\"2026-11-28\",\"routes\":["
        "{\"path\":[\"RU\",\"GE\",\"AM\"],\"consent_needed\":[\"GE\"],\"km\":1819.2,\"sea\":false},"
        "{\"path\":[\"RU\",\"AZ\",\"AM\"],\"consent_needed\":[\"AZ\"],\"km\":2383.3,\"sea\":false},"
        "{\"path\":[\"RU\",\"IR\",\"AM\"],\"consent_needed\":[\"IR\"],\"km\":3247.1,\"sea\":true}"
        "]}\n");
    ent__buf_reset(&b);
    ent__routes_render(&w, ru, ru, NULL, r, ent__routes(&w, ru, ru, m, r, 3), 1, &b);
    ASSERT_STR_EQ(b.p, "{\"from\":\"RU\",\"to\":\"RU\",\"routes\":[{\"path\":[\"RU\"],"
                       "\"consent_needed\":[],\"km\":0.0,\"sea\":false}]}\n");
    ent__buf_free(&b);
}
