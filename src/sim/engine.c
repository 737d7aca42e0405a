/*
** engine.c: one simulated crisis, and many (sim.h).
**
** Random numbers: Widynski's "Squares" counter-based generator (2020), keyed
** by the seed; the counter is (run << 13) + draw, and every draw of a run has
** a fixed slot (below), so a run's numbers do not depend on which thread or
** process plays it, nor on the draws of other runs.
*/
#include "sim.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { /* draw slots of a run */
    D_SESSION = 0,
    D_MISSION = 1,
    D_LEAVE0 = 2,       /* unused: the slot of the former overstay draw */
    D_UNLATE = 3,
    D_ASK = 4,          /* the host asks (simulate --request model) */
    D_UNASKED = 5,      /* the supreme body proposes without a request */
    D_TEAM = 6,         /* the supreme body sends a mission instead */
    D_VOTE = 64,        /* + state */
    D_CONTRIB = 128,    /* + state */
    D_SIZE = 192,       /* + state */
    D_MOBILIZE = 256,   /* + state */
    D_LEAVE = 320,      /* + state */
    D_CONSENT = 512,    /* + state * 64 + state crossed */
    D_SLOTS = 8192
};

static uint64_t splitmix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static inline uint64_t squares64(uint64_t ctr, uint64_t key)
{
    uint64_t t, x, y, z;
    y = x = ctr * key;
    z = y + key;
    x = x * x + y, x = (x >> 32) | (x << 32);
    x = x * x + z, x = (x >> 32) | (x << 32);
    x = x * x + y, x = (x >> 32) | (x << 32);
    t = x = x * x + z, x = (x >> 32) | (x << 32);
    return t ^ ((x * x + y) >> 32);
}

typedef struct rng {
    uint64_t key, base;
} rng;

static inline uint64_t draw(const rng *g, unsigned slot) { return squares64(g->base + slot, g->key); }

/* A uniform in (0, 1]. */
static inline double unit(uint64_t x) { return ((double)(x >> 11) + 1.0) * (1.0 / 9007199254740992.0); }

/* Whole days of a geometric wait with success probability p a day (mean
** (1-p)/p), in closed form: lp = log1p(-p), made once with the model. */
static inline int geom_closed(uint64_t x, double p, double lp)
{
    if (p >= 1.0) return 0;
    double d = floor(log(unit(x)) / lp);
    return d > 100000 ? 100000 : d >= 0 ? (int)d : 0;
}

/* The same days by the wait's table (sim.h): the guide gives the fewest days
** of the draw's 1/256 of the range, a short scan the rest; a draw in the
** tail (SIM_WAIT_DAYS - 1 days or more, rare) takes the closed form. */
static inline int geom(uint64_t x, const sim_wait *w)
{
    uint64_t k = (x >> 11) + 1;
    if (__builtin_expect(k <= w->at[SIM_WAIT_DAYS - 1], 0)) return geom_closed(x, w->p, w->lp);
    int d = w->guide[(k - 1) >> 45];
    while (k <= w->at[d + 1]) d++;
    return d;
}

int sim_wait_days(const sim_wait *w, uint64_t x) { return geom(x, w); }
int sim_wait_days_closed(const sim_wait *w, uint64_t x) { return geom_closed(x, w->p, w->lp); }

/* The closed form's days for k in [1, 2^53]. */
static int days_of_k(const sim_wait *w, uint64_t k) { return geom_closed((k - 1) << 11, w->p, w->lp); }

