/*
** sim.h: the crisis simulator (docs/simulation.md). It sits on the public
** header only: the library gives it the frame of a crisis (what the charter
** allows: ent_crisis_frame) and decides each vote (ent_frame_decide); the
** simulator draws the members' behaviour and the times, and aggregates.
**
** Reproducible: every random number is a function of (seed, run, draw), so
** a run's result depends on nothing else, and the aggregate is made of
** integers (counts, sums, histograms), so it is the same whatever the order
** in which runs are added: one thread, several, or several processes.
*/
#ifndef ENT_SIM_H
#define ENT_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "entente.h"

/* ------------------------------------------------------------------ */
/* Parameters (data/models.conf).                                       */

#define SIM_MAX_PARAMS 256

typedef struct sim_param {
    char name[48];
    double value;
    char src[64];
    char why[160];
} sim_param_t;

typedef struct sim_params {
    sim_param_t p[SIM_MAX_PARAMS];
    int n;
} sim_params;

/* Read parameters from text (file name for messages); a name given again
** replaces the value. Errors go to err as FILE:LINE:COL: error: ... with the
** line and a caret. 0 or -1. */
int sim_params_read(sim_params *ps, const char *file, const char *text, size_t len, FILE *err);
/* A parameter's value; *found (may be NULL) 0 if it is not there (then dflt). */
double sim_param(const sim_params *ps, const char *name, double dflt, int *found);

/* ------------------------------------------------------------------ */
/* The model of one crisis, made once from the frame and the parameters. */

enum { SIM_YES = 1, SIM_NO, SIM_ABSTAIN, SIM_OUT };
/* A run's outcome: 0 no proposal, 1..4 ent_frame_decide's, or a mission. */
enum { SIM_MISSION = 5, SIM_OUTCOMES = 6 };

typedef struct sim_voter {
    int state;                   /* index into the frame's states */
    uint64_t cut[3];             /* a draw below cut[0] votes yes, below cut[1] no, below cut[2]
                                    abstains, else stays out (thresholds over 2^64) */
} sim_voter;

/* A geometric wait's days, drawn by an inverse CDF over a table made once
** with the model: a draw x gives k = (x >> 11) + 1 in [1, 2^53] (the uniform
** k / 2^53), and the wait is d days or more iff k <= at[d]. The table is
** made from the closed form floor(log(k / 2^53) / log1p(-p)) itself (the
** largest k for each d, by bisection), so the table and the closed form give
** the same days for every draw; waits of SIM_WAIT_DAYS - 1 days or more (a
** draw with k <= at[SIM_WAIT_DAYS - 1]) take the closed form. guide[j]: the
** fewest days for a draw whose k - 1 has j as its top 8 of 53 bits (the
** scan starts there). */
#define SIM_WAIT_DAYS 64

typedef struct sim_wait {
    double p, lp;                /* success probability a day; log1p(-p) */
    uint64_t at[SIM_WAIT_DAYS];
    uint8_t guide[256];
} sim_wait;

/* The table of a wait with success probability p a day; the days of a wait
** for a draw x, by the table and by the closed form (the same days). */
void sim_wait_make(sim_wait *w, double p);
int sim_wait_days(const sim_wait *w, uint64_t x);
int sim_wait_days_closed(const sim_wait *w, uint64_t x);

typedef struct sim_model {
    const ent_frame *f;
    int model;                   /* 0 baseline, 1 interest */
    double severity;
    int nvoters;
    sim_voter voters[ENT_FRAME_MAX];
    /* contingents: who may send one, how large, and how it travels */
    uint64_t contrib_cut;        /* a yes-voter sends one if a draw is below this */
    int capacity[ENT_FRAME_MAX];
    double air_days[ENT_FRAME_MAX];    /* the best route by air, days; -1 none */
    double ground_days[ENT_FRAME_MAX]; /* the best route needing no consent, by ground; -1 none */
    uint64_t consent_cut[ENT_FRAME_MAX]; /* per state crossed: consents if a draw is below this */
    double p_session, p_mobilize, p_mission, p_leave; /* geometric waits: success probability a day */
    sim_wait w_session, w_mobilize, w_mission, w_leave; /* their tables, made once */
    int withdrawal_days;         /* the charter's period to leave after completion (mandate) */
    uint64_t unlate_cut;
    /* the request: the host asks for assistance if a draw is below ask_cut
    ** (UINT64_MAX: the crisis gives the request; sim_model_asking draws it
    ** with p_ask); without a request the supreme body proposes anyway if a
    ** draw is below unasked_cut and the charter allows it (f->unasked_ok) */
    double p_ask;
    uint64_t ask_cut, unasked_cut;
    /* the lesser answer: on the host's request the supreme body sends a
    ** mission instead of proposing a deployment if a draw is below
    ** mission_cut (and the charter accepts it: f->mission_ok). p_team is its
    ** probability; support, the mean probability of a yes among the voters
    ** other than the host (the interest model's) */
    double p_team, support;
    uint64_t team_cut;
} sim_model;

/* 0, or -1 with a message in err (a parameter out of range). */
int sim_model_make(sim_model *m, const ent_frame *f, const sim_params *ps, const char *model, double severity,
                   char *err, size_t errsz);

/* drawn 1: the host asks for assistance with the model's probability p_ask
** (simulate --request model); 0: the crisis gives its request. */
void sim_model_asking(sim_model *m, int drawn);

/* ------------------------------------------------------------------ */
/* Runs and their aggregate.                                            */

#define SIM_DAYS_MAX 1024          /* histogram of days: 0 .. SIM_DAYS_MAX-1, the last bin holds more */
#define SIM_TROOPS_BIN 10          /* histogram of troops in bins of 10 personnel */
#define SIM_TROOPS_BINS 4096

