/* test_sim.c: the simulator (src/sim/). A run is what the engine decides:
** each sampled run, written as the chronicle it stands for, is run through
** the library on a fresh journal, and the engine's outcome of the vote is the
** run's; no act of a run is refused. The ensemble's output does not depend
** on the number of threads, and a run depends only on (seed, run). */
#include "../test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/sim/sim.h"

static sim_params P;

static void load_params(void)
{
    size_t n;
    const char *t = ent_builtin("data/models.conf", &n);
    ASSERT(t != NULL);
    memset(&P, 0, sizeof P);
    ASSERT_EQ(sim_params_read(&P, "data/models.conf", t, n, stderr), 0);
    ASSERT(P.n > 30);
}

typedef struct scenario {
    const char *host, *kind, *adversary, *date, *model, *set;
    double severity;
    const char *request;         /* ent_crisis.request */
    int drawn;                   /* the host asks with the model's probability */
} scenario;

static const scenario cases[] = {
    { "KZ", "unrest", NULL, "2022-01-05", "interest", NULL, 0.8 },
    { "AM", "border-clash", "AZ", "2022-09-13", "interest", NULL, 0.6 },
    { "KG", "unrest", NULL, "2013-06-12", "baseline", NULL, 0.5 },
    { "TJ", "aggression", "AF", "2021-08-01", "baseline", "decision.rule=two-thirds", 0.9 },
    { "KZ", "terrorism", NULL, "2022-01-05", "baseline", "decision.limited-format=forbidden", 0.3 },
    /* deploy.request=optional: no request, a request for consultations, a request drawn */
    { "KZ", "unrest", NULL, "2022-01-05", "interest", "deploy.request=optional", 0.8, "none", 0 },
    { "AM", "aggression", "AZ", "2021-05-13", "interest", "deploy.request=optional", 0.5, "consultations", 0 },
    { "KZ", "unrest", NULL, "2022-01-05", "baseline", "deploy.request=optional", 0.2, NULL, 1 },
};

static ent_db *open_with(const char *set)
{
    ent_db *db;
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_open(&db, NULL, 0, rep), ENT_OK);
    if (set) {
        char name[64];
        const char *eq = strchr(set, '=');
        memcpy(name, set, (size_t)(eq - set));
        name[eq - set] = 0;
        ASSERT_EQ(ent_set_switch(db, name, eq + 1, rep), ENT_OK);
    }
    ent_report_free(rep);
    return db;
}

/* "outcome: adopted" in `why SIM-D`, as ent_frame_decide numbers it. */
static int engine_outcome(ent_db *db)
{
    char *out = NULL;
    ent_report *rep = ent_report_new();
    int rc = ent_why(db, "SIM-D", ENT_FMT_TEXT, &out, rep);
    ent_report_free(rep);
    if (rc == ENT_ENOTFOUND) return 0;
    ASSERT_EQ(rc, ENT_OK);
    const char *o = strstr(out, "outcome: ");
    ASSERT(o != NULL);
    o += 9;
    int v = strncmp(o, "adopted-limited", 15) == 0 ? 2 : strncmp(o, "adopted", 7) == 0 ? 1
            : strncmp(o, "blocked", 7) == 0 ? 3 : strncmp(o, "lapsed", 6) == 0 ? 4 : -1;
    ent_free(out);
    return v;
}

