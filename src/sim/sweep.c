/*
** sweep.c: `entente sweep` (docs/cli.md): one crisis played over a grid of
** charter variants and model parameters, one CSV row per cell.
**
**   entente sweep --host KZ [--kind K] [--adversary S] [--severity X] [--at DATE]
**                 [--force F] [--model M] [--params FILE] [--runs N] [--seed S]
**                 [--rule consensus,limited,two-thirds,majority] [--withdrawal 10,30]
**                 [--vary NAME=V1,V2,...]... [--set NAME=VALUE]... [--db PATH]
**                 --out FILE [--resume] [--progress] [-j THREADS]
**
** The cells are the Cartesian product of the axes in a fixed order (--rule,
** then --withdrawal, then each --vary in the order given; the last axis
** changes fastest). Cell c is `entente simulate` with the seed
** cell_seed(seed, c), the cell's switches and parameters and --runs runs:
** its result depends on nothing else, so the file is the same bytes whatever
** -j, however many processes compute it (mpirun: par.h), and whether it was
** made in one go or resumed.
**
** Under mpirun, the processes take the cells (of those not yet in the file)
** one at a time from a counter on rank 0 (par.h: sim_par_deal_*), so one on
** a slower CPU takes fewer; or, if MPI cannot deal them, rank r computes the
** cells r, r+K, r+2K... Each sends its cells' aggregates to rank 0, which
** writes the rows in cell order. SIGINT or SIGTERM: the rows written stay
** (each is flushed whole), the cell being computed is dropped, and the
** message says how to go on with --resume.
*/
#include "par.h"
#include "shared.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#define MAX_VARY 16
#define MAX_CELLS 1000000
#define CHUNK 65536              /* runs computed between two looks at signals, messages and the bar */
#define EX_INTERRUPTED 130       /* 128 + SIGINT, as a shell reports it */

enum { AX_RULE, AX_WITHDRAWAL, AX_PARAM, AX_REQUEST };
static const char *const request_values[2] = { "required", "optional" }; /* switch deploy.request */
enum { R_CONSENSUS, R_LIMITED, R_TWO_THIRDS, R_MAJORITY };
static const char *const rule_values[4] = { "consensus", "limited", "two-thirds", "majority" };

typedef struct axis {
    int kind;                    /* AX_* */
    char name[48];               /* the column: rule, withdrawal_days, or the parameter's name */
    int param;                   /* AX_PARAM: index into the parameters */
    int n;
    double *v;                   /* the values: a rule's R_*, days, a parameter's value */
    char (*text)[32];            /* as written in the rows */
    uint64_t stride;             /* cells between two values of this axis */
} axis;

typedef struct sweep_opts {
    const char *host, *adversary, *kind, *at, *force, *model, *params, *db, *out;
    const char *request;         /* ent_crisis.request (--request) */
    int drawn;                   /* --request model */
    double severity;
    uint64_t runs, seed;
    int threads, resume, progress;
    const char *sets[16];
    int nsets;
    const char *rules, *withdrawals;
    const char *vary[MAX_VARY];
    int nvary;
} sweep_opts;

/* A cell's row, from its aggregate: what rank 0 keeps until the row's turn. */
typedef struct cell_sum {
    uint64_t runs, adopted, blocked, mission, breached, dec_n, dec_sum, arr_n, arr_sum, troops_n, troops_sum;
    int ready;
} cell_sum;

typedef struct sweep {
    sweep_opts op;
    int argc;
    char **argv;                 /* for the resume message */
    sim_params ps;
    axis ax[MAX_VARY + 2];
    int nax, rule_ax, wd_ax, rq_ax; /* rule_ax, wd_ax, rq_ax: the index of that axis, -1 none */
    uint64_t ncells;
    ent_frame base;              /* the charter without the axes */
    ent_frame *frames;           /* one per charter variant: rule x withdrawal */
    int nwd;                     /* withdrawal values (1 if no such axis) */
    int nrq;                     /* deploy.request values (1 if no such axis) */
    sim_model model;
    /* processes */
    int rank, size;
    int deal;                    /* the cells from a counter on rank 0 (par.h); else rank r takes r, r+K, ... */
    /* rank 0 */
    FILE *out;
    uint64_t first, next;        /* the first cell computed now (cells before are in the file), the next to write */
    cell_sum *sums;              /* cells first .. ncells-1 */
    int ndone, stopping, fatal;  /* ranks that said done; stop asked; the exit status of a failure */
    /* the progress bar */
    int bar;
    double t0, drawn;
    uint64_t runs_done, cells_done;
} sweep;

static const char *prog = "entente";
static volatile sig_atomic_t got_signal;

static void on_signal(int s) { got_signal = s; }