/* The table of a wait: at[d], the largest k whose days are d or more (0:
** none), by bisection over the closed form (its days do not grow with k). */
void sim_wait_make(sim_wait *w, double p)
{
    const uint64_t top = 1ull << 53;
    w->p = p;
    w->lp = log1p(-p);
    w->at[0] = top;
    for (int d = 1; d < SIM_WAIT_DAYS; d++) {
        if (days_of_k(w, 1) < d) {
            w->at[d] = 0;
            continue;
        }
        uint64_t lo = 1, hi = w->at[d - 1]; /* days(lo) >= d; the answer is in [lo, hi] */
        while (lo < hi) {
            uint64_t mid = lo + (hi - lo + 1) / 2;
            if (days_of_k(w, mid) >= d) lo = mid;
            else hi = mid - 1;
        }
        w->at[d] = lo;
    }
    for (uint64_t j = 0; j < 256; j++) {
        int d = days_of_k(w, (j + 1) << 45); /* the largest k of the slice has its fewest days */
        w->guide[j] = (uint8_t)(d > SIM_WAIT_DAYS - 2 ? SIM_WAIT_DAYS - 2 : d);
    }
}

static int travel_days(double km, double speed)
{
    if (km < 0) return -1;
    return km <= 0 ? 0 : (int)ceil(km / speed);
}

/* ------------------------------------------------------------------ */
/* The model.                                                            */

static double align(const sim_params *ps, const ent_frame *f, int a, int b, double dflt)
{
    if (a < 0 || b < 0) return 0;
    char n[48];
    int found;
    snprintf(n, sizeof n, "align.%s.%s", f->states[a].code, f->states[b].code);
    double v = sim_param(ps, n, dflt, &found);
    if (found) return v;
    snprintf(n, sizeof n, "align.%s.%s", f->states[b].code, f->states[a].code);
    return sim_param(ps, n, dflt, NULL);
}

static uint64_t cut_of(double p)
{
    if (p <= 0) return 0;
    if (p >= 1) return UINT64_MAX;
    return (uint64_t)(p * 18446744073709551616.0);
}

static double wait_p(double mean) { return mean <= 0 ? 1.0 : 1.0 / (1.0 + mean); }