TEST(sim_each_run_is_what_the_engine_decides)
{
    load_params();
    int seen[SIM_OUTCOMES] = { 0 };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const scenario *sc = &cases[c];
        ent_db *db = open_with(sc->set);
        static ent_frame f;
        ent_crisis cr = { sc->host, sc->adversary, sc->kind, NULL, sc->date, sc->request };
        ent_report *rep = ent_report_new();
        ASSERT_EQ(ent_crisis_frame(db, &cr, &f, rep), ENT_OK);
        ASSERT(sc->request ? f.unasked_ok && !f.deploy_ok : f.deploy_ok);
        static sim_model m;
        char err[256];
        ASSERT_EQ(sim_model_make(&m, &f, &P, sc->model, sc->severity, err, sizeof err), 0);
        sim_model_asking(&m, sc->drawn);
        for (uint64_t run = 0; run < 40; run++) {
            sim_run r;
            memset(&r, 0, sizeof r);
            sim_run_one(&m, 11, run, &r);
            seen[r.outcome]++;
            char *text = NULL;
            size_t len = 0;
            FILE *ms = open_memstream(&text, &len);
            ASSERT(ms != NULL);
            sim_run_chronicle(&m, &r, ms);
            fclose(ms);
            ent_db *fresh = open_with(sc->set);
            ent_input in = { "run.chron", text, len };
            ent_report_clear(rep);
            int rc = ent_run(fresh, &in, 1, NULL, rep);
            if (rc != ENT_OK) fprintf(stderr, "case %zu run %llu:\n%s%s", c, (unsigned long long)run, text, ent_report_text(rep));
            ASSERT_EQ(rc, ENT_OK); /* no act of a run is refused */
            ASSERT_EQ(engine_outcome(fresh), r.outcome == SIM_MISSION ? 0 : r.outcome);
            if (r.outcome == SIM_MISSION) { /* the mission is the engine's record, and no proposal */
                char *out = NULL;
                ASSERT_EQ(ent_why(fresh, "SIM-M", ENT_FMT_TEXT, &out, rep), ENT_OK);
                ASSERT_CONTAINS(out, "mission of the CSC");
                ent_free(out);
            }
            ent_close(fresh);
            free(text);
        }
        ent_report_free(rep);
        ent_close(db);
    }
    /* the sample covers adopted, limited and blocked votes, and missions */
    ASSERT(seen[1] > 0 && seen[2] > 0 && seen[3] > 0 && seen[SIM_MISSION] > 0);
}

/* Kyrgyzstan's unrest of June 2010: before the protocol of 10 Dec 2010 the
** engine refuses a request for assistance against unrest (art4-scope), so
** the frame allows no deployment and says why; an aggression it allows. */
TEST(sim_the_frame_says_why_no_deployment_is_possible)
{
    ent_db *db = open_with(NULL);
    static ent_frame f;
    ent_report *rep = ent_report_new();
    ent_crisis cr = { "KG", NULL, "unrest", NULL, "2010-06-12" };
    ASSERT_EQ(ent_crisis_frame(db, &cr, &f, rep), ENT_OK);
    ASSERT(!f.request_ok && !f.deploy_ok);
    ASSERT(strstr(f.refusal, "[art4-scope; Treaty art. 4 (before the protocol of 10 Dec 2010)]") != NULL);
    ASSERT(!f.mission_ok); /* no request: no mission either */
    ent_crisis agg = { "KG", NULL, "aggression", NULL, "2010-06-12" };
    ASSERT_EQ(ent_crisis_frame(db, &agg, &f, rep), ENT_OK);
    ASSERT(f.deploy_ok && f.mission_ok);
    ent_report_free(rep);
    ent_close(db);
}

/* Without the host's request for assistance (none, or consultations as
** Armenia in May 2021) the charter's rule request allows no deployment
** under deploy.request=required and names itself; under optional the
** proposal without request= is accepted. */
TEST(sim_the_frame_follows_deploy_request)
{
    static ent_frame f;
    ent_report *rep = ent_report_new();
    ent_db *db = open_with(NULL);
    ent_crisis none = { "KZ", NULL, "unrest", NULL, "2022-01-05", "none" };
    ASSERT_EQ(ent_crisis_frame(db, &none, &f, rep), ENT_OK);
    ASSERT(!f.deploy_ok && !f.unasked_ok && f.request_required && f.request == 2);
    ASSERT(strstr(f.refusal, "no request=") != NULL && strstr(f.refusal, "switch deploy.request") != NULL);
    ASSERT(strstr(f.refusal, "[request; Peacekeeping Agreement art. 3; Treaty art. 4]") != NULL);
    ent_crisis cons = { "AM", "AZ", "aggression", NULL, "2021-05-13", "consultations" };
    ASSERT_EQ(ent_crisis_frame(db, &cons, &f, rep), ENT_OK);
    ASSERT(f.request_ok && !f.deploy_ok && !f.unasked_ok && !f.mission_ok);
    ASSERT(strstr(f.refusal, "asks for consultations, not assistance") != NULL);
    ent_crisis bad = { "KZ", NULL, "unrest", NULL, "2022-01-05", "help" };
    ASSERT_EQ(ent_crisis_frame(db, &bad, &f, rep), ENT_EUSAGE);
    ent_close(db);
    db = open_with("deploy.request=optional");
    ASSERT_EQ(ent_crisis_frame(db, &none, &f, rep), ENT_OK);
    ASSERT(!f.deploy_ok && f.unasked_ok && !f.request_required && f.voters != 0 && f.contributors != 0);
    ASSERT(!f.mission_ok); /* a mission needs the host's request under either reading */
    ent_crisis asked = { "KZ", NULL, "unrest", NULL, "2022-01-05", NULL };
    ASSERT_EQ(ent_crisis_frame(db, &asked, &f, rep), ENT_OK);
    ASSERT(f.deploy_ok && f.unasked_ok);
    ent_report_free(rep);
    ent_close(db);
}

