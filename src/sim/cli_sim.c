/*
** cli_sim.c: `entente simulate` (docs/simulation.md, docs/cli.md).
**
**   entente simulate --host KZ [--kind unrest] [--adversary AZ] [--severity 0.5]
**                    [--at DATE] [--force F] [--model interest|baseline] [--params FILE]
**                    [--runs N] [--seed S] [-j THREADS] [--json] [--csv FILE]
**                    [--trace RUN] [--set NAME=VALUE] [--from-db PATH [--seq N]] [--dump-model FILE]
**
** It sits on the public header: the library gives the frame of the crisis
** and decides each vote; this file reads the flags, runs the ensemble
** (engine.c) and prints the summary. Every output starts with what makes it
** reproducible: the version, the seed, the model and its parameters' digest,
** the charter and its switches.
*/
#include "par.h"
#include "shared.h"
#include "sim.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include <time.h>

typedef struct sim_opts {
    const char *host, *adversary, *kind, *at, *force, *model, *params, *csv, *db, *dump;
    uint64_t seq;                /* --seq N: the journal's state after event N (0: all) */
    double severity;
    uint64_t runs, seed;
    long trace;
    int threads, json;
    const char *sets[16];
    int nsets;
    const char *svg;
    const char *request;         /* ent_crisis.request */
    int drawn;                   /* --request model: the host asks with the model's probability */
} sim_opts;

static const char *prog = "entente";

void cli_today(char buf[11])
{
    const char *env = getenv("ENTENTE_TODAY");
    if (env && strlen(env) == 10) {
        memcpy(buf, env, 11);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 11, "%Y-%m-%d", &tm);
}

static void sim_usage(FILE *f)
{
    fprintf(f,
            "usage: %s simulate --host STATE | FILE [--kind KIND] [--adversary STATE] [--severity X]\n"
            "                [--at DATE] [--force FORCE] [--model NAME] [--params FILE]\n"
            "                [--runs N] [--seed S] [-j THREADS]\n"
            "                [--json] [--csv FILE] [--svg FILE]\n"
            "                [--trace RUN] [--set NAME=VALUE] [--from-db PATH [--seq N]]\n"
            "                [--dump-model FILE]\n\n"
            "A crisis played many times by the same rule engine that checks the chronicle:\n"
            "STATE asks the organization for help, its bodies vote as the behaviour model\n"
            "draws, contingents go by the routes the transit consents allow. Prints the\n"
            "probability that a deployment is adopted, the days to the decision and to the\n"
            "first arrival, the troops, the mission's length, the breaches and each member's\n"
            "votes, with 95%% intervals. Reproducible from the seed, whatever -j.\n\n"
            "  --host STATE       the member that asks for help (ISO code)\n"
            "  FILE               or a chronicle that ends in a request for assistance: its lines\n"
            "                     are run on the built-in history, and the crisis is that request\n"
            "                     (its host, its date, its threat= as the kind)\n"
            "  --kind KIND        unrest, aggression, border-clash or terrorism (default: unrest)\n"
            "  --adversary STATE  the state it asks for help against (default: none)\n"
            "  --severity X       from 0 to 1 (default: 0.5)\n"
            "  --request WHAT     what the host asks for: assistance (the default), consultations,\n"
            "                     none, or model (assistance, with the model's probability)\n"
            "  --at DATE          the day of the request, YYYY-MM-DD (default: today)\n"
            "  --force FORCE      the force to deploy (default: by kind, docs/simulation.md)\n"
            "  --model NAME       interest or baseline (default: interest)\n"
            "  --params FILE      parameters that replace the built-in data/models.conf's\n"
            "  --runs N           runs (default: 10000)\n"
            "  --seed S           the seed (default: 1)\n"
            "  -j THREADS         threads (default: 1); the output does not depend on it\n"
            "  --json             the summary as JSON\n"
            "  --csv FILE         one row per run to FILE ('-': standard output)\n"
            "  --svg FILE         the ensemble as a picture to FILE ('-': standard output,\n"
            "                     instead of the summary)\n"
            "  --trace RUN        print run RUN as the chronicle the engine would check\n"
            "  --set NAME=VALUE   an interpretation switch of the charter (docs/rules.md)\n"
            "  --from-db PATH     start from this journal's state (default: the built-in\n"
            "                     history); --db PATH is the same\n"
            "  --seq N            with --from-db: the state after the journal's event N\n"
            "  --dump-model FILE  write the crisis's model, what every run draws from, as JSON\n"
            "                     to FILE ('-': standard output) and run nothing\n"
            "  -h, --help         this help\n",
            prog);
}

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s simulate: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee '%s simulate --help'\n", prog);
    return EX_USAGE;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno) return -1;
    *out = v;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Statistics of the aggregate.                                          */

typedef struct moments {
    uint64_t n;
    double mean, lo, hi;         /* the mean and its 95% interval */
    long p025, p50, p975;        /* quantiles of the values */
} moments;

static long quantile(const uint64_t *bin, int nbins, uint64_t n, double q, long width)
{
    if (!n) return -1;
    uint64_t want = (uint64_t)ceil(q * (double)n), acc = 0;
    if (want < 1) want = 1;
    for (int i = 0; i < nbins; i++) {
        acc += bin[i];
        if (acc >= want) return (long)i * width;
    }
    return (long)(nbins - 1) * width;
}