int sim_model_make(sim_model *m, const ent_frame *f, const sim_params *ps, const char *model, double severity,
                   char *err, size_t errsz)
{
    static const char *const kinds[] = { "unrest", "aggression", "border-clash", "terrorism" };
    memset(m, 0, sizeof *m);
    m->f = f;
    m->severity = severity;
    if (strcmp(model, "baseline") == 0) m->model = 0;
    else if (strcmp(model, "interest") == 0) m->model = 1;
    else {
        snprintf(err, errsz, "unknown model '%s' (baseline, interest)", model);
        return -1;
    }
    /* unlisted pairs: align.default between two members (frozen included),
    ** align.nonmember when one of them is not a member (the adversary) */
    double dflt = sim_param(ps, "align.default", 0.3, NULL), dnon = sim_param(ps, "align.nonmember", dflt, NULL);
    double support = 0;
    int others = 0;
    for (int i = 0; i < f->nstates; i++) {
        if (!(f->voters >> i & 1)) continue;
        double p[4];
        if (m->model == 0) {
            p[0] = sim_param(ps, "baseline.yes", 0.8, NULL);
            p[1] = sim_param(ps, "baseline.no", 0.05, NULL);
            p[2] = sim_param(ps, "baseline.abstain", 0.1, NULL);
            p[3] = sim_param(ps, "baseline.out", 0.05, NULL);
        } else {
            char kn[48];
            snprintf(kn, sizeof kn, "kind.yes.%s", kinds[f->kind]);
            double ah = i == f->host ? 1.0 : align(ps, f, i, f->host, dflt);
            int adv_member = f->adversary >= 0 && (f->states[f->adversary].standing == 1 || f->states[f->adversary].standing == 2);
            double aa = f->adversary >= 0 ? align(ps, f, i, f->adversary, adv_member ? dflt : dnon) : 0.0;
            double wal = sim_param(ps, "interest.w-align", 2, NULL), wad = sim_param(ps, "interest.w-adversary", 2, NULL);
            double disp = i != f->host && (f->states[i].disputes >> f->host & 1) ? 1.0 : 0.0;
            double u[4];
            u[0] = sim_param(ps, "interest.yes.base", 0.5, NULL) + wal * ah - wad * aa +
                   sim_param(ps, "interest.w-severity", 1, NULL) * severity + sim_param(ps, kn, 0, NULL);
            u[1] = sim_param(ps, "interest.no.base", -3, NULL) - wal * ah + wad * aa +
                   sim_param(ps, "interest.w-dispute", 4, NULL) * disp;
            u[2] = sim_param(ps, "interest.abstain.base", -1, NULL);
            u[3] = sim_param(ps, "interest.out.base", -1.5, NULL);
            double mx = u[0];
            for (int k = 1; k < 4; k++) mx = u[k] > mx ? u[k] : mx;
            for (int k = 0; k < 4; k++) p[k] = exp(u[k] - mx);
        }
        double tot = p[0] + p[1] + p[2] + p[3];
        if (!(tot > 0)) {
            snprintf(err, errsz, "the vote probabilities of %s are not positive", f->states[i].code);
            return -1;
        }
        if (i != f->host) support += p[0] / tot, others++;
        sim_voter *v = &m->voters[m->nvoters++];
        v->state = i;
        v->cut[0] = cut_of(p[0] / tot);
        v->cut[1] = cut_of((p[0] + p[1]) / tot);
        v->cut[2] = cut_of((p[0] + p[1] + p[2]) / tot);
    }
    double cp = sim_param(ps, "contrib.p", 0.9, NULL);
    if (cp < 0 || cp > 1) {
        snprintf(err, errsz, "contrib.p is %g: a probability is from 0 to 1", cp);
        return -1;
    }
    m->contrib_cut = cut_of(cp);
    double air = sim_param(ps, "speed.air", 2000, NULL), ground = sim_param(ps, "speed.ground", 400, NULL);
    if (!(air > 0) || !(ground > 0)) {
        snprintf(err, errsz, "speed.air and speed.ground must be above 0");
        return -1;
    }
    double cdef = sim_param(ps, "capacity.default", 100, NULL), kdef = sim_param(ps, "consent.default", 0.7, NULL);
    for (int i = 0; i < f->nstates; i++) {
        char n[48];
        snprintf(n, sizeof n, "capacity.%s", f->states[i].code);
        double c = sim_param(ps, n, cdef, NULL);
        m->capacity[i] = c < 0 ? 0 : c > 1e6 ? 1000000 : (int)c;
        m->air_days[i] = travel_days(f->states[i].km, air);
        m->ground_days[i] = travel_days(f->states[i].km_free, ground);
        snprintf(n, sizeof n, "consent.%s", f->states[i].code);
        double k = i == f->adversary ? 0.0 : sim_param(ps, n, kdef, NULL);
        m->consent_cut[i] = cut_of(k);
    }
    m->p_session = wait_p(sim_param(ps, "time.session", 1, NULL));
    m->p_mobilize = wait_p(sim_param(ps, "time.mobilize", 0.5, NULL));
    m->p_mission = wait_p(sim_param(ps, "time.mission", 7, NULL) - 1.0); /* at least a day */
    m->p_leave = wait_p(sim_param(ps, "time.leave", 4, NULL));
    m->withdrawal_days = f->withdrawal_days;
    sim_wait_make(&m->w_session, m->p_session);
    sim_wait_make(&m->w_mobilize, m->p_mobilize);
    sim_wait_make(&m->w_mission, m->p_mission);
    sim_wait_make(&m->w_leave, m->p_leave);
    m->unlate_cut = cut_of(sim_param(ps, "breach.un-late", 0.02, NULL));
    /* the request: does the host ask for assistance (when the crisis does
    ** not say), and does the supreme body propose without it */
    if (m->model == 0) m->p_ask = sim_param(ps, "baseline.request", 0.8, NULL);
    else {
        char kn[48];
        snprintf(kn, sizeof kn, "kind.request.%s", kinds[f->kind]);
        double u = sim_param(ps, "request.base", -1, NULL) + sim_param(ps, "request.w-severity", 3, NULL) * severity +
                   sim_param(ps, kn, 0, NULL);
        m->p_ask = 1.0 / (1.0 + exp(-u));
    }
    double pu = sim_param(ps, "propose.unasked", 0.5, NULL);
    if (!(m->p_ask >= 0 && m->p_ask <= 1) || !(pu >= 0 && pu <= 1)) {
        snprintf(err, errsz, "baseline.request and propose.unasked are probabilities, from 0 to 1");
        return -1;
    }
    m->ask_cut = UINT64_MAX;
    m->unasked_cut = cut_of(pu);
    /* a mission instead of a deployment: the body weighs the support it can
    ** expect (the baseline: a fixed probability) */
    m->support = others ? support / others : 0;
    if (m->model == 0) m->p_team = sim_param(ps, "baseline.mission", 0.1, NULL);
    else
        m->p_team = 1.0 / (1.0 + exp(sim_param(ps, "mission.w-support", 8, NULL) *
                                     (m->support - sim_param(ps, "mission.support-mid", 0.5, NULL))));
    if (!(m->p_team >= 0 && m->p_team <= 1)) {
        snprintf(err, errsz, "baseline.mission is a probability, from 0 to 1");
        return -1;
    }
    m->team_cut = cut_of(m->p_team);
    return 0;
}