TEST(sim_the_ensemble_does_not_depend_on_threads)
{
    load_params();
    ent_db *db = open_with(NULL);
    static ent_frame f;
    ent_crisis cr = { "AM", "AZ", "border-clash", NULL, "2022-09-13" };
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_crisis_frame(db, &cr, &f, rep), ENT_OK);
    static sim_model m;
    char err[256];
    ASSERT_EQ(sim_model_make(&m, &f, &P, "interest", 0.6, err, sizeof err), 0);
    static sim_agg a1, a2, a3, parts;
    memset(&a1, 0, sizeof a1);
    memset(&a2, 0, sizeof a2);
    memset(&a3, 0, sizeof a3);
    memset(&parts, 0, sizeof parts);
    ASSERT_EQ(sim_runs(&m, 5, 0, 50000, 1, &a1, NULL, NULL), 0);
    ASSERT_EQ(sim_runs(&m, 5, 0, 50000, 2, &a2, NULL, NULL), 0);
    ASSERT_EQ(sim_runs(&m, 5, 0, 50000, 3, &a3, NULL, NULL), 0);
    /* as MPI will split them: ranges added in any order */
    ASSERT_EQ(sim_runs(&m, 5, 30000, 50000, 1, &parts, NULL, NULL), 0);
    ASSERT_EQ(sim_runs(&m, 5, 0, 30000, 2, &parts, NULL, NULL), 0);
    ASSERT(memcmp(&a1, &a2, sizeof a1) == 0);
    ASSERT(memcmp(&a1, &a3, sizeof a1) == 0);
    ASSERT(memcmp(&a1, &parts, sizeof a1) == 0);
    ASSERT_EQ(a1.runs, 50000);
    /* another seed gives another ensemble */
    static sim_agg b;
    memset(&b, 0, sizeof b);
    ASSERT_EQ(sim_runs(&m, 6, 0, 50000, 1, &b, NULL, NULL), 0);
    ASSERT(memcmp(&a1, &b, sizeof a1) != 0);
    ent_report_free(rep);
    ent_close(db);
}

/* A geometric wait drawn by its table gives the closed form's days for
** every draw: at each table entry and next to it, at the edges of the
** guide's slices, in the tail, and for many draws at random. */
TEST(sim_wait_table_gives_the_closed_form_days)
{
    static const double ps[] = { 0.5, 1.0 / 3, 1.0 / 7, 2.0 / 3, 0.05, 0.999, 1.0, 1e-6 };
    uint64_t z = 12345;
    for (size_t c = 0; c < sizeof ps / sizeof ps[0]; c++) {
        static sim_wait w;
        sim_wait_make(&w, ps[c]);
        for (int d = 0; d < SIM_WAIT_DAYS; d++) {
            if (d) ASSERT(w.at[d] <= w.at[d - 1]);
            for (int e = -1; e <= 1; e++) {
                uint64_t k = w.at[d] + (uint64_t)(int64_t)e;
                if (k < 1 || k > (1ull << 53)) continue;
                for (uint64_t low = 0; low < 2048; low += 2047) {
                    uint64_t x = (k - 1) << 11 | low;
                    ASSERT_EQ(sim_wait_days(&w, x), sim_wait_days_closed(&w, x));
                }
            }
        }
        for (uint64_t j = 0; j < 256; j++)
            for (int e = -1; e <= 1; e++) {
                uint64_t x = ((j << 45) + (uint64_t)(int64_t)e) << 11;
                ASSERT_EQ(sim_wait_days(&w, x), sim_wait_days_closed(&w, x));
            }
        for (int i = 0; i < 200000; i++) {
            z += 0x9E3779B97F4A7C15ull;
            uint64_t x = z;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
            x ^= x >> 31;
            if (i & 1) x >>= (unsigned)(i % 60); /* small draws: long waits, the tail */
            ASSERT_EQ(sim_wait_days(&w, x), sim_wait_days_closed(&w, x));
        }
    }
}