static void sweep_usage(FILE *f)
{
    fprintf(f,
            "usage: %s sweep --host STATE [--kind KIND] [--adversary STATE] [--severity X]\n"
            "                [--at DATE] [--force FORCE] [--model NAME] [--params FILE]\n"
            "                [--runs N] [--seed S] [--rule RULES] [--withdrawal DAYS]\n"
            "                [--vary NAME=V1,V2,...]... [--set NAME=VALUE]... [--db PATH]\n"
            "                [--request WHAT]\n"
            "                --out FILE [--resume] [--progress] [-j THREADS]\n\n"
            "The crisis of 'entente simulate' played on a grid: every combination of the\n"
            "charter variants and parameter values given is a cell, played --runs times;\n"
            "one CSV row per cell with the probability that a deployment is adopted and\n"
            "that forces are deployed (a contingent arrives; 95%% intervals), that the\n"
            "supreme body sends a mission instead, that the deployment is blocked, the\n"
            "mean days to the decision and to the first arrival, the mean troops and the\n"
            "probability of a breach. Each cell has its\n"
            "own seed, derived from --seed and its index: the file is the same whatever -j\n"
            "and however many processes (mpirun -np K entente sweep ...) compute it.\n\n"
            "  --rule RULES       a comma list of consensus (no limited format), limited\n"
            "                     (consensus, limited format allowed), two-thirds, majority\n"
            "  --withdrawal DAYS  a comma list of withdrawal periods (mandate.withdrawal-days)\n"
            "  --vary NAME=V,...  a parameter of data/models.conf (or --params) and its values;\n"
            "                     repeat for more axes; deploy.request=required,optional varies\n"
            "                     the charter's switch (a deployment without the host's request)\n"
            "  --runs N           runs per cell (default: 10000)\n"
            "  --seed S           the seed (default: 1)\n"
            "  --out FILE         the CSV file ('-': standard output)\n"
            "  --resume           keep the complete rows FILE has and compute the rest\n"
            "  --progress         draw the progress bar even if standard error is not a terminal\n"
            "  -j THREADS         threads per process (default: 1); the output does not depend on it\n"
            "  --host, --kind, --adversary, --severity, --at, --force, --model, --params,\n"
            "  --request, --set, --db  as for 'entente simulate' (see '%s simulate --help')\n"
            "  -h, --help         this help\n",
            prog, prog);
}

static int bad_usage(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "%s sweep: ", prog);
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\nsee '%s sweep --help'\n", prog);
    return EX_USAGE;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-' || *s == '+' || *s == ' ') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno) return -1;
    *out = v;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Axes.                                                                 */

/* The elements of a comma list, each non-empty: their number, or -1 (an
** empty list or element). Each is written to items as a NUL-terminated copy. */
static int split_list(const char *list, char ***items)
{
    int n = 1;
    for (const char *p = list; *p; p++) n += *p == ',';
    char **it = calloc((size_t)n, sizeof *it);
    if (!it) return -2;
    const char *p = list;
    for (int k = 0; k < n; k++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        it[k] = len ? strndup(p, len) : NULL;
        if (!it[k]) {
            for (int j = 0; j < k; j++) free(it[j]);
            free(it);
            return len ? -2 : -1;
        }
        p = e ? e + 1 : p + len;
    }
    *items = it;
    return n;
}

static void free_list(char **it, int n)
{
    for (int k = 0; k < n; k++) free(it[k]);
    free(it);
}

/* The shortest of %.15g and %.17g that reads back as v. */
static void fmt_value(char out[32], double v)
{
    snprintf(out, 32, "%.15g", v);
    if (strtod(out, NULL) != v) snprintf(out, 32, "%.17g", v);
}

static int axis_alloc(axis *a, int n)
{
    a->n = n;
    a->v = calloc((size_t)n, sizeof *a->v);
    a->text = calloc((size_t)n, sizeof *a->text);
    return a->v && a->text ? 0 : -1;
}

static void axes_free(sweep *s)
{
    for (int i = 0; i < s->nax; i++) {
        free(s->ax[i].v);
        free(s->ax[i].text);
    }
    s->nax = 0;
}