static moments moments_of(uint64_t n, uint64_t sum, uint64_t sum2, const uint64_t *bin, int nbins, long width)
{
    moments m = { n, 0, 0, 0, -1, -1, -1 };
    if (!n) return m;
    double nn = (double)n, mean = (double)sum / nn, var = n > 1 ? ((double)sum2 - nn * mean * mean) / (nn - 1) : 0;
    double h = 1.959963984540054 * sqrt(var > 0 ? var / nn : 0);
    m.mean = mean, m.lo = mean - h, m.hi = mean + h;
    m.p025 = quantile(bin, nbins, n, 0.025, width);
    m.p50 = quantile(bin, nbins, n, 0.5, width);
    m.p975 = quantile(bin, nbins, n, 0.975, width);
    return m;
}

static moments hist_moments(const sim_hist *h) { return moments_of(h->n, h->sum, h->sum2, h->bin, SIM_DAYS_MAX, 1); }

/* ------------------------------------------------------------------ */
/* Output.                                                               */

static const char *const outcome_names[SIM_OUTCOMES] = { "no vote", "adopted", "limited", "blocked", "lapsed", "mission" };


static void print_header(FILE *o, const char *lead, const sim_opts *op, const ent_frame *f, const sim_params *ps)
{
    sim_header_crisis(o, lead, "simulate", f, op->severity, op->drawn);
    fprintf(o, "%sseed %" PRIu64 ", %" PRIu64 " runs; model %s, %d parameters (digest %016" PRIx64 ")%s%s\n", lead,
            op->seed, op->runs, op->model, ps->n, sim_params_digest(ps), op->params ? " from " : "",
            op->params ? op->params : "");
    fprintf(o, "%scharter %s: %s decides, %s%s, quorum %d; force %s (%d); withdrawal %d days", lead, f->org, f->body,
            sim_rule_names[f->rule], f->rule == 0 ? (f->limited_ok ? " (limited format allowed)" : " (no limited format)") : "",
            f->quorum, f->force, f->strength, f->withdrawal_days);
    for (int i = 0; i < op->nsets; i++) fprintf(o, "%s%s", i ? ", " : "; switches ", op->sets[i]);
    fputc('\n', o);
}

static void print_text(FILE *o, const sim_opts *op, const ent_frame *f, const sim_params *ps, const sim_model *m,
                       const sim_agg *a)
{
    print_header(o, "", op, f, ps);
    fputs("voters:", o);
    for (int k = 0; k < m->nvoters; k++) fprintf(o, " %s", f->states[m->voters[k].state].code);
    fputs("; may send contingents:", o);
    for (int i = 0; i < f->nstates; i++)
        if ((f->contributors >> i & 1) && i != f->host) fprintf(o, " %s", f->states[i].code);
    fputc('\n', o);
    sim_print_request(o, "", f, m, op->drawn);
    if (!f->deploy_ok && !f->unasked_ok) fprintf(o, "no deployment is possible: %s\n", f->refusal);
    else if (!f->deploy_ok) fprintf(o, "not on a request: %s\n", f->refusal);
    uint64_t adopted = a->outcome[1] + a->outcome[2];
    sim_interval pa = sim_wilson(adopted, a->runs);
    fprintf(o, "\n%-24s %.4f  [%.4f, %.4f]\n", "deployment adopted", pa.p, pa.lo, pa.hi);
    for (int k = 2; k <= 4; k++) {
        sim_interval pk = sim_wilson(a->outcome[k], a->runs);
        fprintf(o, "  %-22s %.4f  [%.4f, %.4f]\n", outcome_names[k], pk.p, pk.lo, pk.hi);
    }
    if (f->request != 0 || op->drawn || f->unasked_ok) {
        sim_interval pq = sim_wilson(a->asked, a->runs), pu = sim_wilson(a->unasked, a->runs),
                     pn = sim_wilson(a->outcome[0], a->runs);
        fprintf(o, "  %-22s %.4f  [%.4f, %.4f]\n", "no proposal", pn.p, pn.lo, pn.hi);
        fprintf(o, "%-24s %.4f  [%.4f, %.4f]\n", "host asked", pq.p, pq.lo, pq.hi);
        fprintf(o, "%-24s %.4f  [%.4f, %.4f]\n", "proposed unasked", pu.p, pu.lo, pu.hi);
    }
    sim_interval pm = sim_wilson(a->outcome[SIM_MISSION], a->runs), pd = sim_wilson(a->arrival.n, a->runs);
    fprintf(o, "%-24s %.4f  [%.4f, %.4f]\n", "mission instead", pm.p, pm.lo, pm.hi);
    fprintf(o, "%-24s %.4f  [%.4f, %.4f]\n", "forces deployed", pd.p, pd.lo, pd.hi);
    sim_interval pb = sim_wilson(a->breached, a->runs);
    fprintf(o, "%-24s %.4f  [%.4f, %.4f]\n", "runs with a breach", pb.p, pb.lo, pb.hi);
    struct {
        const char *name;
        moments mo;
    } rows[4] = {
        { "days to the decision", hist_moments(&a->decision) },
        { "days to first arrival", hist_moments(&a->arrival) },
        { "troops deployed", moments_of(a->troops_n, a->troops_sum, a->troops_sum2, a->troops_bin, SIM_TROOPS_BINS,
                                        SIM_TROOPS_BIN) },
        { "mission days", hist_moments(&a->mission) },
    };
    fputs("\n                          mean  [95% interval]      runs   2.5%  median  97.5%\n", o);
    for (int k = 0; k < 4; k++) {
        const moments *x = &rows[k].mo;
        if (!x->n) fprintf(o, "%-24s      -                  %6" PRIu64 "\n", rows[k].name, x->n);
        else
            fprintf(o, "%-24s %7.2f  [%.2f, %.2f]  %8" PRIu64 " %6ld %7ld %6ld\n", rows[k].name, x->mean, x->lo, x->hi,
                    x->n, x->p025, x->p50, x->p975);
    }
    fputs("\nvotes               yes      no  abstain     out\n", o);
    for (int k = 0; k < m->nvoters; k++) {
        int i = m->voters[k].state;
        uint64_t n = a->votes[i][1] + a->votes[i][2] + a->votes[i][3] + a->votes[i][4];
        fprintf(o, "  %-12s", f->states[i].code);
        for (int v = 1; v <= 4; v++) fprintf(o, " %7.4f", n ? (double)a->votes[i][v] / (double)n : 0.0);
        fputc('\n', o);
    }
}