typedef struct sim_run {
    int outcome;                 /* ent_frame_decide: 1 adopted, 2 limited, 3 blocked, 4 lapsed; 0 no
                                    proposal; SIM_MISSION a mission instead (no vote) */
    int asked;                   /* the host asked for assistance */
    int unasked;                 /* the supreme body proposed without the host's request */
    int decision_day;            /* days from the request to the decision */
    int arrival_day;             /* days from the request to the first arrival; -1 none */
    int troops;                  /* personnel deployed (that arrived) */
    int mission_days;            /* from first arrival to completion (after every arrival); -1 none */
    int complete_day;            /* the completion, days from the request; -1 none */
    int breaches;                /* facts the engine flags: a contingent leaving after the
                                    withdrawal period, a late UN notice */
    uint8_t vote[ENT_FRAME_MAX]; /* SIM_YES.. per state; 0 does not vote */
    uint8_t sent[ENT_FRAME_MAX]; /* 1 if its contingent arrived */
    int32_t men[ENT_FRAME_MAX];  /* its personnel */
    int arrive[ENT_FRAME_MAX];   /* its arrival day, -1 none */
    int leave[ENT_FRAME_MAX];    /* the day it leaves, -1 none */
} sim_run;

typedef struct sim_hist {
    uint64_t n, sum, sum2;       /* values recorded, their sum and sum of squares */
    uint64_t bin[SIM_DAYS_MAX];
} sim_hist;

typedef struct sim_agg {
    uint64_t runs;
    uint64_t outcome[SIM_OUTCOMES]; /* by ent_frame_decide value; [0] no proposal; [SIM_MISSION] a mission */
    uint64_t breached;           /* runs with a breach */
    uint64_t asked, unasked;     /* runs where the host asked; where the body proposed unasked */
    uint64_t votes[ENT_FRAME_MAX][5]; /* per state: yes, no, abstain, out counts at [1..4] */
    sim_hist decision, arrival, mission;
    uint64_t troops_n, troops_sum, troops_sum2;
    uint64_t troops_bin[SIM_TROOPS_BINS];
} sim_agg;

void sim_run_one(const sim_model *m, uint64_t seed, uint64_t run, sim_run *out);
void sim_agg_add(sim_agg *a, const sim_model *m, const sim_run *r);
void sim_agg_merge(sim_agg *into, const sim_agg *from);

/* Runs [from, to) on nthreads threads; each run's CSV row, in run order,
** through row() when it is not NULL (called from the calling thread). */
typedef void (*sim_row_fn)(void *ud, uint64_t run, const sim_run *r);
int sim_runs(const sim_model *m, uint64_t seed, uint64_t from, uint64_t to, int nthreads, sim_agg *out,
             sim_row_fn row, void *ud);
/* The same, with each thread's share in st[0 .. nthreads-1] (NULL: none):
** its runs, its wall and CPU seconds. Without rows, the runs are taken in
** chunks of 4096 from one counter by whichever thread is free, so a thread
** that the machine slows down takes fewer; the aggregate is the same bytes
** whatever the share each thread took. */
typedef struct sim_thread_stat {
    uint64_t runs;
    double wall, cpu;
} sim_thread_stat;
int sim_runs_stat(const sim_model *m, uint64_t seed, uint64_t from, uint64_t to, int nthreads, sim_agg *out,
                  sim_row_fn row, void *ud, sim_thread_stat *st);
/* Runs below `to`, no rows, in chunks of 4096 from a counter outside the
** engine: take(ud, n) advances it by n and gives its value before (the
** chunk's first run; UINT64_MAX if it cannot, which ends the runs). Every
** thread calls take(), at the same time: it must be safe to. With a counter
** that several processes share (par.h: sim_par_deal_*), a process that the
** machine slows down takes fewer chunks, as a thread does. */
typedef uint64_t (*sim_take_fn)(void *ud, uint64_t n);
int sim_runs_take(const sim_model *m, uint64_t seed, uint64_t to, int nthreads, sim_agg *out, sim_take_fn take,
                  void *ud, sim_thread_stat *st);

/* The chronicle of one run: the lines the engine would check (the request,
** the proposal, the votes, the contingents, their arrivals and departures). */
void sim_run_chronicle(const sim_model *m, const sim_run *r, FILE *out);

/* The ensemble as an SVG picture (svg.c, `entente simulate --svg`): the
** crisis, the outcomes with their 95% intervals, histograms of the days, the
** troops and the mission's length with their cumulative share, each voting
** member's votes. header: the text summary's header lines; the first (the
** crisis) is drawn from the frame instead. The same aggregate gives the same
** bytes. 0, or an errno (out of memory, a failed write). */
int sim_svg(FILE *out, const char *header, const ent_frame *f, const sim_model *m, const sim_agg *a);
/* Its file, path ('-': standard output): written to a temporary file beside
** it (*tmp) and renamed by sim_svg_close when ok, else removed (a path that
** is there and is not a regular file, a device or a link, is written as it
** is: *tmp NULL). Both return 0 or an errno. */
int sim_svg_open(const char *path, FILE **f, char **tmp);
int sim_svg_close(FILE *f, char *tmp, const char *path, int ok);

/* `entente simulate` (cli_sim.c), `entente backtest` (backtest.c). */
int sim_main(const char *prog, int argc, char **argv);
int sim_backtest_main(const char *prog, int argc, char **argv);
/* Today (UTC), or $ENTENTE_TODAY when set (tests pin it); cli_sim.c, used by main.c too. */
void cli_today(char buf[11]);

#endif /* ENT_SIM_H */