/* Without rows the threads take chunks of runs from one counter: every run
** is played once, whatever share each thread took. */
/* The lesser answer: the interest model sends a mission when the other
** members' support is low (Armenia 2022) and seldom when it is high
** (Kazakhstan 2022); a run that sends one has no vote and no contingent;
** none where the charter accepts no mission. */
TEST(sim_the_body_may_send_a_mission_instead)
{
    load_params();
    ent_db *db = open_with(NULL);
    static ent_frame f;
    static sim_model m;
    char err[256];
    ent_report *rep = ent_report_new();
    ent_crisis am = { "AM", "AZ", "aggression", NULL, "2022-09-13" }, kz = { "KZ", NULL, "unrest", NULL, "2022-01-05" };
    ASSERT_EQ(ent_crisis_frame(db, &am, &f, rep), ENT_OK);
    ASSERT(f.mission_ok);
    ASSERT_EQ(sim_model_make(&m, &f, &P, "interest", 0.5, err, sizeof err), 0);
    double p_am = m.p_team;
    ASSERT(m.support > 0.3 && m.support < 0.5 && p_am > 0.5);
    static sim_agg a;
    memset(&a, 0, sizeof a);
    ASSERT_EQ(sim_runs(&m, 3, 0, 20000, 1, &a, NULL, NULL), 0);
    double share = (double)a.outcome[SIM_MISSION] / 20000;
    ASSERT(share > p_am - 0.02 && share < p_am + 0.02);
    sim_run r;
    for (uint64_t run = 0; run < 200; run++) {
        memset(&r, 0, sizeof r);
        sim_run_one(&m, 3, run, &r);
        if (r.outcome == SIM_MISSION) ASSERT(r.arrival_day < 0 && r.troops == 0 && r.breaches == 0);
    }
    ASSERT_EQ(ent_crisis_frame(db, &kz, &f, rep), ENT_OK);
    ASSERT_EQ(sim_model_make(&m, &f, &P, "interest", 0.8, err, sizeof err), 0);
    ASSERT(m.support > 0.85 && m.p_team < 0.06 && m.p_team < p_am);
    ASSERT_EQ(sim_model_make(&m, &f, &P, "baseline", 0.8, err, sizeof err), 0);
    ASSERT_NEAR(m.p_team, 0.1, 1e-12);
    f.mission_ok = 0; /* where the charter accepts none, no run sends one */
    memset(&a, 0, sizeof a);
    ASSERT_EQ(sim_runs(&m, 3, 0, 5000, 1, &a, NULL, NULL), 0);
    ASSERT_EQ(a.outcome[SIM_MISSION], 0);
    ent_report_free(rep);
    ent_close(db);
}

/* The Kazakhstan 2022 model (interest, severity 0.8) into *m, and runs
** [7, 100007) of seed 9 on one thread into *a1: what the chunked runs below
** must equal. */
static void kz2022_one_thread(sim_model *m, sim_agg *a1)
{
    load_params();
    ent_db *db = open_with(NULL);
    static ent_frame f;
    ent_crisis cr = { "KZ", NULL, "unrest", NULL, "2022-01-05" };
    ent_report *rep = ent_report_new();
    ASSERT_EQ(ent_crisis_frame(db, &cr, &f, rep), ENT_OK);
    char err[256];
    ASSERT_EQ(sim_model_make(m, &f, &P, "interest", 0.8, err, sizeof err), 0);
    memset(a1, 0, sizeof *a1);
    ASSERT_EQ(sim_runs(m, 9, 7, 100007, 1, a1, NULL, NULL), 0);
    ent_report_free(rep);
    ent_close(db);
}