/* Reads --rule, --withdrawal and --vary into axes; 0 or an exit status
** (the message printed). The parameters must be read already. */
static int make_axes(sweep *s)
{
    sweep_opts *op = &s->op;
    char **it;
    int n;
    s->rule_ax = s->wd_ax = s->rq_ax = -1;
    s->nwd = s->nrq = 1;
    if (op->rules) {
        if ((n = split_list(op->rules, &it)) == -2) return EX_OSERR;
        if (n < 0) return bad_usage("--rule wants a comma list of consensus, limited, two-thirds, majority, not '%s'%s",
                                    op->rules, "");
        axis *a = &s->ax[s->nax];
        if (axis_alloc(a, n)) return free_list(it, n), EX_OSERR;
        s->rule_ax = s->nax++;
        a->kind = AX_RULE;
        snprintf(a->name, sizeof a->name, "rule");
        for (int k = 0; k < n; k++) {
            int r = -1;
            for (int q = 0; q < 4; q++)
                if (strcmp(it[k], rule_values[q]) == 0) r = q;
            if (r < 0) {
                int rc = bad_usage("--rule: unknown rule '%s' (consensus, limited, two-thirds, majority)%s", it[k], "");
                free_list(it, n);
                return rc;
            }
            a->v[k] = r;
            snprintf(a->text[k], sizeof a->text[k], "%s", rule_values[r]);
        }
        free_list(it, n);
    }
    if (op->withdrawals) {
        if ((n = split_list(op->withdrawals, &it)) == -2) return EX_OSERR;
        if (n < 0) return bad_usage("--withdrawal wants a comma list of days, not '%s'%s", op->withdrawals, "");
        axis *a = &s->ax[s->nax];
        if (axis_alloc(a, n)) return free_list(it, n), EX_OSERR;
        s->wd_ax = s->nax++;
        s->nwd = n;
        a->kind = AX_WITHDRAWAL;
        snprintf(a->name, sizeof a->name, "withdrawal_days");
        for (int k = 0; k < n; k++) {
            uint64_t d;
            if (parse_u64(it[k], &d) || d > 3650) {
                int rc = bad_usage("--withdrawal: '%s' is not a whole number of days from 0 to 3650%s", it[k], "");
                free_list(it, n);
                return rc;
            }
            a->v[k] = (double)d;
            snprintf(a->text[k], sizeof a->text[k], "%d", (int)d);
        }
        free_list(it, n);
    }
    for (int i = 0; i < op->nvary; i++) {
        const char *arg = op->vary[i], *eq = strchr(arg, '=');
        if (!eq || eq == arg) return bad_usage("--vary wants NAME=V1,V2,..., not '%s'%s", arg, "");
        char name[64];
        if ((size_t)(eq - arg) >= sizeof name) return bad_usage("--vary: no parameter '%s'%s", arg, "");
        memcpy(name, arg, (size_t)(eq - arg));
        name[eq - arg] = 0;
        if (strcmp(name, "deploy.request") == 0) { /* a charter switch: an axis of variants */
            if (s->rq_ax >= 0) return bad_usage("--vary: the switch '%s' is given twice%s", name, "");
            if (!eq[1] || (n = split_list(eq + 1, &it)) == -1)
                return bad_usage("--vary deploy.request wants a comma list of required, optional, not '%s'%s", eq + 1, "");
            if (n == -2) return EX_OSERR;
            axis *a = &s->ax[s->nax];
            if (axis_alloc(a, n)) return free_list(it, n), EX_OSERR;
            s->rq_ax = s->nax++;
            s->nrq = n;
            a->kind = AX_REQUEST;
            snprintf(a->name, sizeof a->name, "deploy_request");
            for (int k = 0; k < n; k++) {
                int q = strcmp(it[k], request_values[0]) == 0 ? 0 : strcmp(it[k], request_values[1]) == 0 ? 1 : -1;
                if (q < 0) {
                    int rc = bad_usage("--vary deploy.request: unknown value '%s' (required, optional)%s", it[k], "");
                    free_list(it, n);
                    return rc;
                }
                a->v[k] = q;
                snprintf(a->text[k], sizeof a->text[k], "%s", request_values[q]);
            }
            free_list(it, n);
            continue;
        }
        int p = -1;
        for (int k = 0; k < s->ps.n; k++)
            if (strcmp(s->ps.p[k].name, name) == 0) p = k;
        if (p < 0) {
            fprintf(stderr, "%s sweep: --vary: no parameter '%s' in data/models.conf%s%s\nsee '%s sweep --help'\n", prog,
                    name, op->params ? " or " : "", op->params ? op->params : "", prog);
            return EX_USAGE;
        }
        for (int j = 0; j < s->nax; j++)
            if (s->ax[j].kind == AX_PARAM && s->ax[j].param == p)
                return bad_usage("--vary: the parameter '%s' is given twice%s", name, "");
        if (!eq[1]) return bad_usage("--vary %s: the list of values is empty%s", name, "");
        if ((n = split_list(eq + 1, &it)) == -2) return EX_OSERR;
        if (n < 0) return bad_usage("--vary %s: an empty value in '%s'", name, eq + 1);
        axis *a = &s->ax[s->nax];
        if (axis_alloc(a, n)) return free_list(it, n), EX_OSERR;
        s->nax++;
        a->kind = AX_PARAM;
        a->param = p;
        memcpy(a->name, s->ps.p[p].name, sizeof a->name); /* both 48 bytes, NUL-terminated */
        for (int k = 0; k < n; k++) {
            char *end;
            double v = strtod(it[k], &end);
            if (*end || end == it[k] || !isfinite(v)) {
                int rc = bad_usage("--vary %s: '%s' is not a number", name, it[k]);
                free_list(it, n);
                return rc;
            }
            a->v[k] = v;
            fmt_value(a->text[k], v);
        }
        free_list(it, n);
    }
    /* strides: the last axis changes fastest */
    uint64_t cells = 1;
    for (int i = s->nax - 1; i >= 0; i--) {
        s->ax[i].stride = cells;
        if (cells * (uint64_t)s->ax[i].n > MAX_CELLS)
            return bad_usage("the grid has more than %s cells%s", "1000000", "");
        cells *= (uint64_t)s->ax[i].n;
    }
    s->ncells = cells;
    return 0;
}

static int value_of(const sweep *s, int a, uint64_t cell) { return (int)(cell / s->ax[a].stride % (uint64_t)s->ax[a].n); }

static int variant_of(const sweep *s, uint64_t cell)
{
    int r = s->rule_ax >= 0 ? value_of(s, s->rule_ax, cell) : 0, w = s->wd_ax >= 0 ? value_of(s, s->wd_ax, cell) : 0;
    int q = s->rq_ax >= 0 ? value_of(s, s->rq_ax, cell) : 0;
    return (r * s->nwd + w) * s->nrq + q;
}

/* The parameters of a cell, set in s->ps. */
static void set_params(sweep *s, uint64_t cell)
{
    for (int i = 0; i < s->nax; i++)
        if (s->ax[i].kind == AX_PARAM) s->ps.p[s->ax[i].param].value = s->ax[i].v[value_of(s, i, cell)];
}