static void json_moments(FILE *o, const char *name, const moments *x)
{
    if (!x->n) {
        fprintf(o, ",\"%s\":{\"runs\":0}", name);
        return;
    }
    fprintf(o, ",\"%s\":{\"runs\":%" PRIu64 ",\"mean\":%.4f,\"lo\":%.4f,\"hi\":%.4f,\"p2_5\":%ld,\"p50\":%ld,\"p97_5\":%ld}",
            name, x->n, x->mean, x->lo, x->hi, x->p025, x->p50, x->p975);
}

static void json_str(FILE *o, const char *z)
{
    fputc('"', o);
    for (; *z; z++) {
        if (*z == '"' || *z == '\\') fprintf(o, "\\%c", *z);
        else if ((unsigned char)*z < 0x20) fprintf(o, "\\u%04x", (unsigned char)*z);
        else fputc(*z, o);
    }
    fputc('"', o);
}

static void print_json(FILE *o, const sim_opts *op, const ent_frame *f, const sim_params *ps, const sim_model *m,
                       const sim_agg *a)
{
    fprintf(o, "{\"version\":\"%s\",\"seed\":%" PRIu64 ",\"runs\":%" PRIu64 ",\"model\":", ENT_VERSION, op->seed, a->runs);
    json_str(o, op->model);
    fprintf(o, ",\"params_digest\":\"%016" PRIx64 "\",\"crisis\":{\"host\":\"%s\",\"kind\":\"%s\",\"adversary\":",
            sim_params_digest(ps), f->states[f->host].code, sim_kind_names[f->kind]);
    if (f->adversary >= 0) fprintf(o, "\"%s\"", f->states[f->adversary].code);
    else fputs("null", o);
    fprintf(o, ",\"severity\":%.4f,\"date\":\"%s\"},\"charter\":{\"org\":", op->severity, f->date);
    json_str(o, f->org);
    fprintf(o, ",\"body\":\"%s\",\"rule\":\"%s\",\"limited_format\":%s,\"quorum\":%d,\"force\":\"%s\",\"strength\":%d,"
               "\"withdrawal_days\":%d,\"switches\":[",
            f->body, sim_rule_names[f->rule], f->limited_ok ? "true" : "false", f->quorum, f->force, f->strength,
            f->withdrawal_days);
    for (int i = 0; i < op->nsets; i++) {
        if (i) fputc(',', o);
        json_str(o, op->sets[i]);
    }
    fprintf(o, "],\"deploy_possible\":%s,\"mission_possible\":%s,\"refusal\":", f->deploy_ok ? "true" : "false",
            f->mission_ok ? "true" : "false");
    if (f->deploy_ok) fputs("null", o);
    else json_str(o, f->refusal);
    static const char *const rq[3] = { "assistance", "consultations", "none" };
    sim_interval pq = sim_wilson(a->asked, a->runs), pu = sim_wilson(a->unasked, a->runs);
    fprintf(o, ",\"deploy_request\":\"%s\",\"unasked_possible\":%s},\"request\":{\"kind\":\"%s\",\"drawn\":%s,"
               "\"p_ask\":%.4f,\"p_asked\":{\"p\":%.4f,\"lo\":%.4f,\"hi\":%.4f},\"p_unasked\":{\"p\":%.4f,\"lo\":%.4f,\"hi\":%.4f}}",
            f->request_required ? "required" : "optional", f->unasked_ok ? "true" : "false", rq[f->request],
            op->drawn ? "true" : "false", f->request == 0 ? (op->drawn ? m->p_ask : 1.0) : 0.0, pq.p, pq.lo, pq.hi, pu.p,
            pu.lo, pu.hi);
    uint64_t adopted = a->outcome[1] + a->outcome[2];
    sim_interval pa = sim_wilson(adopted, a->runs);
    fprintf(o, ",\"p_adopted\":{\"p\":%.4f,\"lo\":%.4f,\"hi\":%.4f}", pa.p, pa.lo, pa.hi);
    static const char *const keys[5] = { "p_no_vote", "p_adopted_full", "p_limited", "p_blocked", "p_lapsed" };
    for (int k = 0; k <= 4; k++) {
        sim_interval pk = sim_wilson(a->outcome[k], a->runs);
        fprintf(o, ",\"%s\":{\"p\":%.4f,\"lo\":%.4f,\"hi\":%.4f}", keys[k], pk.p, pk.lo, pk.hi);
    }
    sim_interval pm = sim_wilson(a->outcome[SIM_MISSION], a->runs), pd = sim_wilson(a->arrival.n, a->runs);
    fprintf(o, ",\"p_mission\":{\"p\":%.4f,\"lo\":%.4f,\"hi\":%.4f,\"model\":%.4f}", pm.p, pm.lo, pm.hi, m->p_team);
    fprintf(o, ",\"p_deployed\":{\"p\":%.4f,\"lo\":%.4f,\"hi\":%.4f}", pd.p, pd.lo, pd.hi);
    sim_interval pb = sim_wilson(a->breached, a->runs);
    fprintf(o, ",\"p_breach\":{\"p\":%.4f,\"lo\":%.4f,\"hi\":%.4f}", pb.p, pb.lo, pb.hi);
    moments d = hist_moments(&a->decision), ar = hist_moments(&a->arrival), mi = hist_moments(&a->mission);
    moments t = moments_of(a->troops_n, a->troops_sum, a->troops_sum2, a->troops_bin, SIM_TROOPS_BINS, SIM_TROOPS_BIN);
    json_moments(o, "days_to_decision", &d);
    json_moments(o, "days_to_arrival", &ar);
    json_moments(o, "troops", &t);
    json_moments(o, "mission_days", &mi);
    fputs(",\"members\":{", o);
    for (int k = 0; k < m->nvoters; k++) {
        int i = m->voters[k].state;
        uint64_t n = a->votes[i][1] + a->votes[i][2] + a->votes[i][3] + a->votes[i][4];
        double q = n ? 1.0 / (double)n : 0;
        fprintf(o, "%s\"%s\":{\"yes\":%.4f,\"no\":%.4f,\"abstain\":%.4f,\"out\":%.4f}", k ? "," : "", f->states[i].code,
                (double)a->votes[i][1] * q, (double)a->votes[i][2] * q, (double)a->votes[i][3] * q,
                (double)a->votes[i][4] * q);
    }
    fputs("},\"parameters\":[", o);
    for (int k = 0; k < ps->n; k++) {
        fprintf(o, "%s{\"name\":\"%s\",\"value\":%.17g,\"src\":", k ? "," : "", ps->p[k].name, ps->p[k].value);
        json_str(o, ps->p[k].src);
        fputs(",\"provenance\":", o);
        json_str(o, ps->p[k].why);
        fputc('}', o);
    }
    fputs("]}\n", o);
}