void sim_model_asking(sim_model *m, int drawn) { m->ask_cut = drawn ? cut_of(m->p_ask) : UINT64_MAX; }

/* ------------------------------------------------------------------ */
/* One run.                                                              */

void sim_run_one(const sim_model *m, uint64_t seed, uint64_t run, sim_run *r)
{
    const ent_frame *f = m->f;
    rng g = { splitmix(seed) | 1, run * D_SLOTS };
    r->outcome = 0;
    r->decision_day = r->arrival_day = r->mission_days = r->complete_day = -1;
    r->troops = 0;
    r->breaches = 0;
    r->asked = r->unasked = 0;
    /* the request: the crisis's, or drawn; without one (or one the charter
    ** does not accept) the supreme body may propose anyway where the charter
    ** allows it (deploy.request=optional) */
    r->asked = f->request == 0 && (m->ask_cut == UINT64_MAX || draw(&g, D_ASK) < m->ask_cut);
    if (!(r->asked && f->deploy_ok)) {
        if (!f->unasked_ok || draw(&g, D_UNASKED) >= m->unasked_cut) return;
        r->unasked = 1;
    }
    r->decision_day = geom(draw(&g, D_SESSION), &m->w_session);
    /* on the host's request the body may send a mission instead (no vote,
    ** no force): the run ends there */
    if (r->asked && f->mission_ok && !r->unasked && draw(&g, D_TEAM) < m->team_cut) {
        r->outcome = SIM_MISSION;
        return;
    }
    /* the members vote in the order of their codes in the world; under
    ** consensus one objection blocks at once, and the engine takes no vote
    ** after it: those members do not vote (0) */
    uint64_t yes = 0, no = 0, abst = 0;
    int blocked = 0;
    for (int k = 0; k < m->nvoters; k++) {
        const sim_voter *v = &m->voters[k];
        if (blocked) {
            r->vote[v->state] = 0;
            continue;
        }
        uint64_t x = draw(&g, D_VOTE + (unsigned)v->state), bit = 1ull << v->state;
        int vote = x < v->cut[0] ? SIM_YES : x < v->cut[1] ? SIM_NO : x < v->cut[2] ? SIM_ABSTAIN : SIM_OUT;
        r->vote[v->state] = (uint8_t)vote;
        yes |= vote == SIM_YES ? bit : 0;
        no |= vote == SIM_NO ? bit : 0;
        abst |= vote == SIM_ABSTAIN ? bit : 0;
        blocked = vote == SIM_NO && f->rule == 0;
    }
    r->outcome = ent_frame_decide(f, yes, no, abst);
    if (r->outcome != 1 && r->outcome != 2) return;
    /* contingents: from members that voted for it and whose contingent the
    ** charter accepts, never beyond the force's strength */
    int left = f->strength;
    uint64_t senders = yes & f->contributors & ~(1ull << f->host);
    for (uint64_t s = senders; s; s &= s - 1) {
        int i = __builtin_ctzll(s);
        r->sent[i] = 0;
        r->men[i] = 0;
        r->arrive[i] = -1;
        r->leave[i] = -1;
        if (draw(&g, D_CONTRIB + (unsigned)i) >= m->contrib_cut) continue;
        double size = m->capacity[i] * (0.5 + m->severity) * (0.75 + 0.5 * unit(draw(&g, D_SIZE + (unsigned)i)));
        int men = (int)(size + 0.5);
        if (men > left) men = left;
        if (men <= 0) continue;
        /* the best route by air if every state crossed consents, else by
        ** ground on a route that needs no consent */
        int days = (int)m->air_days[i];
        for (uint64_t c = f->states[i].consent_set; days >= 0 && c; c &= c - 1) {
            int j = __builtin_ctzll(c);
            if (draw(&g, D_CONSENT + (unsigned)(i * 64 + j)) >= m->consent_cut[j]) days = -1;
        }
        if (days < 0) days = (int)m->ground_days[i];
        if (days < 0) continue; /* no way there */
        left -= men;
        r->sent[i] = 1;
        r->men[i] = men;
        r->arrive[i] = r->decision_day + geom(draw(&g, D_MOBILIZE + (unsigned)i), &m->w_mobilize) + days;
        r->troops += men;
        if (r->arrival_day < 0 || r->arrive[i] < r->arrival_day) r->arrival_day = r->arrive[i];
    }
    if (r->arrival_day >= 0) {
        /* complete after the mission's days, and not before the last
        ** contingent is there; each leaves after a wait of its own, a
        ** breach past the charter's withdrawal period (rule mandate) */
        int done = r->arrival_day + 1 + geom(draw(&g, D_MISSION), &m->w_mission), late = 0;
        for (uint64_t s = senders; s; s &= s - 1) {
            int i = __builtin_ctzll(s);
            if (r->sent[i] && r->arrive[i] > done) done = r->arrive[i];
        }
        for (uint64_t s = senders; s; s &= s - 1) {
            int i = __builtin_ctzll(s);
            if (!r->sent[i]) continue;
            int wait = geom(draw(&g, D_LEAVE + (unsigned)i), &m->w_leave);
            r->leave[i] = done + wait;
            late |= wait > m->withdrawal_days;
        }
        r->complete_day = done;
        r->mission_days = done - r->arrival_day;
        r->breaches += late;
    }
    r->breaches += draw(&g, D_UNLATE) < m->unlate_cut;
}

