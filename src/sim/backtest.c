/*
** backtest.c: `entente backtest` (docs/simulation.md). The simulator plays
** the organization's historical requests for help, each with the
** memberships, the charter and the switches of its date (the built-in
** history up to that day), and puts its predicted probability of a
** deployment next to what happened; the Brier score sums it up.
**
** No parameter is set per case: every case runs the same model with the same
** parameters (data/models.conf, or --params) and the same severity. What a
** case holds are the facts of the crisis, with their sources: who asked,
** when, what kind of crisis, against whom, whether forces were deployed and
** whether a mission was sent.
*/
#include "shared.h"
#include "sim.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

typedef struct bt_case {
    const char *name, *host, *date, *kind, *adversary;
    const char *request;         /* what the host asked for: assistance or consultations */
    int deployed;                /* forces were deployed */
    int mission;                 /* the supreme body sent a mission (Armenia 2022: AM-2022-M) */
    const char *src, *what;
} bt_case;

static const bt_case cases[] = {
    { "Kyrgyzstan 2010", "KG", "2010-06-11", "unrest", NULL, "assistance", 0, 0, "S84,S85,S86",
      "plea for troops in the unrest; no deployment, only advisers and equipment" },
    { "Armenia 2021", "AM", "2021-05-13", "aggression", "AZ", "consultations", 0, 0, "S87,S88,S89,S90",
      "consultations under Art. 2 para 2 on the incursion near Sev Lich; concern, no joint statement" },
    { "Kazakhstan 2022", "KZ", "2022-01-05", "unrest", NULL, "assistance", 1, 0, "S98,S99,S100,S105",
      "request under Art. 4; CPKF deployed the next day, 2,030 personnel" },
    { "Armenia 2022", "AM", "2022-09-13", "aggression", "AZ", "assistance", 0, 1, "S91,S92,S96",
      "request under Art. 4; a mission, no military aid" },
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

static void bt_usage(const char *prog, FILE *f)
{
    fprintf(f,
            "usage: %s backtest [--model NAME] [--params FILE] [--runs N] [--seed S]\n"
            "                [--severity X] [-j THREADS] [--json]\n\n"
            "Plays the organization's historical requests for help (Kyrgyzstan 2010, Armenia\n"
            "2021, Kazakhstan 2022, Armenia 2022) with the memberships and charter of their\n"
            "dates, and prints the predicted probability of a deployment next to what\n"
            "happened, and the Brier score. Every case runs the same model, parameters and\n"
            "severity: nothing is set per case.\n\n"
            "  --model NAME   interest or baseline (default: interest)\n"
            "  --params FILE  parameters that replace the built-in data/models.conf's\n"
            "  --runs N       runs a case (default: 10000)\n"
            "  --seed S       the seed (default: 1)\n"
            "  --severity X   the severity of every case, 0 to 1 (default: 0.5)\n"
            "  -j THREADS     threads (default: 1)\n"
            "  --json         JSON output\n"
            "  -h, --help     this help\n",
            prog);
}

int sim_backtest_main(const char *prog, int argc, char **argv)
{
    const char *model = "interest", *params = NULL;
    uint64_t runs = 10000, seed = 1;
    double severity = 0.5;
    int threads = 1, json = 0;
    static const struct option longopts[] = {
        { "model", required_argument, NULL, 'M' }, { "params", required_argument, NULL, 'P' },
        { "runs", required_argument, NULL, 'n' },  { "seed", required_argument, NULL, 's' },
        { "severity", required_argument, NULL, 'S' }, { "json", no_argument, NULL, 'J' },
        { "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 }
    };
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":hj:", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case 'h': bt_usage(prog, stdout); return 0;
        case 'M': model = optarg; break;
        case 'P': params = optarg; break;
        case 'J': json = 1; break;
        case 'n':
            runs = strtoull(optarg, &end, 10);
            if (*optarg == '-' || *end || runs == 0) goto usage;
            break;
        case 's':
            seed = strtoull(optarg, &end, 10);
            if (*optarg == '-' || *end) goto usage;
            break;
        case 'S':
            severity = strtod(optarg, &end);
            if (*end || !(severity >= 0 && severity <= 1)) goto usage;
            break;
        case 'j': {
            long t = strtol(optarg, &end, 10);
            if (*end || t < 1 || t > 64) goto usage;
            threads = (int)t;
            break;
        }
        default:
        usage:
            fprintf(stderr, "%s backtest: bad option or value: '%s'\nsee '%s backtest --help'\n", prog,
                    argv[optind - 1], prog);
            return EX_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s backtest: unexpected argument '%s'\n", prog, argv[optind]);
        return EX_USAGE;
    }
    static sim_params ps;
    int prc = sim_load_params(&ps, params, prog, "backtest");
    if (prc) return prc;
    ent_report *rep = ent_report_new();
    ent_db *db = NULL;
    if (ent_open(&db, NULL, 0, rep) != ENT_OK) {
        fputs(ent_report_text(rep), stderr);
        ent_report_free(rep);
        return EX_SOFTWARE;
    }
    double p[NCASES], lo[NCASES], hi[NCASES], pad[NCASES], pmi[NCASES], brier = 0, brier_ad = 0, brier_mi = 0;
    char refusal[NCASES][320];
    for (int c = 0; c < NCASES; c++) {
        static ent_frame f;
        static sim_model m;
        static sim_agg a;
        ent_crisis cr = { cases[c].host, cases[c].adversary, cases[c].kind, NULL, cases[c].date, cases[c].request };
        char err[256];
        if (ent_crisis_frame(db, &cr, &f, rep) != ENT_OK || sim_model_make(&m, &f, &ps, model, severity, err, sizeof err)) {
            fprintf(stderr, "%s backtest: %s: %s%s\n", prog, cases[c].name, ent_report_text(rep), err);
            ent_report_free(rep);
            ent_close(db);
            return EX_USAGE;
        }
        snprintf(refusal[c], sizeof refusal[c], "%s", f.deploy_ok ? "" : f.refusal);
        memset(&a, 0, sizeof a);
        if (sim_runs(&m, seed, 0, runs, threads, &a, NULL, NULL)) return EX_OSERR;
        /* a deployment is forces deployed: a contingent arrived (a decision
        ** that binds only the host, or whose contingents cannot reach it,
        ** deploys nothing); the decision alone is printed beside it */
        sim_interval w = sim_wilson(a.arrival.n, a.runs);
        p[c] = w.p, lo[c] = w.lo, hi[c] = w.hi;
        pad[c] = sim_wilson(a.outcome[1] + a.outcome[2], a.runs).p;
        pmi[c] = sim_wilson(a.outcome[SIM_MISSION], a.runs).p;
        brier_mi += (pmi[c] - cases[c].mission) * (pmi[c] - cases[c].mission);
        brier += (w.p - cases[c].deployed) * (w.p - cases[c].deployed);
        brier_ad += (pad[c] - cases[c].deployed) * (pad[c] - cases[c].deployed);
    }
    brier /= NCASES;
    brier_ad /= NCASES;
    brier_mi /= NCASES;
    if (json) {
        printf("{\"version\":\"%s\",\"model\":\"%s\",\"seed\":%" PRIu64 ",\"runs\":%" PRIu64 ",\"severity\":%.4f,\"cases\":[",
               ENT_VERSION, model, seed, runs, severity);
        for (int c = 0; c < NCASES; c++)
            printf("%s{\"case\":\"%s\",\"host\":\"%s\",\"date\":\"%s\",\"kind\":\"%s\",\"adversary\":%s%s%s,"
                   "\"request\":\"%s\",\"p_deployment\":%.4f,\"lo\":%.4f,\"hi\":%.4f,\"p_adopted\":%.4f,\"deployed\":%s,"
                   "\"p_mission\":%.4f,\"mission\":%s,\"src\":\"%s\"}",
                   c ? "," : "", cases[c].name, cases[c].host, cases[c].date, cases[c].kind,
                   cases[c].adversary ? "\"" : "", cases[c].adversary ? cases[c].adversary : "null",
                   cases[c].adversary ? "\"" : "", cases[c].request, p[c], lo[c], hi[c], pad[c],
                   cases[c].deployed ? "true" : "false", pmi[c], cases[c].mission ? "true" : "false", cases[c].src);
        printf("],\"brier\":%.4f,\"brier_adopted\":%.4f,\"brier_mission\":%.4f,\"brier_always_half\":0.2500}\n", brier,
               brier_ad, brier_mi);
    } else {
        printf("entente %s backtest: model %s, %" PRIu64 " runs a case, seed %" PRIu64 ", severity %.2f for every case\n\n",
               ENT_VERSION, model, runs, seed, severity);
        printf("%-16s %-10s  %-10s %-8s %-13s %-22s %-8s %-9s %-8s %-8s %s\n", "case", "date", "kind", "against", "request",
               "p(deployment) [95%]", "adopted", "deployed", "mission", "sent", "(p-o)^2");
        for (int c = 0; c < NCASES; c++) {
            double d = p[c] - cases[c].deployed;
            printf("%-16s %-10s  %-10s %-8s %-13s %.3f [%.3f, %.3f]    %.3f    %-9s %.3f    %-8s %.3f\n", cases[c].name,
                   cases[c].date, cases[c].kind, cases[c].adversary ? cases[c].adversary : "-", cases[c].request, p[c],
                   lo[c], hi[c], pad[c], cases[c].deployed ? "yes" : "no", pmi[c], cases[c].mission ? "yes" : "no", d * d);
        }
        printf("\np(deployment): forces deployed (a contingent arrived); adopted: a deployment decided; mission: the\n"
               "supreme body sent a mission instead; sent: whether it did; (p-o)^2: of p(deployment)\n");
        printf("Brier score %.3f over %d cases (0 is perfect; always saying 0.5 scores 0.250); of the decision "
               "alone %.3f; of the mission %.3f\n",
               brier, NCASES, brier_ad, brier_mi);
        for (int c = 0; c < NCASES; c++)
            printf("  %s [%s]: %s%s%s\n", cases[c].name, cases[c].src, cases[c].what, refusal[c][0] ? "; the engine: " : "",
                   refusal[c]);
    }
    ent_report_free(rep);
    ent_close(db);
    return 0;
}