/* ------------------------------------------------------------------ */
/* CSV rows and traces.                                                 */

typedef struct csv_out {
    FILE *f;
    const sim_model *m;
} csv_out;

static void csv_row(void *ud, uint64_t run, const sim_run *r)
{
    csv_out *c = ud;
    const ent_frame *f = c->m->f;
    fprintf(c->f, "%" PRIu64 ",%s,%d,%d,%d,%d,%d", run, r->outcome ? outcome_names[r->outcome] : "none",
            r->outcome ? r->decision_day : -1, r->arrival_day, r->troops, r->mission_days, r->breaches);
    static const char *const v[5] = { "", "yes", "no", "abstain", "out" };
    int voted = r->outcome && r->outcome != SIM_MISSION;
    for (int k = 0; k < c->m->nvoters; k++) fprintf(c->f, ",%s", voted ? v[r->vote[c->m->voters[k].state]] : "");
    (void)f;
    fputc('\n', c->f);
}

static void day_plus(const char *date, int days, char out[11])
{
    int y, mo, d;
    sscanf(date, "%d-%d-%d", &y, &mo, &d);
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    d += days;
    for (;;) {
        int n = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
        if (d <= n) break;
        d -= n;
        if (++mo > 12) mo = 1, y++;
    }
    int n = snprintf(out, 11, "%04d-%02d-%02d", y % 10000, mo % 100, d % 100);
    if (n != 10) out[0] = 0; /* years up to 9999: never */
}

void sim_run_chronicle(const sim_model *m, const sim_run *r, FILE *o)
{
    const ent_frame *f = m->f;
    const char *host = f->states[f->host].code;
    char dd[11], x[11];
    static const char *const threat[4] = { "unrest", "aggression", "border-clash", "terrorism" };
    if (f->request == 1 || (f->request == 0 && r->asked))
        fprintf(o, "%s %s request %s id=SIM-R threat=%s%s%s\n", f->date, host, f->request ? "consultations" : "assistance",
                threat[f->kind], f->article[0] ? " article=" : "", f->article);
    if (!r->outcome) return;
    day_plus(f->date, r->decision_day, dd);
    if (r->outcome == SIM_MISSION) { /* the lesser answer: a team, no force, no vote */
        fprintf(o, "%s %s mission id=SIM-M host=%s request=SIM-R\n", dd, f->body, host);
        return;
    }
    fprintf(o, "%s %s propose deploy id=SIM-D force=%s host=%s%s\n", dd, f->body, f->force, host,
            r->unasked ? "" : " request=SIM-R");
    static const char *const v[5] = { "", "yes", "no", "abstain", "out" };
    for (int k = 0; k < m->nvoters; k++)
        if (r->vote[m->voters[k].state])
            fprintf(o, "%s %s vote SIM-D %s\n", dd, f->states[m->voters[k].state].code, v[r->vote[m->voters[k].state]]);
    if (r->outcome != 1 && r->outcome != 2) return;
    fprintf(o, "%s SG notify-un SIM-D\n", dd);
    int order[ENT_FRAME_MAX], n = 0;
    for (int i = 0; i < f->nstates; i++) {
        if (!r->sent[i] || r->men[i] <= 0 || r->arrive[i] < 0) continue;
        fprintf(o, "%s %s contribute SIM-D troops=%d\n", dd, f->states[i].code, r->men[i]);
        int k = n++;
        while (k > 0 && r->arrive[order[k - 1]] > r->arrive[i]) order[k] = order[k - 1], k--;
        order[k] = i;
    }
    for (int k = 0; k < n; k++) {
        day_plus(f->date, r->arrive[order[k]], x);
        fprintf(o, "%s %s arrive SIM-D\n", x, f->states[order[k]].code);
    }
    if (r->arrival_day < 0) return;
    day_plus(f->date, r->complete_day, x);
    fprintf(o, "%s %s complete SIM-D\n", x, host);
    for (int k = 1; k < n; k++) /* by the day each leaves */
        for (int j = k; j > 0 && r->leave[order[j - 1]] > r->leave[order[j]]; j--) {
            int t = order[j];
            order[j] = order[j - 1], order[j - 1] = t;
        }
    for (int k = 0; k < n; k++) {
        day_plus(f->date, r->leave[order[k]], x);
        fprintf(o, "%s %s leave SIM-D\n", x, f->states[order[k]].code);
    }
}