TEST(sim_threads_share_the_runs_in_chunks)
{
    static sim_model m;
    static sim_agg a1, a4;
    kz2022_one_thread(&m, &a1);
    memset(&a4, 0, sizeof a4);
    sim_thread_stat st[4];
    ASSERT_EQ(sim_runs_stat(&m, 9, 7, 100007, 4, &a4, NULL, NULL, st), 0);
    ASSERT(memcmp(&a1, &a4, sizeof a1) == 0);
    ASSERT_EQ(st[0].runs + st[1].runs + st[2].runs + st[3].runs, 100000);
    for (int t = 0; t < 4; t++) ASSERT(st[t].wall >= 0 && st[t].cpu >= 0);
}

/* Two "processes" (threads here) taking chunks from one counter, as under
** mpirun (par.h): whoever takes which chunk, their sums are one thread's. */
typedef struct shared_counter {
    _Atomic uint64_t next;
    _Atomic int takes;
} shared_counter;

static uint64_t take_shared(void *ud, uint64_t n)
{
    shared_counter *c = ud;
    atomic_fetch_add(&c->takes, 1);
    return atomic_fetch_add(&c->next, n);
}

typedef struct taker {
    const sim_model *m;
    shared_counter *c;
    int threads, rc;
    sim_agg agg;
    sim_thread_stat st[3];
} taker;

static void *take_runs(void *ud)
{
    taker *t = ud;
    t->rc = sim_runs_take(t->m, 9, 100007, t->threads, &t->agg, take_shared, t->c, t->st);
    return NULL;
}

TEST(sim_processes_share_the_runs_in_chunks)
{
    static sim_model m;
    static sim_agg a1, sum;
    kz2022_one_thread(&m, &a1);
    memset(&sum, 0, sizeof sum);
    static shared_counter c;
    atomic_init(&c.next, 7);
    atomic_init(&c.takes, 0);
    static taker t[2];
    memset(t, 0, sizeof t);
    pthread_t th;
    t[0] = (taker){ .m = &m, .c = &c, .threads = 2 };
    t[1] = (taker){ .m = &m, .c = &c, .threads = 3 };
    ASSERT_EQ(pthread_create(&th, NULL, take_runs, &t[0]), 0);
    take_runs(&t[1]);
    pthread_join(th, NULL);
    ASSERT_EQ(t[0].rc, 0);
    ASSERT_EQ(t[1].rc, 0);
    sim_agg_merge(&sum, &t[0].agg);
    sim_agg_merge(&sum, &t[1].agg);
    ASSERT(memcmp(&a1, &sum, sizeof a1) == 0);
    uint64_t n = 0;
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < t[k].threads; i++) n += t[k].st[i].runs;
    ASSERT_EQ(n, 100000);
    /* 25 chunks of 4096 (the last short), and one take past the end per thread */
    ASSERT_EQ(atomic_load(&c.takes), 25 + 5);
}

TEST(sim_params_errors_name_file_line_and_column)
{
    sim_params ps;
    memset(&ps, 0, sizeof ps);
    char *out = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&out, &len);
    const char *t = "# ok\nalign.RU.KZ 0.5 src=S1 \"why\"\nbad 1x src=S1 \"why\"\nx 1 \"no src\"\ny 2 src=judgement\n";
    ASSERT_EQ(sim_params_read(&ps, "p.conf", t, strlen(t), ms), -1);
    fclose(ms);
    ASSERT(strstr(out, "p.conf:3:5: error: not a number") != NULL);
    ASSERT(strstr(out, "p.conf:4:5: error: expected src=TAGS") != NULL);
    ASSERT(strstr(out, "p.conf:5:18: error: expected the \"provenance\"") != NULL);
    ASSERT_EQ(ps.n, 1);
    ASSERT(sim_param(&ps, "align.RU.KZ", 0, NULL) == 0.5);
    free(out);
}