/* ------------------------------------------------------------------ */
/* Aggregates: integers only, so any order of adding gives the same.    */

static void hist_add(sim_hist *h, int v)
{
    if (v < 0) return;
    h->n++;
    h->sum += (uint64_t)v;
    h->sum2 += (uint64_t)v * (uint64_t)v;
    h->bin[v < SIM_DAYS_MAX ? v : SIM_DAYS_MAX - 1]++;
}

void sim_agg_add(sim_agg *a, const sim_model *m, const sim_run *r)
{
    a->runs++;
    a->outcome[r->outcome]++;
    a->breached += r->breaches > 0;
    a->asked += (uint64_t)r->asked;
    a->unasked += (uint64_t)r->unasked;
    if (r->outcome && r->outcome != SIM_MISSION) {
        for (int k = 0; k < m->nvoters; k++) a->votes[m->voters[k].state][r->vote[m->voters[k].state]]++;
        hist_add(&a->decision, r->decision_day);
    }
    if (r->arrival_day >= 0) {
        hist_add(&a->arrival, r->arrival_day);
        hist_add(&a->mission, r->mission_days);
        a->troops_n++;
        a->troops_sum += (uint64_t)r->troops;
        a->troops_sum2 += (uint64_t)r->troops * (uint64_t)r->troops;
        int b = r->troops / SIM_TROOPS_BIN;
        a->troops_bin[b < SIM_TROOPS_BINS ? b : SIM_TROOPS_BINS - 1]++;
    }
}