/* ------------------------------------------------------------------ */
/* --dump-model: the model of the crisis as JSON, for a peer simulator   */
/* (bench/peers/sim_simpy.py) that must not work the frame out again.    */

static double of_cut(uint64_t c) { return (double)c / 18446744073709551616.0; }

static void write_model(FILE *o, const sim_opts *op, const ent_frame *f, const sim_params *ps, const sim_model *m)
{
    fprintf(o, "{\"version\":\"%s\",\"model\":", ENT_VERSION);
    json_str(o, op->model);
    fprintf(o, ",\"params_digest\":\"%016" PRIx64 "\",\n\"crisis\":{\"host\":\"%s\",\"kind\":\"%s\",\"adversary\":",
            sim_params_digest(ps), f->states[f->host].code, sim_kind_names[f->kind]);
    if (f->adversary >= 0) fprintf(o, "\"%s\"", f->states[f->adversary].code);
    else fputs("null", o);
    fprintf(o, ",\"date\":\"%s\"},\n\"deploy_possible\":%s,\"host\":%d,\"severity\":%.17g,\n", f->date,
            f->deploy_ok ? "true" : "false", f->host, m->severity);
    /* the request: p_ask the host asks for assistance (1 given, 0 it asks for
    ** something else or nothing); without it, the body proposes anyway with
    ** p_unasked if unasked_possible */
    fprintf(o, "\"request\":{\"p_ask\":%.17g,\"unasked_possible\":%s,\"p_unasked\":%.17g},\n",
            f->request != 0 ? 0.0 : m->ask_cut == UINT64_MAX ? 1.0 : of_cut(m->ask_cut), f->unasked_ok ? "true" : "false",
            of_cut(m->unasked_cut));
    /* a mission instead of a deployment, on the host's request, with p_team */
    fprintf(o, "\"mission\":{\"possible\":%s,\"p\":%.17g},\n", f->mission_ok ? "true" : "false", of_cut(m->team_cut));
    fprintf(o, "\"decision\":{\"rule\":\"%s\",\"rule_code\":%d,\"quorum\":%d,\"limited_ok\":%s},\n", sim_rule_names[f->rule],
            f->rule, f->quorum, f->limited_ok ? "true" : "false");
    fprintf(o, "\"force\":{\"code\":\"%s\",\"strength\":%d},\n", f->force, f->strength);
    fputs("\"voters\":[", o);
    for (int k = 0; k < m->nvoters; k++) {
        const sim_voter *v = &m->voters[k];
        fprintf(o, "%s\n {\"state\":%d,\"code\":\"%s\",\"yes\":%.17g,\"no\":%.17g,\"abstain\":%.17g,\"out\":%.17g}",
                k ? "," : "", v->state, f->states[v->state].code, of_cut(v->cut[0]), of_cut(v->cut[1] - v->cut[0]),
                of_cut(v->cut[2] - v->cut[1]), 1.0 - of_cut(v->cut[2]));
    }
    fprintf(o, "],\n\"contrib_p\":%.17g,\"p_session\":%.17g,\"p_mobilize\":%.17g,\"p_mission\":%.17g,"
               "\"p_leave\":%.17g,\"withdrawal_days\":%d,\"p_un_late\":%.17g,\n\"states\":[",
            of_cut(m->contrib_cut), m->p_session, m->p_mobilize, m->p_mission, m->p_leave, m->withdrawal_days,
            of_cut(m->unlate_cut));
    for (int i = 0; i < f->nstates; i++) {
        fprintf(o, "%s\n {\"index\":%d,\"code\":\"%s\",\"may_contribute\":%s,\"capacity\":%d,\"air_days\":%.17g,"
                   "\"ground_days\":%.17g,\"consents\":[",
                i ? "," : "", i, f->states[i].code, (f->contributors >> i & 1) && i != f->host ? "true" : "false",
                m->capacity[i], m->air_days[i], m->ground_days[i]);
        int n = 0;
        for (uint64_t c = f->states[i].consent_set; c; c &= c - 1) {
            int j = __builtin_ctzll(c);
            fprintf(o, "%s{\"state\":%d,\"code\":\"%s\",\"p\":%.17g}", n++ ? "," : "", j, f->states[j].code,
                    of_cut(m->consent_cut[j]));
        }
        fputs("]}", o);
    }
    fputs("]}\n", o);
}

/* mkstemp makes the file 0600: give it the mode fopen would have. */
static int fchmod_like(const char *path)
{
    mode_t mask = umask(0);
    umask(mask);
    return chmod(path, 0666 & ~mask);
}