/* The finalizer of SplitMix64 over seed + (cell + 1) * the golden ratio. */
static uint64_t cell_seed(uint64_t seed, uint64_t cell)
{
    uint64_t x = seed + (cell + 1) * 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* "cell,seed,axis values...,runs," */
static int row_prefix(const sweep *s, uint64_t cell, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%" PRIu64 ",%" PRIu64, cell, cell_seed(s->op.seed, cell));
    for (int i = 0; i < s->nax && n < size; i++) n += (size_t)snprintf(buf + n, size - n, ",%s", s->ax[i].text[value_of(s, i, cell)]);
    if (n < size) n += (size_t)snprintf(buf + n, size - n, ",%" PRIu64 ",", s->op.runs);
    return n < size ? (int)n : -1;
}

/* ------------------------------------------------------------------ */
/* The charter variants.                                                 */

static int set_switch(ent_db *db, const char *name, const char *value, ent_report *rep)
{
    return ent_set_switch(db, name, value, rep);
}

/* The base frame and one frame per charter variant; 0 or an exit status. */
static int make_frames(sweep *s)
{
    sweep_opts *op = &s->op;
    ent_report *rep = ent_report_new();
    ent_db *db = NULL;
    int rc = ent_open(&db, op->db, op->db ? ENT_OPEN_READONLY | ENT_OPEN_NOCREATE : 0, rep);
    for (int i = 0; rc == ENT_OK && i < op->nsets; i++) {
        char name[64];
        const char *eq = strchr(op->sets[i], '=');
        if (!eq || (size_t)(eq - op->sets[i]) >= sizeof name) {
            fprintf(stderr, "%s sweep: --set wants NAME=VALUE, not '%s'\n", prog, op->sets[i]);
            rc = ENT_EUSAGE;
            break;
        }
        memcpy(name, op->sets[i], (size_t)(eq - op->sets[i]));
        name[eq - op->sets[i]] = 0;
        rc = set_switch(db, name, eq + 1, rep);
    }
    char day[11];
    cli_today(day);
    ent_crisis c = { op->host, op->adversary, op->kind, op->force, op->at ? op->at : day, op->request };
    if (rc == ENT_OK) rc = ent_crisis_frame(db, &c, &s->base, rep);
    if (rc == ENT_OK && s->base.states[s->base.host].standing != 1 && s->base.states[s->base.host].standing != 2) {
        fprintf(stderr, "%s sweep: %s is not a member on %s: only a member may ask the organization for help\n", prog,
                s->base.states[s->base.host].code, s->base.date);
        rc = ENT_EINPUT;
    }
    int nrules = s->rule_ax >= 0 ? s->ax[s->rule_ax].n : 1, nvar = nrules * s->nwd * s->nrq;
    if (rc == ENT_OK && !(s->frames = calloc((size_t)nvar, sizeof *s->frames))) rc = ENT_ENOMEM;
    const char *limited_base = s->base.limited_ok ? "allowed" : "forbidden";
    for (int v = 0; rc == ENT_OK && v < nvar; v++) {
        if (s->rule_ax >= 0) {
            int r = (int)s->ax[s->rule_ax].v[v / (s->nwd * s->nrq)];
            rc = set_switch(db, "decision.rule", r <= R_LIMITED ? "consensus" : rule_values[r], rep);
            if (rc == ENT_OK)
                rc = set_switch(db, "decision.limited-format",
                                r == R_CONSENSUS ? "forbidden" : r == R_LIMITED ? "allowed" : limited_base, rep);
        }
        if (rc == ENT_OK && s->wd_ax >= 0)
            rc = set_switch(db, "mandate.withdrawal-days", s->ax[s->wd_ax].text[v / s->nrq % s->nwd], rep);
        if (rc == ENT_OK && s->rq_ax >= 0) rc = set_switch(db, "deploy.request", s->ax[s->rq_ax].text[v % s->nrq], rep);
        if (rc == ENT_OK) rc = ent_crisis_frame(db, &c, &s->frames[v], rep);
    }
    if (rc != ENT_OK) {
        const char *t = ent_report_text(rep);
        if (*t) fprintf(stderr, "%s", t);
        if (rc == ENT_ENOMEM) fprintf(stderr, "%s sweep: out of memory\n", prog);
    }
    ent_report_free(rep);
    ent_close(db);
    return rc == ENT_EUSAGE ? EX_USAGE : rc;
}

/* ------------------------------------------------------------------ */
/* The file: its header, resuming.                                      */

static void write_header(const sweep *s, FILE *o)
{
    const sweep_opts *op = &s->op;
    sim_header_crisis(o, "# ", "sweep", &s->base, op->severity, op->drawn);
    fprintf(o, "# seed %" PRIu64 ", %" PRIu64 " runs a cell, %" PRIu64 " cell%s; model %s, %d parameters (digest %016" PRIx64 ")%s%s\n",
            op->seed, op->runs, s->ncells, s->ncells == 1 ? "" : "s", op->model, s->ps.n, sim_params_digest(&s->ps), op->params ? " from " : "",
            op->params ? op->params : "");
    sim_header_charter(o, "# ", &s->base, op->sets, op->nsets);
    for (int i = 0; i < s->nax; i++) {
        const axis *a = &s->ax[i];
        fprintf(o, "# axis %s:", a->name);
        for (int k = 0; k < a->n; k++) fprintf(o, "%s%s", k ? ", " : " ", a->text[k]);
        if (a->kind == AX_RULE)
            fputs(" (decision.rule; consensus with decision.limited-format=forbidden, limited with =allowed)", o);
        else if (a->kind == AX_WITHDRAWAL) fputs(" (mandate.withdrawal-days)", o);
        else if (a->kind == AX_REQUEST) fputs(" (deploy.request)", o);
        else fputs(" (parameter)", o);
        fputc('\n', o);
    }
    fputs("# a cell is entente simulate --seed SEED --runs RUNS with its switches and parameters; SEED is\n"
          "# the SplitMix64 finalizer of seed + (cell + 1) * 0x9e3779b97f4a7c15\n",
          o);
    fputs("cell,seed", o);
    for (int i = 0; i < s->nax; i++) fprintf(o, ",%s", s->ax[i].name);
    fputs(",runs,p_adopted,p_adopted_lo,p_adopted_hi,p_deployed,p_deployed_lo,p_deployed_hi,p_mission,p_blocked,"
          "days_to_decision,days_to_arrival,troops,p_breach\n",
          o);
}

static char *header_text(const sweep *s, size_t *len)
{
    char *b = NULL;
    FILE *o = open_memstream(&b, len);
    if (!o) return NULL;
    write_header(s, o);
    if (fclose(o) != 0) {
        free(b);
        return NULL;
    }
    return b;
}

/* --resume: the rows FILE holds; a cut last row is cut off. 0 with *have
** (cells in the file; 0 and *fresh = 1 if the file is missing or holds no
** more than a part of the header), or an exit status. */
static int resume_scan(const sweep *s, uint64_t *have, int *fresh)
{
    const char *path = s->op.out;
    *have = 0;
    *fresh = 0;
    size_t len, hlen;
    errno = 0;
    char *text = sim_read_file(path, &len);
    if (!text) {
        if (errno == ENOENT) {
            *fresh = 1;
            return 0;
        }
        fprintf(stderr, "%s sweep: %s: %s\n", prog, path, strerror(errno ? errno : EIO));
        return EX_NOINPUT;
    }
    char *hdr = header_text(s, &hlen);
    if (!hdr) {
        free(text);
        fprintf(stderr, "%s sweep: out of memory\n", prog);
        return EX_OSERR;
    }
    int rc = 0;
    if (len < hlen && memcmp(text, hdr, len) == 0) {
        *fresh = 1; /* cut inside the header: start again */
    } else if (len < hlen || memcmp(text, hdr, hlen) != 0) {
        /* the first line that differs */
        size_t i = 0, line = 1, ls = 0;
        while (i < len && i < hlen && text[i] == hdr[i]) {
            if (text[i] == '\n') line++, ls = i + 1;
            i++;
        }
        const char *e = memchr(hdr + ls, '\n', hlen - ls);
        fprintf(stderr,
                "%s sweep: %s:%zu: not this sweep's file: the line should be\n  %.*s\n"
                "(a different crisis, seed, runs, model, parameters, switches or axes); nothing was changed\n",
                prog, path, line, e ? (int)(e - (hdr + ls)) : (int)(hlen - ls), hdr + ls);
        rc = EX_DATAERR;
    } else {
        size_t i = hlen, keep = hlen, hlines = 0;
        for (size_t k = 0; k < hlen; k++) hlines += hdr[k] == '\n';
        uint64_t cell = 0;
        char want[1024];
        while (i < len) {
            const char *nl = memchr(text + i, '\n', len - i);
            if (!nl) break; /* a cut row: dropped */
            size_t n = (size_t)(nl - (text + i));
            int w = cell < s->ncells ? row_prefix(s, cell, want, sizeof want) : -1;
            if (w < 0 || n <= (size_t)w || memcmp(text + i, want, (size_t)w) != 0) {
                fprintf(stderr, "%s sweep: %s:%" PRIu64 ": not row %" PRIu64 " of this sweep; nothing was changed\n", prog,
                        path, (uint64_t)hlines + cell + 1, cell);
                rc = EX_DATAERR;
                break;
            }
            cell++;
            i = keep = (size_t)(nl - text) + 1;
        }
        if (!rc && keep < len && truncate(path, (off_t)keep) != 0) {
            fprintf(stderr, "%s sweep: %s: %s\n", prog, path, strerror(errno));
            rc = EX_IOERR;
        }
        *have = cell;
    }
    free(hdr);
    free(text);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Rows and the progress bar (rank 0).                                   */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void bar_draw(sweep *s, int force)
{
    if (!s->bar) return;
    double t = now();
    if (!force && t - s->drawn < 0.2) return;
    s->drawn = t;
    uint64_t todo = s->ncells - s->first, total = todo * s->op.runs;
    double el = t - s->t0, frac = total ? (double)s->runs_done / (double)total : 1;
    char left[32] = "";
    if (s->runs_done > 0 && el > 0.5) {
        double r = el * ((double)total - (double)s->runs_done) / (double)s->runs_done;
        long sec = (long)(r + 0.5);
        if (sec >= 3600) snprintf(left, sizeof left, "%ld:%02ld:%02ld left", sec / 3600, sec / 60 % 60, sec % 60);
        else snprintf(left, sizeof left, "%ld:%02ld left", sec / 60, sec % 60);
    }
    char barbuf[31];
    int fill = (int)(frac * 30);
    for (int i = 0; i < 30; i++) barbuf[i] = i < fill ? '#' : '.';
    barbuf[30] = 0;
    fprintf(stderr, "\r[%s] %" PRIu64 "/%" PRIu64 " cells  %.1f cells/s  %.3g runs/s  %s\033[K", barbuf,
            s->first + s->cells_done, s->ncells, el > 0 ? (double)s->cells_done / el : 0.0,
            el > 0 ? (double)s->runs_done / el : 0.0, left);
    fflush(stderr);
}

static void bar_clear(sweep *s)
{
    if (s->bar) fputs("\r\033[K", stderr), fflush(stderr);
}

static void summarize(cell_sum *c, const sim_agg *a)
{
    c->runs = a->runs;
    c->adopted = a->outcome[1] + a->outcome[2];
    c->blocked = a->outcome[3];
    c->mission = a->outcome[SIM_MISSION];
    c->breached = a->breached;
    c->dec_n = a->decision.n, c->dec_sum = a->decision.sum;
    c->arr_n = a->arrival.n, c->arr_sum = a->arrival.sum;
    c->troops_n = a->troops_n, c->troops_sum = a->troops_sum;
    c->ready = 1;
}

static int write_row(sweep *s, uint64_t cell, const cell_sum *c)
{
    char row[2048];
    int n = row_prefix(s, cell, row, sizeof row);
    if (n < 0) return -1;
    sim_interval pa = sim_wilson(c->adopted, c->runs);
    double nn = c->runs ? (double)c->runs : 1;
    sim_interval pd = sim_wilson(c->arr_n, c->runs); /* forces deployed: a contingent arrived */
    n += snprintf(row + n, sizeof row - (size_t)n, "%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,", pa.p, pa.lo, pa.hi, pd.p,
                  pd.lo, pd.hi, (double)c->mission / nn, (double)c->blocked / nn);
    if (c->dec_n) n += snprintf(row + n, sizeof row - (size_t)n, "%.3f", (double)c->dec_sum / (double)c->dec_n);
    row[n++] = ',';
    if (c->arr_n) n += snprintf(row + n, sizeof row - (size_t)n, "%.3f", (double)c->arr_sum / (double)c->arr_n);
    row[n++] = ',';
    if (c->troops_n) n += snprintf(row + n, sizeof row - (size_t)n, "%.1f", (double)c->troops_sum / (double)c->troops_n);
    n += snprintf(row + n, sizeof row - (size_t)n, ",%.4f\n", (double)c->breached / nn);
    /* the whole row at once, then flushed: an interruption leaves complete rows */
    if (fwrite(row, 1, (size_t)n, s->out) != (size_t)n || fflush(s->out) != 0) return -1;
    return 0;
}

/* Rank 0: take the messages waiting, write the rows whose turn has come,
** redraw the bar. */
static void service(sweep *s)
{
    int kind, from, status;
    uint64_t cell;
    static sim_agg a;
    for (;;) {
        int got = s->size > 1 ? sim_par_poll(&kind, &from, &cell, &a, &status) : 0;
        if (got < 0 && !s->fatal) s->fatal = EX_SOFTWARE;
        if (got <= 0) break;
        if (kind == SIM_MSG_DONE) {
            s->ndone++;
            if (status == EX_INTERRUPTED) {
                s->stopping = 1; /* a signal to that process alone: stop all */
            } else if (status && !s->fatal) {
                fprintf(stderr, "%s sweep: process %d failed (status %d)\n", prog, from, status);
                s->fatal = status;
            }
        } else if (kind == SIM_MSG_CELL && cell >= s->first && cell < s->ncells) {
            summarize(&s->sums[cell - s->first], &a);
            s->runs_done += a.runs;
            s->cells_done++;
        }
    }
    while (!s->stopping && !s->fatal && s->next < s->ncells && s->sums[s->next - s->first].ready) {
        if (write_row(s, s->next, &s->sums[s->next - s->first])) {
            bar_clear(s);
            fprintf(stderr, "%s sweep: %s: %s\n", prog, s->out == stdout ? "standard output" : s->op.out,
                    strerror(errno ? errno : EIO));
            s->fatal = EX_IOERR;
            break;
        }
        s->next++;
    }
    bar_draw(s, 0);
}

/* ------------------------------------------------------------------ */
/* Computing.                                                            */

static int stop_now(sweep *s)
{
    if (got_signal) return 1;
    if (s->rank == 0) return s->stopping || s->fatal;
    return s->size > 1 && sim_par_stopped();
}

/* A cell's aggregate; 0, 1 if stopped before the end, or an exit status. */
static int compute_cell(sweep *s, uint64_t cell, sim_agg *a)
{
    char err[256];
    memset(a, 0, sizeof *a);
    set_params(s, cell);
    if (sim_model_make(&s->model, &s->frames[variant_of(s, cell)], &s->ps, s->op.model, s->op.severity, err, sizeof err))
        return EX_SOFTWARE; /* every cell was made once before the start: never */
    sim_model_asking(&s->model, s->op.drawn);
    uint64_t seed = cell_seed(s->op.seed, cell);
    for (uint64_t from = 0; from < s->op.runs; from += CHUNK) {
        if (stop_now(s)) return 1;
        uint64_t to = s->op.runs - from < CHUNK ? s->op.runs : from + CHUNK;
        if (sim_runs(&s->model, seed, from, to, s->op.threads, a, NULL, NULL)) return EX_OSERR;
        if (s->rank == 0) {
            s->runs_done += to - from;
            service(s);
        }
    }
    return 0;
}

/* The cells of this process, until there is none left or a stop: each from
** the counter, or first + rank, then K by K. */
static int compute(sweep *s)
{
    static sim_agg a;
    int rc = 0;
    for (uint64_t c = s->first + (uint64_t)s->rank;; c += (uint64_t)s->size) {
        if (stop_now(s)) break;
        if (s->deal && (c = sim_par_deal_take(NULL, 1)) == UINT64_MAX) {
            rc = EX_SOFTWARE; /* MPI failed: the cells left are nobody's */
            break;
        }
        if (c >= s->ncells) break;
        rc = compute_cell(s, c, &a);
        if (rc == 1) {
            rc = 0;
            break;
        }
        if (rc) break;
        if (s->rank == 0) {
            summarize(&s->sums[c - s->first], &a);
            s->cells_done++;
            service(s);
        } else if (sim_par_send_cell(c, &a)) {
            rc = EX_SOFTWARE;
            break;
        }
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* The command.                                                          */

static void print_quoted(FILE *o, const char *a)
{
    int plain = *a != 0;
    for (const char *p = a; *p; p++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+=.,:/@%", *p)) plain = 0;
    if (plain) {
        fputs(a, o);
        return;
    }
    fputc('\'', o);
    for (const char *p = a; *p; p++) {
        if (*p == '\'') fputs("'\\''", o);
        else fputc(*p, o);
    }
    fputc('\'', o);
}

static void resume_hint(const sweep *s)
{
    fprintf(stderr, "%s sweep: interrupted: %s holds the first %" PRIu64 " of %" PRIu64 " cells, complete rows\n", prog,
            s->out == stdout ? "standard output" : s->op.out, s->next, s->ncells);
    if (s->out == stdout) return;
    fputs("to go on: ", stderr);
    if (s->size > 1) fprintf(stderr, "mpirun -np %d ", s->size);
    fprintf(stderr, "%s sweep", prog);
    for (int i = 1; i < s->argc; i++) {
        fputc(' ', stderr);
        print_quoted(stderr, s->argv[i]);
    }
    if (!s->op.resume) fputs(" --resume", stderr);
    fputc('\n', stderr);
}

static int parse_opts(sweep *s, int argc, char **argv)
{
    sweep_opts *op = &s->op;
    op->kind = "unrest";
    op->model = "interest";
    op->severity = 0.5;
    op->runs = 10000;
    op->seed = 1;
    op->threads = 1;
    op->progress = -1;
    static const struct option lo[] = {
        { "host", required_argument, NULL, 'H' },     { "kind", required_argument, NULL, 'k' },
        { "adversary", required_argument, NULL, 'A' }, { "severity", required_argument, NULL, 'S' },
        { "at", required_argument, NULL, 'a' },       { "force", required_argument, NULL, 'F' },
        { "model", required_argument, NULL, 'M' },    { "params", required_argument, NULL, 'P' },
        { "runs", required_argument, NULL, 'n' },     { "seed", required_argument, NULL, 's' },
        { "set", required_argument, NULL, 'W' },      { "db", required_argument, NULL, 'd' },
        { "rule", required_argument, NULL, 'R' },     { "withdrawal", required_argument, NULL, 'w' },
        { "vary", required_argument, NULL, 'V' },     { "out", required_argument, NULL, 'o' },
        { "resume", no_argument, NULL, 'r' },         { "progress", no_argument, NULL, 'p' },
        { "request", required_argument, NULL, 'Q' },
        { "help", no_argument, NULL, 'h' },           { NULL, 0, NULL, 0 }
    };
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":hj:", lo, NULL)) != -1) {
        switch (ch) {
        case 'h': sweep_usage(stdout); return -1;
        case 'H': op->host = optarg; break;
        case 'k': op->kind = optarg; break;
        case 'A': op->adversary = optarg; break;
        case 'a': op->at = optarg; break;
        case 'F': op->force = optarg; break;
        case 'M': op->model = optarg; break;
        case 'P': op->params = optarg; break;
        case 'd': op->db = optarg; break;
        case 'o': op->out = optarg; break;
        case 'r': op->resume = 1; break;
        case 'p': op->progress = 1; break;
        case 'Q':
            if (sim_request_arg(optarg, &op->request, &op->drawn))
                return bad_usage("--request is assistance, consultations, none or model, not '%s'%s", optarg, "");
            break;
        case 'R':
            if (op->rules) return bad_usage("--rule is given twice (one comma list: --rule consensus,majority)%s%s", "", "");
            op->rules = optarg;
            break;
        case 'w':
            if (op->withdrawals) return bad_usage("--withdrawal is given twice (one comma list: --withdrawal 10,30)%s%s", "", "");
            op->withdrawals = optarg;
            break;
        case 'V':
            if (op->nvary == MAX_VARY) return bad_usage("more than %s --vary%s", "16", "");
            op->vary[op->nvary++] = optarg;
            break;
        case 'S': {
            char *end;
            op->severity = strtod(optarg, &end);
            if (*end || end == optarg || !(op->severity >= 0 && op->severity <= 1))
                return bad_usage("--severity is from 0 to 1, not '%s'%s", optarg, "");
            break;
        }
        case 'n':
            if (parse_u64(optarg, &op->runs) || op->runs == 0 || op->runs > (1ull << 40))
                return bad_usage("--runs wants a whole number from 1, not '%s'%s", optarg, "");
            break;
        case 's':
            if (parse_u64(optarg, &op->seed)) return bad_usage("--seed wants a whole number, not '%s'%s", optarg, "");
            break;
        case 'j': {
            uint64_t t;
            if (parse_u64(optarg, &t) || t < 1 || t > 64) return bad_usage("-j wants 1 to 64 threads, not '%s'%s", optarg, "");
            op->threads = (int)t;
            break;
        }
        case 'W':
            if (op->nsets == 16) return bad_usage("too many --set%s%s", "", "");
            op->sets[op->nsets++] = optarg;
            break;
        case ':': return bad_usage("option '%s' needs a value%s", argv[optind - 1], "");
        default: return bad_usage("unknown option '%s'%s", argv[optind - 1], "");
        }
    }
    if (optind < argc) return bad_usage("unexpected argument '%s'%s", argv[optind], "");
    if (!op->host) return bad_usage("--host STATE is required%s%s", "", "");
    if (!op->out) return bad_usage("--out FILE is required ('-': standard output)%s%s", "", "");
    if (op->resume && strcmp(op->out, "-") == 0) return bad_usage("--resume needs a file, not standard output%s%s", "", "");
    for (int i = 0; i < op->nsets; i++) {
        const char *w = op->sets[i];
        if (op->rules && (strncmp(w, "decision.rule=", 14) == 0 || strncmp(w, "decision.limited-format=", 24) == 0))
            return bad_usage("--set %s: --rule sets that switch in each cell; give one or the other%s", w, "");
        if (op->withdrawals && strncmp(w, "mandate.withdrawal-days=", 24) == 0)
            return bad_usage("--set %s: --withdrawal sets that switch in each cell; give one or the other%s", w, "");
    }
    return 0;
}

static void sweep_free(sweep *s)
{
    axes_free(s);
    free(s->frames);
    free(s->sums);
}

int sim_sweep_main(const char *p, int argc, char **argv)
{
    prog = p;
    static sweep s;
    memset(&s, 0, sizeof s);
    s.argc = argc;
    s.argv = argv;
    sim_par_env(&s.rank, &s.size);
    if (s.size > 1 && s.rank > 0) sim_par_quiet();
    int rc = parse_opts(&s, argc, argv);
    if (rc) return rc < 0 ? 0 : rc;
    /* everything that can be wrong with the input is found before anything is written */
    if ((rc = sim_load_params(&s.ps, s.op.params, prog, "sweep")) || (rc = make_axes(&s)) || (rc = make_frames(&s))) {
        sweep_free(&s);
        return rc;
    }
    char err[256];
    if (sim_model_make(&s.model, &s.base, &s.ps, s.op.model, s.op.severity, err, sizeof err)) {
        sweep_free(&s);
        return bad_usage("%s%s", err, "");
    }
    static sim_params base;
    base = s.ps;
    for (uint64_t c = 0; c < s.ncells; c++) {
        set_params(&s, c);
        if (sim_model_make(&s.model, &s.frames[variant_of(&s, c)], &s.ps, s.op.model, s.op.severity, err, sizeof err)) {
            fprintf(stderr, "%s sweep: cell %" PRIu64 " (", prog, c);
            for (int i = 0; i < s.nax; i++)
                fprintf(stderr, "%s%s=%s", i ? ", " : "", s.ax[i].name, s.ax[i].text[value_of(&s, i, c)]);
            fprintf(stderr, "): %s\n", err);
            sweep_free(&s);
            return EX_USAGE;
        }
    }
    s.ps = base; /* the header's digest is of the parameters without the axes */

    if (sim_par_init(s.size, err, sizeof err)) {
        fprintf(stderr, "%s sweep: %s\n", prog, err);
        sweep_free(&s);
        return EX_SOFTWARE;
    }
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* a signal ignored when we started stays ignored (a background job of a script, nohup) */
    sigaction(SIGINT, NULL, &old_int);
    sigaction(SIGHUP, NULL, &old_hup);
    if (old_int.sa_handler != SIG_IGN) sigaction(SIGINT, &sa, NULL);
    if (old_hup.sa_handler != SIG_IGN) sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, &old_term);

    /* rank 0 opens the file (or takes up a resumed one) and tells the others where to start */
    uint64_t start = 0;
    if (s.rank == 0) {
        int fresh = 1;
        if (s.op.resume) rc = resume_scan(&s, &start, &fresh);
        if (!rc) {
            int std = strcmp(s.op.out, "-") == 0;
            s.out = std ? stdout : fopen(s.op.out, fresh ? "w" : "a");
            if (!s.out) {
                fprintf(stderr, "%s sweep: %s: %s\n", prog, s.op.out, strerror(errno));
                rc = EX_CANTCREAT;
            } else if (fresh) {
                write_header(&s, s.out);
                if (fflush(s.out) != 0) {
                    fprintf(stderr, "%s sweep: %s: %s\n", prog, std ? "standard output" : s.op.out, strerror(errno));
                    rc = EX_IOERR;
                }
            }
        }
        if (!rc && start < s.ncells && !(s.sums = calloc((size_t)(s.ncells - start), sizeof *s.sums))) {
            fprintf(stderr, "%s sweep: out of memory\n", prog);
            rc = EX_OSERR;
        }
        if (!rc && start == s.ncells && s.op.resume)
            fprintf(stderr, "%s sweep: %s holds every cell already (%" PRIu64 ")\n", prog, s.op.out, s.ncells);
    }
    uint64_t word = rc ? UINT64_MAX : start;
    if (sim_par_bcast_u64(&word)) rc = rc ? rc : EX_SOFTWARE;
    if (word == UINT64_MAX) {
        /* rank 0 failed and said so: the others stop quietly */
        if (s.out && s.out != stdout) fclose(s.out);
        sim_par_finalize();
        sweep_free(&s);
        return s.rank == 0 ? rc : 0;
    }
    s.first = s.next = word;
    s.bar = s.rank == 0 && s.first < s.ncells &&
            (s.op.progress == 1 || (s.op.progress < 0 && isatty(2) && !(s.out == stdout && isatty(1))));
    s.t0 = now();

    /* the cells from a counter on rank 0; -1 (an MPI error) is as fatal as MPI's own */
    s.deal = s.size > 1 ? sim_par_deal_open(s.first) : 1;
    if (s.deal < 0) sim_par_abort(EX_SOFTWARE);
    s.deal = s.deal == 0;
    rc = compute(&s);
    if (s.rank == 0) {
        if (rc && !s.fatal) s.fatal = rc;
        if (got_signal) s.stopping = 1;
        /* the rows still to come from the other processes */
        while (s.size > 1 && !s.stopping && !s.fatal && s.next < s.ncells) {
            service(&s);
            if (got_signal) s.stopping = 1;
            if (s.next < s.ncells) nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
        }
        /* stopped: no row is written after this, and the message goes out at once
        ** (under mpirun every process may be killed from now on) */
        int interrupted = !s.fatal && s.next < s.ncells;
        s.stopping = 1;
        bar_clear(&s);
        if (interrupted) resume_hint(&s);
        if (s.size > 1) {
            if (interrupted || s.fatal)
                for (int r = 1; r < s.size; r++) sim_par_send_stop(r);
            while (s.ndone < s.size - 1) {
                service(&s);
                if (s.ndone < s.size - 1) nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
            }
        }
        if (s.out && s.out != stdout && fclose(s.out) != 0 && !s.fatal) {
            fprintf(stderr, "%s sweep: %s: %s\n", prog, s.op.out, strerror(errno));
            s.fatal = EX_IOERR;
        }
        if (s.out == stdout && fflush(stdout) != 0 && !s.fatal) s.fatal = EX_IOERR;
        rc = s.fatal ? s.fatal : interrupted ? EX_INTERRUPTED : 0;
        if (rc == EX_OSERR) fprintf(stderr, "%s sweep: out of memory\n", prog);
    } else if (s.size > 1) {
        /* done, stopped by process 0, or interrupted here (then process 0 stops too) */
        sim_par_send_done(rc ? rc : got_signal ? EX_INTERRUPTED : 0);
        rc = 0;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    /* every process waits here for the others, so none leaves before process 0 has
    ** written its last row and its message: under mpirun, Ctrl-C makes mpirun send
    ** SIGTERM to every process and kill them all as soon as one exits (or a second
    ** later), and MPI_Finalize (and before it freeing the counter's window, which
    ** every process does) waits for that */
    if (s.deal && sim_par_deal_close() && s.rank == 0 && !rc) rc = EX_SOFTWARE;
    sim_par_finalize();
    sweep_free(&s);
    return rc;
}