static void hist_merge(sim_hist *a, const sim_hist *b)
{
    a->n += b->n, a->sum += b->sum, a->sum2 += b->sum2;
    for (int i = 0; i < SIM_DAYS_MAX; i++) a->bin[i] += b->bin[i];
}

void sim_agg_merge(sim_agg *a, const sim_agg *b)
{
    a->runs += b->runs;
    for (int i = 0; i < SIM_OUTCOMES; i++) a->outcome[i] += b->outcome[i];
    a->breached += b->breached;
    a->asked += b->asked, a->unasked += b->unasked;
    for (int i = 0; i < ENT_FRAME_MAX; i++)
        for (int k = 0; k < 5; k++) a->votes[i][k] += b->votes[i][k];
    hist_merge(&a->decision, &b->decision);
    hist_merge(&a->arrival, &b->arrival);
    hist_merge(&a->mission, &b->mission);
    a->troops_n += b->troops_n, a->troops_sum += b->troops_sum, a->troops_sum2 += b->troops_sum2;
    for (int i = 0; i < SIM_TROOPS_BINS; i++) a->troops_bin[i] += b->troops_bin[i];
}

/* ------------------------------------------------------------------ */
/* Many runs on threads.                                                 */

#define BLOCK 16384 /* runs of a wave's share when rows are kept */
#define CHUNK 4096  /* runs a thread takes at a time otherwise */
#define LINE 128    /* apart by this, two threads' data share no cache line (nor an adjacent-line prefetch pair) */

typedef struct worker {
    const sim_model *m;
    uint64_t seed, from, to;     /* the runs of this worker's share of a wave (rows kept) */
    _Atomic uint64_t *next;      /* else: the next chunk's first run, taken by any thread */
    sim_take_fn take;            /* or: the chunks from take() (a counter of all the processes) */
    void *take_ud;
    sim_agg *agg;
    sim_run *rows;               /* NULL: no rows kept */
    sim_thread_stat *st;
} worker;