/* To FILE through a temporary file renamed at the end: a failed write
** leaves nothing behind. */
static int dump_model(const char *path, const sim_opts *op, const ent_frame *f, const sim_params *ps,
                      const sim_model *m)
{
    if (strcmp(path, "-") == 0) {
        write_model(stdout, op, f, ps, m);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "%s simulate: standard output: %s\n", prog, strerror(errno));
            return EX_IOERR;
        }
        return 0;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp) {
        fprintf(stderr, "%s simulate: out of memory\n", prog);
        return EX_OSERR;
    }
    snprintf(tmp, n + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *o = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!o) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        fprintf(stderr, "%s simulate: %s: %s\n", prog, path, strerror(e));
        free(tmp);
        return EX_CANTCREAT;
    }
    write_model(o, op, f, ps, m);
    int bad = ferror(o) != 0;
    int e = errno;
    if (fclose(o) != 0 && !bad) bad = 1, e = errno;
    if (!bad && fchmod_like(tmp) == 0 && rename(tmp, path) == 0) {
        free(tmp);
        return 0;
    }
    if (!bad) e = errno;
    unlink(tmp);
    fprintf(stderr, "%s simulate: %s: %s\n", prog, path, strerror(e ? e : EIO));
    free(tmp);
    return EX_IOERR;
}

/* This process's runs into agg: 0, or an exit status (said on standard
** error). Under mpirun the processes take the runs in chunks of 4096 from one
** counter on process 0 (par.h), as the threads do, so a process on a slower
** CPU takes fewer; if MPI cannot deal them, each plays a consecutive range.
** Process 0 then adds up the integer aggregates: the same sums as one
** process, whoever played which run. */
static int play(const sim_model *m, const sim_opts *op, int rank, int nproc, sim_agg *agg, csv_out *co)
{
    int deal = nproc > 1 ? sim_par_deal_open(0) : 1;
    if (deal < 0) {
        fprintf(stderr, "%s simulate: MPI: the window of the runs' counter failed\n", prog);
        return EX_SOFTWARE;
    }
    if (deal == 0) {
        int bad = sim_runs_take(m, op->seed, op->runs, op->threads, agg, sim_par_deal_take, NULL, NULL);
        int mpi = sim_par_deal_close();
        if (bad || mpi) {
            fprintf(stderr, "%s simulate: %s\n", prog,
                    bad ? "out of memory" : "MPI: taking runs from the counter failed");
            return bad ? EX_OSERR : EX_SOFTWARE;
        }
        return 0;
    }
    uint64_t share = op->runs / (uint64_t)nproc, extra = op->runs % (uint64_t)nproc, r = (uint64_t)rank;
    uint64_t from = share * r + (r < extra ? r : extra), to = from + share + (r < extra);
    if (sim_runs(m, op->seed, from, to, op->threads, agg, op->csv ? csv_row : NULL, co)) {
        fprintf(stderr, "%s simulate: out of memory\n", prog);
        return EX_OSERR;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The command.                                                          */


int sim_main(const char *p, int argc, char **argv)
{
    prog = p;
    int rank, nproc; /* under mpirun (par.h): this process and their number; else 0 and 1 */
    sim_par_env(&rank, &nproc);
    if (nproc > 1 && rank > 0) sim_par_quiet(); /* process 0 prints */
    sim_opts op;
    memset(&op, 0, sizeof op);
    op.kind = "unrest";
    op.model = "interest";
    op.severity = 0.5;
    op.runs = 10000;
    op.seed = 1;
    op.threads = 1;
    op.trace = -1;
    static const struct option lo[] = {
        { "host", required_argument, NULL, 'H' },   { "kind", required_argument, NULL, 'k' },
        { "adversary", required_argument, NULL, 'A' }, { "severity", required_argument, NULL, 'S' },
        { "at", required_argument, NULL, 'a' },     { "force", required_argument, NULL, 'F' },
        { "model", required_argument, NULL, 'M' },  { "params", required_argument, NULL, 'P' },
        { "runs", required_argument, NULL, 'n' },   { "seed", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'J' },         { "csv", required_argument, NULL, 'C' },
        { "trace", required_argument, NULL, 'T' },  { "set", required_argument, NULL, 'W' },
        { "svg", required_argument, NULL, 'G' },
        { "db", required_argument, NULL, 'd' },     { "help", no_argument, NULL, 'h' },
        { "from-db", required_argument, NULL, 'd' }, { "seq", required_argument, NULL, 'q' },
        { "dump-model", required_argument, NULL, 'D' }, { "request", required_argument, NULL, 'R' },
        { NULL, 0, NULL, 0 }
    };
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":hj:", lo, NULL)) != -1) {
        switch (ch) {
        case 'h': sim_usage(stdout); return 0;
        case 'H': op.host = optarg; break;
        case 'k': op.kind = optarg; break;
        case 'A': op.adversary = optarg; break;
        case 'a': op.at = optarg; break;
        case 'F': op.force = optarg; break;
        case 'M': op.model = optarg; break;
        case 'P': op.params = optarg; break;
        case 'C': op.csv = optarg; break;
        case 'G': op.svg = optarg; break;
        case 'd': op.db = optarg; break;
        case 'q':
            if (parse_u64(optarg, &op.seq) || op.seq == 0)
                return bad_usage("--seq wants an event number from 1, not '%s'", optarg);
            break;
        case 'D': op.dump = optarg; break;
        case 'R':
            if (sim_request_arg(optarg, &op.request, &op.drawn))
                return bad_usage("--request is assistance, consultations, none or model, not '%s'", optarg);
            break;
        case 'J': op.json = 1; break;
        case 'S': {
            char *end;
            op.severity = strtod(optarg, &end);
            if (*end || !(op.severity >= 0 && op.severity <= 1))
                return bad_usage("--severity is from 0 to 1, not '%s'", optarg);
            break;
        }
        case 'n':
            if (parse_u64(optarg, &op.runs) || op.runs == 0 || op.runs > (1ull << 50))
                return bad_usage("--runs wants a whole number from 1, not '%s'", optarg);
            break;
        case 's':
            if (parse_u64(optarg, &op.seed)) return bad_usage("--seed wants a whole number, not '%s'", optarg);
            break;
        case 'j': {
            uint64_t t;
            if (parse_u64(optarg, &t) || t < 1 || t > 64) return bad_usage("-j wants 1 to 64 threads, not '%s'", optarg);
            op.threads = (int)t;
            break;
        }
        case 'T': {
            uint64_t t;
            if (parse_u64(optarg, &t)) return bad_usage("--trace wants a run number, not '%s'", optarg);
            op.trace = (long)t;
            break;
        }
        case 'W':
            if (op.nsets == 16) return bad_usage("too many --set%s", "");
            op.sets[op.nsets++] = optarg;
            break;
        case ':': return bad_usage("option '%s' needs a value", argv[optind - 1]);
        default: return bad_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    /* a chronicle FILE that ends in a request for assistance: the crisis */
    const char *file = NULL;
    char *ftext = NULL, fhost[3] = "", fdate[11] = "", fkind[16] = "";
    size_t flen = 0;
    if (optind < argc) file = argv[optind++];
    if (optind < argc) return bad_usage("unexpected argument '%s'", argv[optind]);
    if (file) {
        if (op.host) return bad_usage("a crisis FILE names its host: no --host with it%s", "");
        if (op.db) return bad_usage("a crisis FILE is played on the built-in history: no --from-db with it%s", "");
        ftext = sim_read_file(file, &flen);
        if (!ftext) {
            fprintf(stderr, "%s simulate: %s: %s\n", prog, file, strerror(errno ? errno : EIO));
            return EX_NOINPUT;
        }
        int line = 0, last = 0;
        char date[11] = "", words[4][24];
        for (const char *q = ftext; q < ftext + flen;) {
            const char *nl = memchr(q, '\n', (size_t)(ftext + flen - q));
            size_t n = (size_t)((nl ? nl : ftext + flen) - q);
            char l[512];
            snprintf(l, sizeof l, "%.*s", (int)(n < sizeof l - 1 ? n : sizeof l - 1), q);
            line++;
            char *h = strchr(l, '#');
            if (h) *h = 0;
            int k = 0;
            char *save = NULL;
            for (char *t = strtok_r(l, " \t\r", &save); t && k < 4; t = strtok_r(NULL, " \t\r", &save))
                snprintf(words[k++], sizeof words[0], "%s", t);
            if (k) {
                int dated = strlen(words[0]) == 10 && words[0][4] == '-' && words[0][7] == '-';
                if (dated) snprintf(date, sizeof date, "%.10s", words[0]);
                int v = dated ? 1 : 0; /* words[v] subject, words[v+1] verb, words[v+2] first argument */
                last = line;
                fhost[0] = fkind[0] = 0;
                if (k >= v + 3 && strcmp(words[v + 1], "request") == 0 && strcmp(words[v + 2], "assistance") == 0) {
                    snprintf(fhost, sizeof fhost, "%.2s", words[v]);
                    snprintf(fdate, sizeof fdate, "%s", date);
                    const char *th = strstr(q, "threat=");
                    if (th && th < q + n) sscanf(th + 7, "%15[a-z-]", fkind);
                }
            }
            q = nl ? nl + 1 : ftext + flen;
        }
        if (!fhost[0] || !fdate[0]) {
            fprintf(stderr, "%s:%d:1: error: a crisis file ends in a dated request for assistance (XX request assistance ...)\n",
                    file, last ? last : 1);
            free(ftext);
            return EX_DATAERR;
        }
        op.host = fhost;
        op.at = fdate;
        if (fkind[0]) op.kind = strcmp(fkind, "armed-attack") == 0 ? "aggression" : fkind;
    }
    if (!op.host) return bad_usage("--host STATE (or a crisis FILE) is required%s", "");
    if (op.seq && !op.db) return bad_usage("--seq needs --from-db PATH%s", "");
    if (op.trace >= 0 && (uint64_t)op.trace >= op.runs) return bad_usage("--trace names a run past --runs%s", "");
    if (op.svg && op.trace >= 0) return bad_usage("--svg draws the ensemble, --trace prints one run: not both%s", "");
    if (op.svg && op.csv && !strcmp(op.svg, "-") && !strcmp(op.csv, "-"))
        return bad_usage("--svg - and --csv - both want standard output%s", "");
    if (nproc > 1 && op.csv)
        return bad_usage("--csv writes every run's row in order from one process: run it without mpirun%s",
                         " (-j THREADS spreads the runs over threads)");

    /* parameters: the built-in file, then --params over it */
    static sim_params ps;
    int prc = sim_load_params(&ps, op.params, prog, "simulate");
    if (prc) return prc;

    ent_report *rep = ent_report_new();
    ent_db *db = NULL;
    int rc = ent_open(&db, op.db, op.db ? ENT_OPEN_READONLY | ENT_OPEN_NOCREATE : 0, rep);
    if (rc == ENT_OK && op.seq) rc = ent_rewind(db, op.seq, rep); /* "what happens from here" */
    if (rc == ENT_OK && ftext) { /* the crisis file on the built-in history, in memory */
        ent_input in = { file, ftext, flen };
        rc = ent_run(db, &in, 1, NULL, rep);
    }
    free(ftext);
    ftext = NULL;
    for (int i = 0; rc == ENT_OK && i < op.nsets; i++) {
        char name[64];
        const char *eq = strchr(op.sets[i], '=');
        if (!eq || (size_t)(eq - op.sets[i]) >= sizeof name) {
            fprintf(stderr, "%s simulate: --set wants NAME=VALUE, not '%s'\n", prog, op.sets[i]);
            rc = ENT_EUSAGE;
            break;
        }
        memcpy(name, op.sets[i], (size_t)(eq - op.sets[i]));
        name[eq - op.sets[i]] = 0;
        rc = ent_set_switch(db, name, eq + 1, rep);
    }
    static ent_frame f;
    char day[11];
    cli_today(day);
    if (rc == ENT_OK) {
        ent_crisis c = { op.host, op.adversary, op.kind, op.force, op.at ? op.at : day, op.request };
        rc = ent_crisis_frame(db, &c, &f, rep);
    }
    if (rc == ENT_OK && f.states[f.host].standing != 1 && f.states[f.host].standing != 2) {
        fprintf(stderr, "%s simulate: %s is not a member on %s: only a member may ask the organization for help\n", prog,
                f.states[f.host].code, f.date);
        rc = ENT_EINPUT;
    }
    if (rc != ENT_OK) {
        const char *t = ent_report_text(rep);
        if (*t) fprintf(stderr, "%s", t);
        ent_report_free(rep);
        ent_close(db);
        return rc == ENT_EUSAGE ? EX_USAGE : rc;
    }
    static sim_model m;
    char err[256];
    if (sim_model_make(&m, &f, &ps, op.model, op.severity, err, sizeof err)) {
        fprintf(stderr, "%s simulate: %s\n", prog, err);
        ent_report_free(rep);
        ent_close(db);
        return EX_USAGE;
    }
    sim_model_asking(&m, op.drawn);
    int status = 0;
    if (op.dump) {
        status = rank == 0 ? dump_model(op.dump, &op, &f, &ps, &m) : 0; /* once, under mpirun */
    } else if (op.trace >= 0) {
        sim_run r;
        memset(&r, 0, sizeof r);
        sim_run_one(&m, op.seed, (uint64_t)op.trace, &r);
        printf("# run %ld of seed %" PRIu64 ": %s\n", op.trace, op.seed, r.outcome ? outcome_names[r.outcome] : "no vote");
        sim_run_chronicle(&m, &r, stdout);
    } else {
        static sim_agg agg;
        csv_out co = { NULL, &m };
        FILE *svf = NULL;
        char *svtmp = NULL;
        int e = op.svg && rank == 0 ? sim_svg_open(op.svg, &svf, &svtmp) : 0;
        if (e) {
            fprintf(stderr, "%s simulate: %s: %s\n", prog, op.svg, strerror(e));
            ent_report_free(rep);
            ent_close(db);
            return EX_CANTCREAT;
        }
        if (op.csv) {
            co.f = strcmp(op.csv, "-") == 0 ? stdout : fopen(op.csv, "w");
            if (!co.f) {
                fprintf(stderr, "%s simulate: %s: %s\n", prog, op.csv, strerror(errno));
                if (svf) sim_svg_close(svf, svtmp, op.svg, 0);
                ent_report_free(rep);
                ent_close(db);
                return EX_CANTCREAT;
            }
            print_header(co.f, "# ", &op, &f, &ps);
            fputs("run,outcome,decision_day,arrival_day,troops,mission_days,breaches", co.f);
            for (int k = 0; k < m.nvoters; k++) fprintf(co.f, ",vote_%s", f.states[m.voters[k].state].code);
            fputc('\n', co.f);
        }
        char perr[256];
        if (sim_par_init(nproc, perr, sizeof perr)) {
            fprintf(stderr, "%s simulate: %s\n", prog, perr);
            status = EX_SOFTWARE;
        } else if ((status = play(&m, &op, rank, nproc, &agg, &co))) {
            sim_par_abort(status);
        } else if (sim_par_reduce(&agg, rank)) {
            status = EX_SOFTWARE;
        } else if (rank > 0) {
            /* its share is in process 0's sums */
        } else if (co.f != stdout && svf != stdout) {
            if (op.json) print_json(stdout, &op, &f, &ps, &m, &agg);
            else print_text(stdout, &op, &f, &ps, &m, &agg);
        }
        if (svf) {
            char *hdr = NULL;
            size_t hlen = 0;
            FILE *hs = open_memstream(&hdr, &hlen);
            if (hs) print_header(hs, "", &op, &f, &ps);
            e = !hs || fclose(hs) != 0 ? ENOMEM : status ? 0 : sim_svg(svf, hdr, &f, &m, &agg);
            free(hdr);
            int e2 = sim_svg_close(svf, svtmp, op.svg, !status && !e);
            if (!status && (e || e2)) {
                fprintf(stderr, "%s simulate: %s: %s\n", prog, strcmp(op.svg, "-") ? op.svg : "standard output",
                        strerror(e ? e : e2));
                status = EX_IOERR;
            }
        }
        if (co.f && co.f != stdout && fclose(co.f) != 0) {
            fprintf(stderr, "%s simulate: %s: %s\n", prog, op.csv, strerror(errno));
            status = EX_IOERR;
        }
        sim_par_finalize();
    }
    ent_report_free(rep);
    ent_close(db);
    return status;
}