static double now_s(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *work(void *ud)
{
    worker *w = ud;
    sim_run tmp;
    double t0 = w->st ? now_s(CLOCK_MONOTONIC) : 0, c0 = w->st ? now_s(CLOCK_THREAD_CPUTIME_ID) : 0;
    uint64_t n = 0;
    for (;;) {
        uint64_t a = w->from, b = w->to;
        if (w->next || w->take) { /* chunks, first come first served: a thread slowed down takes fewer */
            a = w->take ? w->take(w->take_ud, CHUNK) : atomic_fetch_add_explicit(w->next, CHUNK, memory_order_relaxed);
            if (a >= w->to) break;
            b = w->to - a < CHUNK ? w->to : a + CHUNK;
        }
        for (uint64_t i = a; i < b; i++) {
            sim_run *r = w->rows ? &w->rows[i - w->from] : &tmp;
            sim_run_one(w->m, w->seed, i, r);
            sim_agg_add(w->agg, w->m, r);
        }
        n += b - a;
        if (!w->next && !w->take) break;
    }
    if (w->st) {
        w->st->runs += n;
        w->st->wall += now_s(CLOCK_MONOTONIC) - t0;
        w->st->cpu += now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    }
    return NULL;
}

static int runs(const sim_model *m, uint64_t seed, uint64_t from, uint64_t to, int nthreads, sim_agg *out,
                sim_row_fn row, void *ud, sim_take_fn take, void *take_ud, sim_thread_stat *st);

int sim_runs(const sim_model *m, uint64_t seed, uint64_t from, uint64_t to, int nthreads, sim_agg *out,
             sim_row_fn row, void *ud)
{
    return sim_runs_stat(m, seed, from, to, nthreads, out, row, ud, NULL);
}

int sim_runs_take(const sim_model *m, uint64_t seed, uint64_t to, int nthreads, sim_agg *out, sim_take_fn take,
                  void *take_ud, sim_thread_stat *st)
{
    return runs(m, seed, 0, to, nthreads, out, NULL, NULL, take, take_ud, st);
}

int sim_runs_stat(const sim_model *m, uint64_t seed, uint64_t from, uint64_t to, int nthreads, sim_agg *out,
                  sim_row_fn row, void *ud, sim_thread_stat *st)
{
    return runs(m, seed, from, to, nthreads, out, row, ud, NULL, NULL, st);
}

/* take: chunks from take() rather than from the counter here (no rows) */
static int runs(const sim_model *m, uint64_t seed, uint64_t from, uint64_t to, int nthreads, sim_agg *out,
                sim_row_fn row, void *ud, sim_take_fn take, void *take_ud, sim_thread_stat *st)
{
    if (nthreads < 1) nthreads = 1;
    if (nthreads > 64) nthreads = 64;
    worker w[64];
    pthread_t th[64];
    /* each thread's aggregate on lines of its own, and the shared counter too */
    size_t stride = (sizeof(sim_agg) + LINE - 1) / LINE * LINE;
    unsigned char *mem = aligned_alloc(LINE, stride * (size_t)nthreads + LINE);
    sim_run *rows = row ? malloc((size_t)nthreads * BLOCK * sizeof *rows) : NULL;
    if (!mem || (row && !rows)) {
        free(mem);
        free(rows);
        return -1;
    }
    memset(mem, 0, stride * (size_t)nthreads);
    _Atomic uint64_t *next = (_Atomic uint64_t *)(mem + stride * (size_t)nthreads);
    atomic_init(next, from);
    if (st) memset(st, 0, (size_t)nthreads * sizeof *st);
    /* rows: waves of nthreads blocks, a block a thread, written in run
    ** order after each wave; without rows, chunks taken from one counter */
    uint64_t wave = row ? (uint64_t)nthreads * BLOCK : to - from;
    for (uint64_t w0 = from; w0 < to; w0 += wave) {
        uint64_t w1 = to - w0 < wave ? to : w0 + wave, share = (w1 - w0 + (uint64_t)nthreads - 1) / (uint64_t)nthreads;
        int started = 0, joined[64];
        for (int t = 0; t < nthreads; t++) {
            uint64_t a = w0 + share * (uint64_t)t, b = a + share < w1 ? a + share : w1;
            if (row && a >= b) break;
            w[t] = (worker){ m,
                             seed,
                             row ? a : from,
                             row ? b : to,
                             row || take ? NULL : next,
                             row ? NULL : take,
                             take_ud,
                             (sim_agg *)(mem + stride * (size_t)t),
                             rows ? rows + (size_t)t * BLOCK : NULL,
                             st ? &st[t] : NULL };
            started = t + 1;
        }
        /* the last share runs on the calling thread; a thread that cannot start too */
        for (int t = 0; t < started; t++)
            joined[t] = t < started - 1 && pthread_create(&th[t], NULL, work, &w[t]) == 0;
        for (int t = 0; t < started; t++)
            if (!joined[t]) work(&w[t]);
        for (int t = 0; t < started; t++)
            if (joined[t]) pthread_join(th[t], NULL);
        if (row)
            for (int t = 0; t < started; t++)
                for (uint64_t i = w[t].from; i < w[t].to; i++) row(ud, i, &w[t].rows[i - w[t].from]);
    }
    for (int t = 0; t < nthreads; t++) sim_agg_merge(out, (const sim_agg *)(mem + stride * (size_t)t));
    free(mem);
    free(rows);
    return 0;
}
