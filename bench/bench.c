/*
** bench.c: entente's benchmarks (make bench). Not a test: it measures.
**
** The machine is shared, so no figure stands alone: each comes with a
** ratio against a peer measured side by side in the same repetition, and
** every figure and ratio printed is the median over the repetitions (the
** ratio is taken within each repetition, then its median is printed).
**
**   apply    a KZ-2022-like cycle of 16 acts (request, proposal, 6 votes, UN
**            notice, 2 contributions, 2 arrivals, completion, 2 leaves),
**            repeated with fresh ids and increasing dates, on a bare CSTO
**            state whose six members joined first. The lines are parsed in
**            chunks of CHUNK_CYCLES cycles outside the timed apply loop;
**            ent__inst_apply is timed over each parsed chunk, and ent__parse
**            of the same chunk is timed as the peer (parse-only).
**   replay   the same stream (1,000,006 events by default) written to a
**            journal file with ent_run in batches; then ent_open on it
**            (verify the chain + replay every event) is timed against a raw
**            ent__journal_scan with no callback (SQLite read + BLAKE2b chain
**            verification only), and against a scan whose callback rebuilds
**            and parses each line without applying it (the breakdown). The
**            order of scans and open alternates between repetitions.
**   memory   the replayed state's own bytes (vector capacities x element
**            sizes + symbol pool + hash tables) and the peak RSS (VmHWM) of a
**            fresh process (this program, --child-open) that only opens the
**            1M-event journal; then the time of ent_run of one line on it,
**            against ent__inst_clone of its state.
**   durable  a file journal (WAL, synchronous=FULL), the store API directly:
**            one begin/append/commit per event (2,000 events) versus commits
**            of 1,000 events (200,000 events).
**   sim      the simulator (src/sim) on the Kazakhstan 2022 crisis (KZ,
**            unrest, severity 0.8, 2022-01-05, the default interest model):
**            sim_runs on one thread, then the same runs on two threads (the
**            aggregates must be identical); the peer is the same model written
**            with SimPy 3 (bench/peers/sim_simpy.py, run by /usr/bin/python3 on
**            the model `entente simulate --dump-model` writes, through
**            sim_main), with a runs count that takes ~2 s; its own runs/s.
**   mpi      `mpirun -np 1` and `-np 2` of build/bench/entente simulate on the
**            same crisis, runs enough for ~10 s on one process, wall time
**            including mpirun's start-up; the two outputs must be the same.
**
** Rates are wall-clock; the details also give the rates by CPU time of the
** process, which leave out the time spent waiting for a core.
**
** Usage: bench-core [--events N] [--reps R] [--quick] [--only apply|replay|durable|sim|mpi]
**                   [--journal PATH]   (replay: keep the journal there and reuse it; for profiling)
** Output: a markdown table on stdout (name | figure | unit | ratio | target |
** met?), then the per-repetition figures; progress on stderr.
** Files go to $TMPDIR (default /tmp) and are removed at the end.
*/
#include "../src/api/api.h"
#include "../src/sim/sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CYCLE_ACTS   16
#define CHUNK_CYCLES 512          /* 8,192 lines parsed, then applied */
#define RUN_CYCLES   2048         /* cycles (32,768 lines) given to one ent_run while generating */
#define MAXREPS      21

/* ------------------------------------------------------------------ */
/* Small helpers.                                                       */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this process: on a shared machine it leaves out the time the
** process waited for a core (but not cache interference). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench-core: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(70);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double t[MAXREPS];
    memcpy(t, v, (size_t)n * sizeof *t);
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static double vmin(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++) if (v[i] < m) m = v[i];
    return m;
}

static double vmax(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++) if (v[i] > m) m = v[i];
    return m;
}

static void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void progress(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}

/* "12,345,678" */
static const char *grouped(double x, char *buf, size_t n)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.0f", x);
    size_t len = strlen(raw), o = 0;
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = 0;
    return buf;
}

/* ------------------------------------------------------------------ */
/* The stream: a KZ-2022-like cycle with fresh ids and increasing dates.  */

static const char *const HOSTS[] = { "KZ", "KG", "TJ", "AM" };
static const char *const VOTERS[] = { "AM", "BY", "KZ", "KG", "RU", "TJ" };

static const char JOINS[] =
    "1992-05-15 AM join src=S4\n"
    "1992-05-15 KZ join src=S4\n"
    "1992-05-15 KG join src=S4\n"
    "1992-05-15 RU join src=S4\n"
    "1992-05-15 TJ join src=S4\n"
    "1993-12-31 BY join src=S3,S4\n";
#define NJOINS 6

static ent_date first_day(void)
{
    ent_date d;
    ent__date_make(2008, 1, 1, &d); /* after the CPKF (2007-10-06) and the rules it needs */
    return d;
}

/* Append the 16 lines of cycle k (8 days from its first) to b. */
static void gen_cycle(ent_buf *b, uint64_t k)
{
    char d0[11], d3[11], d5[11], d8[11], id[40];
    ent_date d = first_day() + (ent_date)(8 * k);
    const char *h = HOSTS[k % 4];
    snprintf(id, sizeof id, "%s-%llu", h, (unsigned long long)k);
    ent__date_format(d, d0);
    ent__date_format(d + 3, d3);
    ent__date_format(d + 5, d5);
    ent__date_format(d + 8, d8);
    ent__buf_printf(b, "%s %s request assistance id=%s-R article=treaty-4 src=S98,S99 "
                       "\"Appeal for collective assistance under the CST\"\n", d0, h, id);
    ent__buf_printf(b, "%s CSC propose deploy id=%s-D force=CPKF host=%s request=%s-R days=30 src=S99,S100 "
                       "\"Collective Peacekeeping Forces, for a limited time\"\n", d0, id, h, id);
    for (int v = 0; v < 6; v++) ent__buf_printf(b, "%s %s vote %s-D yes src=S99,S100\n", d0, VOTERS[v], id);
    ent__buf_printf(b, "%s SG notify-un %s-D src=X1,X2\n", d0, id);
    ent__buf_printf(b, "%s RU contribute %s-D troops=1080 src=S103,S105\n", d0, id);
    ent__buf_printf(b, "%s BY contribute %s-D troops=500 src=S103\n", d0, id);
    ent__buf_printf(b, "%s RU arrive %s-D src=S101,S102\n", d0, id);
    ent__buf_printf(b, "%s BY arrive %s-D src=S105\n", d3, id);
    ent__buf_printf(b, "%s %s complete %s-D src=S107\n", d5, h, id);
    ent__buf_printf(b, "%s RU leave %s-D src=S107,S108\n", d8, id);
    ent__buf_printf(b, "%s BY leave %s-D src=S107,S108\n", d8, id);
}

/* Lines of cycles [from, to). */
static void gen_cycles(ent_buf *b, uint64_t from, uint64_t to)
{
    ent__buf_reset(b);
    for (uint64_t k = from; k < to; k++) gen_cycle(b, k);
    if (b->oom) die("out of memory generating the stream");
}

static void parse_or_die(const char *text, size_t len, ent_arena *arena, ent_vec *stmts)
{
    ent_diags dg;
    ent__diags_init(&dg);
    int bad = ent__parse("bench", text, len, ENT_DATE_NONE, arena, stmts, &dg);
    if (bad || stmts->oom || arena->oom) {
        ent_buf t = { 0 };
        ent__diags_render(&dg, &t);
        die("the generated stream does not parse:\n%.2000s", t.p ? t.p : "(oom)");
    }
    ent__diags_free(&dg);
}

static void apply_or_die(ent_inst *s, const ent_stmt *st)
{
    ent_outcome o;
    if (ent__inst_apply(s, st, &o) != ENT_V_OK)
        die("line %u of the stream is not valid: %s [%s]", st->line, o.msg, o.rule ? o.rule : "-");
}

/* ------------------------------------------------------------------ */
/* Memory of a state.                                                   */

static size_t vec_bytes(const ent_vec *v) { return v->cap * v->elem; }

static size_t inst_bytes(const ent_inst *s, ent_buf *detail)
{
    struct { const char *name; size_t bytes; } part[] = {
        { "pool", s->pool.cap },
        { "symtab (with the record index)", (size_t)s->symcap * sizeof *s->symtab },
        { "members", vec_bytes(&s->members) },
        { "chairs", vec_bytes(&s->chairs) },
        { "sgs", vec_bytes(&s->sgs) },
        { "recs", vec_bytes(&s->recs) },
        { "requests", vec_bytes(&s->requests) },
        { "auths", vec_bytes(&s->auths) },
        { "proposals", vec_bytes(&s->proposals) },
        { "contribs", vec_bytes(&s->contribs) },
        { "breaches", vec_bytes(&s->breaches) },
        { "ent_inst", sizeof *s },
    };
    size_t total = 0;
    for (size_t i = 0; i < sizeof part / sizeof part[0]; i++) {
        total += part[i].bytes;
        if (detail && part[i].bytes >= 4096)
            ent__buf_printf(detail, "%s%s %.1f MiB", detail->len ? ", " : "", part[i].name,
                            (double)part[i].bytes / 1048576.0);
    }
    if (detail)
        ent__buf_printf(detail, " (sizeof ent_proposal = %zu, ent_contrib = %zu, ent_request = %zu; "
                                "%zu proposals, %zu contributions, %zu requests, %u symbols)",
                        sizeof(ent_proposal), sizeof(ent_contrib), sizeof(ent_request), s->proposals.len,
                        s->contribs.len, s->requests.len, s->nsyms);
    return total;
}

/* ------------------------------------------------------------------ */
/* Results.                                                             */

typedef struct row {
    char name[64];
    char figure[32];
    char unit[16];
    char ratio[96];
    char target[40];
    char met[24];
} row;

static row rows[32];
static int nrows;
static ent_buf details;

static row *add_row(const char *name, const char *unit)
{
    row *r = &rows[nrows++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->unit, sizeof r->unit, "%s", unit);
    snprintf(r->target, sizeof r->target, "-");
    snprintf(r->met, sizeof r->met, "-");
    return r;
}

static void detail_reps(const char *what, const double *v, int n, const char *unit)
{
    char b[32], b2[32]; /* one buffer per figure of a call: both are read after both are made */
    ent__buf_printf(&details, "- %s (%s): median %s, min %s", what, unit, grouped(median(v, n), b, sizeof b),
                    grouped(vmin(v, n), b2, sizeof b2));
    ent__buf_printf(&details, ", max %s; runs:", grouped(vmax(v, n), b, sizeof b));
    for (int i = 0; i < n; i++) ent__buf_printf(&details, " %s", grouped(v[i], b, sizeof b));
    ent__buf_putc(&details, '\n');
}

static void detail_ratio(const char *what, const double *v, int n)
{
    ent__buf_printf(&details, "- %s: median %.2f, min %.2f, max %.2f; runs:", what, median(v, n), vmin(v, n),
                    vmax(v, n));
    for (int i = 0; i < n; i++) ent__buf_printf(&details, " %.2f", v[i]);
    ent__buf_putc(&details, '\n');
}

/* ------------------------------------------------------------------ */
/* Options and files.                                                   */

static uint64_t opt_cycles = 62500;   /* 62,500 x 16 + 6 joins = 1,000,006 events */
static int opt_reps = 5;
static int opt_reps_replay = 3;
static int opt_reps_durable = 3;
static int opt_per_event = 2000;
static int opt_batched = 200000;
static int opt_batch = 1000;
static const char *opt_only;
static const char *opt_journal;       /* --journal PATH: kept between runs, for profiling */
static char tmpdir[512];

static void path_in(char *out, size_t n, const char *name) { snprintf(out, n, "%s/%s", tmpdir, name); }

static void remove_db(const char *path)
{
    static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
    char p[600];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

/* On any exit (die() included): remove what this run wrote to tmpdir. */
static void cleanup_tmpdir(void)
{
    char p[600];
    if (!tmpdir[0]) return;
    path_in(p, sizeof p, "replay.db");
    remove_db(p);
    path_in(p, sizeof p, "durable.db");
    remove_db(p);
    path_in(p, sizeof p, "kz-2022.model.json");
    unlink(p);
    rmdir(tmpdir);
}

static off_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : 0;
}

/* ------------------------------------------------------------------ */
/* MPI: two processes against one.                                      */

/* The entente binary beside this one (make bench builds both) and mpirun. */
#define MPI_ENTENTE "build/bench/entente"

/* One node, no network: Open MPI's shared-memory transport (pml ob1 with
** the btl's self and vader). Left to itself, Open MPI 4.1 first probes the
** UCX pml, which costs each process about 0.2 s of start-up here and moves
** nothing that the shared-memory path would not. */
#define MPI_OPTS "--allow-run-as-root --oversubscribe --mca pml ob1 --mca btl self,vader"

/* Wall seconds of `mpirun -np NP entente simulate ... --runs RUNS`, its
** output to FILE; -1 if it fails. */
static double time_mpirun(int np, uint64_t runs, const char *file)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mpirun " MPI_OPTS " -np %d %s simulate --host KZ --at 2022-01-05 "
             "--severity 0.8 --runs %llu --json > %s 2>/dev/null",
             np, MPI_ENTENTE, (unsigned long long)runs, file);
    double t0 = now();
    int rc = system(cmd);
    double t = now() - t0;
    return rc == 0 ? t : -1;
}

static int same_file(const char *a, const char *b)
{
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, b);
    return system(cmd) == 0;
}

static void bench_mpi(void)
{
    row *w = add_row("simulate: two MPI processes", "crises/s");
    snprintf(w->target, sizeof w->target, ">= 1.8x one process");
    if (system("command -v mpirun >/dev/null 2>&1") != 0 || access(MPI_ENTENTE, X_OK) != 0) {
        snprintf(w->figure, sizeof w->figure, "n/a");
        snprintf(w->ratio, sizeof w->ratio, "no mpirun or no %s", MPI_ENTENTE);
        return;
    }
    char f1[600], f2[600];
    path_in(f1, sizeof f1, "mpi1.json");
    path_in(f2, sizeof f2, "mpi2.json");
    /* about 15 s on one process, so mpirun's start-up (0.1-0.3 s) weighs
    ** little; the start-up alone (a run of 1,000 crises) is reported too */
    uint64_t runs = 4000000;
    double t = time_mpirun(1, runs, f1);
    if (t <= 0) {
        snprintf(w->figure, sizeof w->figure, "n/a");
        snprintf(w->ratio, sizeof w->ratio, "mpirun failed");
        return;
    }
    runs = (uint64_t)((double)runs * 15.0 / t);
    runs = runs < 1000000 ? 1000000 : runs;
    /* as many repetitions as the other rows (a shared host takes a vCPU
    ** now and then, which two processes feel and one does not: the median
    ** of five is steadier than of three), the order alternating */
    int reps = opt_reps, same = 1;
    double one[MAXREPS], two[MAXREPS], ratio[MAXREPS], up1[MAXREPS], up2[MAXREPS];
    for (int r = 0; r < reps; r++) {
        double t1, t2;
        up1[r] = time_mpirun(1, 1000, f1), up2[r] = time_mpirun(2, 1000, f2);
        if (r % 2 == 0)
            t1 = time_mpirun(1, runs, f1), t2 = time_mpirun(2, runs, f2);
        else
            t2 = time_mpirun(2, runs, f2), t1 = time_mpirun(1, runs, f1);
        if (t1 <= 0 || t2 <= 0) {
            snprintf(w->figure, sizeof w->figure, "n/a");
            snprintf(w->ratio, sizeof w->ratio, "mpirun failed");
            return;
        }
        same &= same_file(f1, f2);
        one[r] = (double)runs / t1, two[r] = (double)runs / t2, ratio[r] = t1 / t2;
    }
    unlink(f1);
    unlink(f2);
    double rt = median(ratio, reps);
    grouped(median(two, reps), w->figure, sizeof w->figure);
    snprintf(w->ratio, sizeof w->ratio, "%.2fx one process; outputs identical: %s", rt, same ? "yes" : "NO");
    snprintf(w->met, sizeof w->met, rt >= 1.8 && same ? "yes" : "NO");
    char b[32];
    ent__buf_printf(&details, "- mpi: `mpirun " MPI_OPTS " -np 1|2 %s simulate` of the Kazakhstan 2022 crisis, %s "
                              "runs, wall time including mpirun's start-up, %d repetitions\n",
                    MPI_ENTENTE, grouped((double)runs, b, sizeof b), reps);
    detail_ratio("start-up, seconds for 1,000 crises: one process", up1, reps);
    detail_ratio("start-up, seconds for 1,000 crises: two processes", up2, reps);
    detail_reps("one process", one, reps, "crises/s");
    detail_reps("two processes", two, reps, "crises/s");
    detail_ratio("two/one processes ratio", ratio, reps);
}

/* ------------------------------------------------------------------ */
/* 1. Apply in memory, against parse-only.                              */

static void bench_apply(ent_db *db)
{
    double apply_rate[MAXREPS], parse_rate[MAXREPS], ratio[MAXREPS], apply_cpu[MAXREPS], parse_cpu[MAXREPS];
    int reps = opt_reps;
    uint64_t nacts = opt_cycles * CYCLE_ACTS;
    ent_buf text = { 0 };
    ent_arena arena = { 0 };
    ent_vec stmts;
    ent__vec_init(&stmts, sizeof(ent_stmt));
    size_t state_bytes = 0;

    /* warm-up: size the statement vector and the arena once, untimed */
    gen_cycles(&text, 0, CHUNK_CYCLES);
    parse_or_die(text.p, text.len, &arena, &stmts);

    for (int r = 0; r < reps; r++) {
        ent_inst s;
        if (ent__inst_init(&s, &db->charter, &db->world)) die("oom");
        stmts.len = 0;
        parse_or_die(JOINS, sizeof JOINS - 1, &arena, &stmts);
        for (size_t i = 0; i < stmts.len; i++) apply_or_die(&s, &ENT_VEC_AT(&stmts, ent_stmt, i));
        double t_parse = 0, t_apply = 0, c_parse = 0, c_apply = 0;
        for (uint64_t k = 0; k < opt_cycles; k += CHUNK_CYCLES) {
            uint64_t end = k + CHUNK_CYCLES < opt_cycles ? k + CHUNK_CYCLES : opt_cycles;
            gen_cycles(&text, k, end);
            stmts.len = 0;
            ent__arena_clear(&arena);
            double c0 = cpu_now(), t0 = now();
            parse_or_die(text.p, text.len, &arena, &stmts);
            double t1 = now(), c1 = cpu_now();
            const ent_stmt *st = stmts.p;
            size_t n = stmts.len;
            for (size_t i = 0; i < n; i++) {
                ent_outcome o;
                if (ent__inst_apply(&s, &st[i], &o) != ENT_V_OK) apply_or_die(&s, &st[i]);
            }
            double t2 = now(), c2 = cpu_now();
            t_parse += t1 - t0;
            t_apply += t2 - t1;
            c_parse += c1 - c0;
            c_apply += c2 - c1;
        }
        if (s.nevents != nacts + NJOINS) die("applied %llu acts, expected %llu", (unsigned long long)s.nevents,
                                             (unsigned long long)(nacts + NJOINS));
        apply_rate[r] = (double)nacts / t_apply;
        parse_rate[r] = (double)nacts / t_parse;
        ratio[r] = apply_rate[r] / parse_rate[r];
        apply_cpu[r] = (double)nacts / c_apply;
        parse_cpu[r] = (double)nacts / c_parse;
        if (r == 0) state_bytes = inst_bytes(&s, NULL);
        ent__inst_free(&s);
        progress("  apply rep %d: %.0f acts/s applied, %.0f lines/s parsed\n", r + 1, apply_rate[r], parse_rate[r]);
    }
    ent__buf_free(&text);
    ent__arena_free(&arena);
    ent__vec_free(&stmts);

    char b[32], nb[32];
    double ar = median(apply_rate, reps), rr = median(ratio, reps);
    row *w = add_row("apply: acts validated+applied in memory", "acts/s");
    grouped(ar, w->figure, sizeof w->figure);
    snprintf(w->ratio, sizeof w->ratio, "%.2fx parse-only of the same lines", rr);
    snprintf(w->target, sizeof w->target, ">= 5,000,000 acts/s");
    snprintf(w->met, sizeof w->met, ar >= 5e6 ? "yes" : "NO (%.0f%%)", 100 * ar / 5e6);
    w = add_row("parse-only (peer of apply)", "lines/s");
    grouped(median(parse_rate, reps), w->figure, sizeof w->figure);
    snprintf(w->ratio, sizeof w->ratio, "%.0f ns/line parse, %.0f ns/act apply", 1e9 / median(parse_rate, reps),
             1e9 / ar);
    ent__buf_printf(&details, "- apply: %s acts (%s cycles of %d) on a bare state after %d joins, %d repetitions; "
                              "state after the run: %.1f MiB\n",
                    grouped((double)nacts, nb, sizeof nb), grouped((double)opt_cycles, b, sizeof b), CYCLE_ACTS,
                    NJOINS, reps, (double)state_bytes / 1048576.0);
    detail_reps("apply rate", apply_rate, reps, "acts/s");
    detail_reps("parse rate", parse_rate, reps, "lines/s");
    detail_ratio("apply/parse ratio", ratio, reps);
    detail_reps("apply rate by CPU time", apply_cpu, reps, "acts/s");
    detail_reps("parse rate by CPU time", parse_cpu, reps, "lines/s");
}

/* ------------------------------------------------------------------ */
/* 2. Replay a 1M-event journal, against the raw scan.                  */

typedef struct parse_only {
    ent_buf line;
    ent_arena arena;
    uint64_t n;
} parse_only;

static int cb_parse_only(void *ud, const ent_event *ev)
{
    parse_only *p = ud;
    ent_stmt st;
    ent__event_line(ev, &p->line);
    if (ent__parse_line("journal", (uint32_t)ev->seq, p->line.p, p->line.len, ENT_DATE_NONE, &p->arena, &st, NULL,
                        0, NULL))
        return ENT_EINPUT;
    ent__arena_clear(&p->arena);
    p->n++;
    return 0;
}

static void make_journal(ent_db *db0, const char *path, char digest[65])
{
    ent_report *rep = ent_report_new();
    ent_db *db;
    ent_buf text = { 0 };
    remove_db(path);
    (void)db0;
    if (ent_open(&db, path, ENT_OPEN_BARE, rep) != ENT_OK) die("cannot create %s: %s", path, ent_report_text(rep));
    ent_input in = { "joins", JOINS, sizeof JOINS - 1 };
    size_t n;
    if (ent_run(db, &in, 1, &n, rep) != ENT_OK) die("joins: %s", ent_report_text(rep));
    double t0 = now();
    for (uint64_t k = 0; k < opt_cycles; k += RUN_CYCLES) {
        uint64_t end = k + RUN_CYCLES < opt_cycles ? k + RUN_CYCLES : opt_cycles;
        gen_cycles(&text, k, end);
        in = (ent_input){ "stream", text.p, text.len };
        if (ent_run(db, &in, 1, &n, rep) != ENT_OK) die("generating the journal: %s", ent_report_text(rep));
    }
    ent_digest(db, digest);
    progress("  journal: %llu events written with ent_run in batches of %d lines in %.1f s (%.0f events/s)\n",
             (unsigned long long)ent_event_count(db), RUN_CYCLES * CYCLE_ACTS, now() - t0,
             (double)(ent_event_count(db) - NJOINS) / (now() - t0));
    ent_close(db);
    ent__buf_free(&text);
    ent_report_free(rep);
}

/* A field of /proc/self/status in KiB ("VmHWM", "VmRSS"), -1 if absent. */
static long proc_status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(field);
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':') v = atol(line + n + 1);
    fclose(f);
    return v;
}

/* The child process of the memory figure: open the journal, print its peak
** RSS. VmHWM is the peak of this address space alone; ru_maxrss is printed
** too, but after fork + exec it also counts the parent's pages at the fork. */
static int child_open(const char *path)
{
    long hwm0 = proc_status_kb("VmHWM");
    ent_db *db;
    ent_report *rep = ent_report_new();
    int rc = ent_open(&db, path, ENT_OPEN_NOCREATE, rep);
    if (rc != ENT_OK) {
        fprintf(stderr, "child: %s\n", ent_report_text(rep));
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%ld %ld %ld %llu\n", hwm0, proc_status_kb("VmHWM"), ru.ru_maxrss,
           (unsigned long long)ent_event_count(db));
    ent_close(db);
    ent_report_free(rep);
    return 0;
}

/* Run this program with --child-open path; read "hwm0_kb hwm1_kb maxrss_kb events". */
static int spawn_child_open(const char *path, long *rss0, long *rss1, long *maxrss, unsigned long long *events)
{
    int fd[2];
    if (pipe(fd)) return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        close(fd[1]);
        execl("/proc/self/exe", "bench-core", "--child-open", path, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[256];
    ssize_t n, got = 0;
    while ((n = read(fd[0], buf + got, sizeof buf - 1 - (size_t)got)) > 0) got += n;
    close(fd[0]);
    buf[got > 0 ? got : 0] = 0;
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return -1;
    return sscanf(buf, "%ld %ld %ld %llu", rss0, rss1, maxrss, events) == 4 ? 0 : -1;
}

typedef struct timing {
    double wall, cpu;           /* seconds */
} timing;

/* (a) the peer: a raw scan, chain verification only; (b) the breakdown: a
** scan that rebuilds and parses each line without applying it. */
static void time_scans(const char *path, uint64_t nev, timing *scan, timing *parse)
{
    char err[512] = "";
    uint64_t bad = 0;
    ent_journal *j;
    if (ent__journal_open(&j, path, 0, 0, NULL, err, sizeof err) != ENT_OK) die("%s: %s", path, err);
    double c0 = cpu_now(), t0 = now();
    if (ent__journal_scan(j, 0, NULL, NULL, &bad, err, sizeof err) != ENT_OK) die("scan: %s", err);
    double t1 = now(), c1 = cpu_now();
    parse_only po = { { 0 }, { 0 }, 0 };
    if (ent__journal_scan(j, 0, cb_parse_only, &po, &bad, err, sizeof err) != ENT_OK || po.n != nev)
        die("scan+parse: %s", err);
    double t2 = now(), c2 = cpu_now();
    ent__buf_free(&po.line);
    ent__arena_free(&po.arena);
    ent__journal_close(j);
    *scan = (timing){ t1 - t0, c1 - c0 };
    *parse = (timing){ t2 - t1, c2 - c1 };
}

/* (c) the figure: ent_open = open + verify the chain + replay every event.
** The replayed state must have the digest `want` (set it if empty). */
static void time_open(const char *path, uint64_t nev, char want[65], timing *out, size_t *state_bytes,
                      ent_buf *sdetail)
{
    char got[65];
    ent_db *db;
    ent_report *rep = ent_report_new();
    double c0 = cpu_now(), t0 = now();
    if (ent_open(&db, path, ENT_OPEN_NOCREATE, rep) != ENT_OK) die("ent_open: %s", ent_report_text(rep));
    double t1 = now(), c1 = cpu_now();
    if (ent_event_count(db) != nev)
        die("replayed %llu events, expected %llu", (unsigned long long)ent_event_count(db), (unsigned long long)nev);
    ent_digest(db, got);
    if (!want[0]) memcpy(want, got, 65);
    if (strcmp(got, want) != 0) die("the replayed state's digest differs from the live one");
    if (state_bytes) *state_bytes = inst_bytes(&db->inst, sdetail);
    ent_close(db);
    ent_report_free(rep);
    *out = (timing){ t1 - t0, c1 - c0 };
}

static void bench_replay(ent_db *db0)
{
    char path[600], want[65] = "";
    double replay_rate[MAXREPS], scan_rate[MAXREPS], parse_rate[MAXREPS], ratio[MAXREPS], ratio_p[MAXREPS];
    int reps = opt_reps_replay;
    uint64_t nev = opt_cycles * CYCLE_ACTS + NJOINS;
    size_t state_bytes = 0;
    ent_buf sdetail = { 0 };

    path_in(path, sizeof path, "replay.db");
    if (opt_journal) snprintf(path, sizeof path, "%s", opt_journal);
    if (!opt_journal || access(path, F_OK) != 0) make_journal(db0, path, want);
    else want[0] = 0; /* a kept journal: the repetitions are compared with each other */
    off_t fsize = file_size(path);

    double replay_cpu[MAXREPS], scan_cpu[MAXREPS];
    for (int r = 0; r < reps; r++) {
        /* the order alternates (scans first, then ent_open first) so that a
        ** drift in the machine's load falls on both sides of the ratio */
        timing ts, tp, to;
        if (r % 2 == 0) {
            time_scans(path, nev, &ts, &tp);
            time_open(path, nev, want, &to, r == 0 ? &state_bytes : NULL, &sdetail);
        } else {
            time_open(path, nev, want, &to, r == 0 ? &state_bytes : NULL, &sdetail);
            time_scans(path, nev, &ts, &tp);
        }
        scan_rate[r] = (double)nev / ts.wall;
        parse_rate[r] = (double)nev / tp.wall;
        replay_rate[r] = (double)nev / to.wall;
        scan_cpu[r] = (double)nev / ts.cpu;
        replay_cpu[r] = (double)nev / to.cpu;
        ratio[r] = replay_rate[r] / scan_rate[r];
        ratio_p[r] = parse_rate[r] / scan_rate[r];
        progress("  replay rep %d: ent_open %.0f events/s, raw scan %.0f events/s, scan+parse %.0f events/s\n", r + 1,
                 replay_rate[r], scan_rate[r], parse_rate[r]);
    }

    char b[32], name[64];
    double rr = median(replay_rate, reps);
    snprintf(name, sizeof name, "replay: ent_open of a %s-event journal", grouped((double)nev, b, sizeof b));
    row *w = add_row(name, "events/s");
    grouped(rr, w->figure, sizeof w->figure);
    snprintf(w->ratio, sizeof w->ratio, "%.2fx raw ent__journal_scan (chain check only)", median(ratio, reps));
    snprintf(w->target, sizeof w->target, ">= 1,000,000 events/s");
    snprintf(w->met, sizeof w->met, rr >= 1e6 ? "yes" : "NO (%.0f%%)", 100 * rr / 1e6);
    w = add_row("raw scan: SQLite read + BLAKE2b chain (peer)", "events/s");
    grouped(median(scan_rate, reps), w->figure, sizeof w->figure);
    snprintf(w->ratio, sizeof w->ratio, "%.0f ns/event scan, %.0f ns/event replay", 1e9 / median(scan_rate, reps),
             1e9 / rr);
    w = add_row("scan + rebuild line + parse, no apply", "events/s");
    grouped(median(parse_rate, reps), w->figure, sizeof w->figure);
    snprintf(w->ratio, sizeof w->ratio, "%.2fx raw scan", median(ratio_p, reps));

    /* memory: this process's computation, and a fresh process's peak RSS */
    long rss0 = 0, rss1 = 0, maxrss = 0;
    unsigned long long cev = 0;
    snprintf(name, sizeof name, "memory: state of the %s events", grouped((double)nev, b, sizeof b));
    w = add_row(name, "MiB");
    snprintf(w->figure, sizeof w->figure, "%.1f", (double)state_bytes / 1048576.0);
    snprintf(w->ratio, sizeof w->ratio, "%.1f bytes/event", (double)state_bytes / (double)nev);
    snprintf(w->target, sizeof w->target, "reported");
    snprintf(w->met, sizeof w->met, "reported");
    w = add_row("memory: peak RSS of a process that opens it", "MiB");
    if (spawn_child_open(path, &rss0, &rss1, &maxrss, &cev) == 0 && cev == nev) {
        snprintf(w->figure, sizeof w->figure, "%.1f", (double)rss1 / 1024.0);
        snprintf(w->ratio, sizeof w->ratio, "%.2fx state bytes; %.1f MiB before open; journal file %.1f MiB",
                 (double)rss1 * 1024.0 / (double)state_bytes, (double)rss0 / 1024.0, (double)fsize / 1048576.0);
    } else {
        snprintf(w->figure, sizeof w->figure, "n/a");
        snprintf(w->ratio, sizeof w->ratio, "child process failed");
    }
    snprintf(w->target, sizeof w->target, "reported");
    snprintf(w->met, sizeof w->met, "reported");

    ent__buf_printf(&details, "- replay: journal of %s events (file %.1f MiB), %d repetitions; digest of the "
                              "replayed state equals the live state's: yes\n",
                    grouped((double)nev, b, sizeof b), (double)fsize / 1048576.0, reps);
    detail_reps("ent_open (verify + replay)", replay_rate, reps, "events/s");
    detail_reps("raw scan, chain verification only", scan_rate, reps, "events/s");
    detail_reps("scan + rebuild line + parse_line", parse_rate, reps, "events/s");
    detail_ratio("replay/raw-scan ratio", ratio, reps);
    detail_reps("ent_open rate by CPU time", replay_cpu, reps, "events/s");
    detail_reps("raw scan rate by CPU time", scan_cpu, reps, "events/s");
    ent__buf_printf(&details, "- state of %s events: %.1f MiB: %s\n", grouped((double)nev, b, sizeof b),
                    (double)state_bytes / 1048576.0, sdetail.p ? sdetail.p : "");
    if (rss1 > 0)
        ent__buf_printf(&details, "- peak RSS of the child process that opens the journal: VmHWM %ld KiB (%ld KiB "
                                  "before ent_open); its ru_maxrss, %ld KiB, would also count the parent's pages "
                                  "at fork\n",
                        rss1, rss0, maxrss);
    ent__buf_free(&sdetail);

    /* One more figure, on the same file: a run of one line on the 1M-event
    ** database (clone of the whole state + validate + commit). */
    if (!opt_journal) {
        ent_db *db;
        ent_report *rep = ent_report_new();
        if (ent_open(&db, path, ENT_OPEN_NOCREATE, rep) != ENT_OK) die("%s", ent_report_text(rep));
        ent_inst tmp;
        enum { NRUN = 21 };
        double tc[NRUN], tr[NRUN], share[NRUN];
        ent_buf text = { 0 };
        for (int i = 0; i < NRUN; i++) {
            ent__buf_reset(&text);
            char d[11];
            ent__date_format(first_day() + (ent_date)(8 * opt_cycles) + 1 + i, d);
            ent__buf_printf(&text, "%s KZ request assistance id=BENCH-RUN-%d article=treaty-4\n", d, i);
            ent_input in = { "one", text.p, text.len };
            size_t napp;
            double t0 = now();
            if (ent_run(db, &in, 1, &napp, rep) != ENT_OK || napp != 1) die("run: %s", ent_report_text(rep));
            double t1 = now();
            if (ent__inst_clone(&tmp, &db->inst)) die("oom");
            double t2 = now();
            ent__inst_free(&tmp);
            tr[i] = 1e3 * (t1 - t0);
            tc[i] = 1e3 * (t2 - t1);
            share[i] = 100 * tc[i] / tr[i];
        }
        ent__buf_free(&text);
        ent_close(db);
        ent_report_free(rep);
        snprintf(name, sizeof name, "ent_run of 1 line on the %s-event db", grouped((double)nev, b, sizeof b));
        w = add_row(name, "ms/run");
        snprintf(w->figure, sizeof w->figure, "%.2f", median(tr, NRUN));
        snprintf(w->ratio, sizeof w->ratio, "ent__inst_clone alone: %.2f ms (%.0f%% of the run)", median(tc, NRUN),
                 median(share, NRUN));
    }
    if (!opt_journal) remove_db(path);
}

/* ------------------------------------------------------------------ */
/* 3. Durable appends: per-event commits against batched commits.       */

typedef struct evstore {
    ent_buf buf;          /* subject NUL verb NUL args NUL text NUL date NUL src NUL, per event */
    size_t *off;          /* start of each event's strings */
    uint8_t *has_text;
    size_t n;
} evstore;

static void evstore_build(evstore *es, size_t n)
{
    ent_buf text = { 0 }, args = { 0 };
    ent_arena arena = { 0 };
    ent_vec stmts;
    ent__vec_init(&stmts, sizeof(ent_stmt));
    memset(es, 0, sizeof *es);
    es->off = malloc(n * sizeof *es->off);
    es->has_text = malloc(n);
    if (!es->off || !es->has_text) die("oom");
    parse_or_die(JOINS, sizeof JOINS - 1, &arena, &stmts);
    for (uint64_t k = 0; es->n < n; k += CHUNK_CYCLES) {
        gen_cycles(&text, k, k + CHUNK_CYCLES);
        parse_or_die(text.p, text.len, &arena, &stmts);
        /* convert what we have so far, then drop the statements */
        for (size_t i = 0; i < stmts.len && es->n < n; i++) {
            const ent_stmt *st = &ENT_VEC_AT(&stmts, ent_stmt, i);
            char d[11], src[64];
            es->off[es->n] = es->buf.len;
            es->has_text[es->n] = st->has_text;
            ent__buf_put(&es->buf, st->subject.p, st->subject.n);
            ent__buf_putc(&es->buf, 0);
            ent__buf_put(&es->buf, st->verb.p, st->verb.n);
            ent__buf_putc(&es->buf, 0);
            ent__buf_reset(&args);
            ent__stmt_write_args(st, &args);
            ent__buf_put(&es->buf, args.p ? args.p : "", args.len);
            ent__buf_putc(&es->buf, 0);
            ent__buf_put(&es->buf, st->text.p, st->text.n);
            ent__buf_putc(&es->buf, 0);
            ent__buf_puts(&es->buf, ent__date_format(st->date, d));
            ent__buf_putc(&es->buf, 0);
            snprintf(src, sizeof src, "bench:%llu", (unsigned long long)es->n + 1);
            ent__buf_puts(&es->buf, src);
            ent__buf_putc(&es->buf, 0);
            es->n++;
        }
        stmts.len = 0;
        ent__arena_clear(&arena);
    }
    if (es->buf.oom) die("oom");
    ent__buf_free(&text);
    ent__buf_free(&args);
    ent__arena_free(&arena);
    ent__vec_free(&stmts);
}

static void evstore_get(const evstore *es, size_t i, ent_event *ev)
{
    const char *p = es->buf.p + es->off[i];
    memset(ev, 0, sizeof *ev);
    ev->subject = p;
    p += strlen(p) + 1;
    ev->verb = p;
    p += strlen(p) + 1;
    ev->args = p;
    p += strlen(p) + 1;
    ev->text = es->has_text[i] ? p : NULL;
    p += strlen(p) + 1;
    ev->date = p;
    p += strlen(p) + 1;
    ev->src = p;
}

/* Append events [0, n) in commits of `batch`; returns the seconds taken. */
static double durable_run(const evstore *es, const char *path, size_t n, size_t batch)
{
    char err[512] = "";
    ent_journal *j;
    remove_db(path);
    if (ent__journal_open(&j, path, 1, 0, NULL, err, sizeof err) != ENT_OK) die("%s: %s", path, err);
    double t0 = now();
    for (size_t i = 0; i < n;) {
        if (ent__journal_begin(j, err, sizeof err) != ENT_OK) die("begin: %s", err);
        for (size_t e = 0; e < batch && i < n; e++, i++) {
            ent_event ev;
            evstore_get(es, i, &ev);
            if (ent__journal_append(j, &ev, err, sizeof err) != ENT_OK) die("append: %s", err);
        }
        if (ent__journal_commit(j, err, sizeof err) != ENT_OK) die("commit: %s", err);
    }
    double t = now() - t0;
    if (ent__journal_count(j) != n) die("durable: %llu events, expected %zu",
                                        (unsigned long long)ent__journal_count(j), n);
    ent__journal_close(j);
    remove_db(path);
    return t;
}

static void bench_durable(void)
{
    double per[MAXREPS], bat[MAXREPS], ratio[MAXREPS];
    int reps = opt_reps_durable;
    char path[600];
    evstore es;
    size_t need = (size_t)(opt_batched > opt_per_event ? opt_batched : opt_per_event);
    evstore_build(&es, need);
    path_in(path, sizeof path, "durable.db");
    for (int r = 0; r < reps; r++) {
        double t1 = durable_run(&es, path, (size_t)opt_per_event, 1);
        double t2 = durable_run(&es, path, (size_t)opt_batched, (size_t)opt_batch);
        per[r] = opt_per_event / t1;
        bat[r] = opt_batched / t2;
        ratio[r] = bat[r] / per[r];
        progress("  durable rep %d: per-event commits %.0f events/s (%.2f ms/commit), batched %.0f events/s\n", r + 1,
                 per[r], 1e3 * t1 / opt_per_event, bat[r]);
    }
    ent__buf_free(&es.buf);
    free(es.off);
    free(es.has_text);

    char b[32], b2[32];
    double rr = median(ratio, reps);
    row *w = add_row("durable: batched commits", "events/s");
    grouped(median(bat, reps), w->figure, sizeof w->figure);
    snprintf(w->ratio, sizeof w->ratio, "%.1fx one commit per event", rr);
    snprintf(w->target, sizeof w->target, ">= 50x per-event");
    snprintf(w->met, sizeof w->met, rr >= 50 ? "yes" : "NO");
    w = add_row("durable: one commit per event (peer)", "events/s");
    grouped(median(per, reps), w->figure, sizeof w->figure);
    snprintf(w->ratio, sizeof w->ratio, "%.2f ms per durable commit", 1e3 / median(per, reps));
    ent__buf_printf(&details, "- durable: file journal in %s, WAL, synchronous=FULL; %s events one commit each, "
                              "%s events in commits of %d; %d repetitions\n",
                    tmpdir, grouped(opt_per_event, b, sizeof b), grouped(opt_batched, b2, sizeof b2), opt_batch,
                    reps);
    detail_reps("per-event commits", per, reps, "events/s");
    detail_reps("batched commits", bat, reps, "events/s");
    detail_ratio("batched/per-event ratio", ratio, reps);
}

/* ------------------------------------------------------------------ */
/* 4. The simulator, against the same model with SimPy.                 */

#define PEER_PYTHON "/usr/bin/python3"
#define PEER_SCRIPT "bench/peers/sim_simpy.py"

static const char *const SIM_ARGS[] = { "simulate", "--host", "KZ", "--at", "2022-01-05", "--severity", "0.8" };
#define SIM_NARGS ((int)(sizeof SIM_ARGS / sizeof SIM_ARGS[0]))

/* Run the peer on the model for `runs` runs; its runs/s (of its simulation
** loop, as it measures it) in *rate, by its CPU time in *cpu_rate. 0, or -1
** with why in err. */
static int run_peer(const char *model, uint64_t runs, double *rate, double *cpu_rate, char *err, size_t errsz)
{
    char nruns[32];
    snprintf(nruns, sizeof nruns, "%llu", (unsigned long long)runs);
    int fd[2];
    if (pipe(fd)) {
        snprintf(err, errsz, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errsz, "fork: %s", strerror(errno));
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        close(fd[1]);
        execl(PEER_PYTHON, "python3", PEER_SCRIPT, model, "--runs", nruns, "--seed", "1", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    static char buf[65536];
    ssize_t n;
    size_t got = 0;
    while ((n = read(fd[0], buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)n;
    close(fd[0]);
    buf[got] = 0;
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        snprintf(err, errsz, "%s %s failed (status %d)", PEER_PYTHON, PEER_SCRIPT, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return -1;
    }
    const char *r = strstr(buf, "\"runs\":"), *q = strstr(buf, "\"runs_per_second\":"),
               *qc = strstr(buf, "\"runs_per_cpu_second\":");
    if (!r || !q || !qc || strtoull(r + 7, NULL, 10) != runs) {
        snprintf(err, errsz, "the peer's output does not say it ran %llu runs", (unsigned long long)runs);
        return -1;
    }
    *rate = strtod(q + 18, NULL);
    *cpu_rate = strtod(qc + 22, NULL);
    if (*rate > 0 && *cpu_rate > 0) return 0;
    snprintf(err, errsz, "the peer's output gives no rate");
    return -1;
}

/* Wall-clock seconds of sim_runs over [0, runs) on nthreads, into *agg;
** each thread's share in st (may be NULL). */
static double time_sim(const sim_model *m, uint64_t runs, int nthreads, sim_agg *agg, double *cpu, sim_thread_stat *st)
{
    memset(agg, 0, sizeof *agg);
    double c0 = cpu_now(), t0 = now();
    if (sim_runs_stat(m, 1, 0, runs, nthreads, agg, NULL, NULL, st)) die("sim_runs: out of memory");
    double t = now() - t0;
    if (cpu) *cpu = cpu_now() - c0;
    if (agg->runs != runs) die("sim_runs ran %llu runs, not %llu", (unsigned long long)agg->runs,
                               (unsigned long long)runs);
    return t;
}

static void bench_sim(void)
{
    double one[MAXREPS], two[MAXREPS], peer[MAXREPS], ratio_peer[MAXREPS], ratio_two[MAXREPS], one_cpu[MAXREPS];
    double peer_cpu[MAXREPS], ratio_cpu[MAXREPS], th_rate[2][MAXREPS], th_cpu[2][MAXREPS], th_share[MAXREPS];
    int reps = opt_reps, peer_ok = 1;
    char err[512] = "", model_path[600];

    /* the model, as `entente simulate` makes it */
    static sim_params ps;
    size_t blen;
    const char *btext = ent_builtin("data/models.conf", &blen);
    if (!btext || sim_params_read(&ps, "data/models.conf", btext, blen, stderr)) die("the built-in parameters");
    ent_report *rep = ent_report_new();
    ent_db *db;
    if (ent_open(&db, NULL, 0, rep) != ENT_OK) die("ent_open: %s", ent_report_text(rep));
    static ent_frame f;
    ent_crisis c = { "KZ", NULL, "unrest", NULL, "2022-01-05" };
    if (ent_crisis_frame(db, &c, &f, rep) != ENT_OK || !f.deploy_ok) die("the KZ 2022 frame: %s", ent_report_text(rep));
    static sim_model m;
    if (sim_model_make(&m, &f, &ps, "interest", 0.8, err, sizeof err)) die("sim_model_make: %s", err);

    /* the peer's model, written by the command itself */
    path_in(model_path, sizeof model_path, "kz-2022.model.json");
    char *argv[SIM_NARGS + 2];
    for (int i = 0; i < SIM_NARGS; i++) argv[i] = (char *)SIM_ARGS[i];
    argv[SIM_NARGS] = "--dump-model";
    argv[SIM_NARGS + 1] = model_path;
    if (sim_main("bench-core", SIM_NARGS + 2, argv) != 0) die("entente simulate --dump-model failed");

    /* sizes: C runs for ~1 s on one thread, the peer's for ~2 s */
    static sim_agg a1, a2;
    uint64_t cruns = 200000;
    double t = time_sim(&m, cruns, 1, &a1, NULL, NULL);
    cruns = (uint64_t)(1.0 * (double)cruns / (t > 1e-6 ? t : 1e-6));
    cruns = cruns < 100000 ? 100000 : cruns > 50000000 ? 50000000 : cruns;
    double prate = 0, pcpu = 0;
    uint64_t pruns = 2000;
    if (run_peer(model_path, pruns, &prate, &pcpu, err, sizeof err)) {
        progress("  sim: the SimPy peer does not run: %s\n", err);
        peer_ok = 0;
    } else {
        pruns = (uint64_t)(2.0 * prate);
        pruns = pruns < 1000 ? 1000 : pruns;
    }

    int same = 1;
    for (int r = 0; r < reps; r++) {
        sim_thread_stat st[2];
        double t1 = time_sim(&m, cruns, 1, &a1, &one_cpu[r], NULL);
        double t2 = time_sim(&m, cruns, 2, &a2, NULL, st);
        for (int k = 0; k < 2; k++) { /* each thread's rate while it ran, by wall and by CPU time */
            th_rate[k][r] = st[k].wall > 0 ? (double)st[k].runs / st[k].wall : 0;
            th_cpu[k][r] = st[k].cpu > 0 ? (double)st[k].runs / st[k].cpu : 0;
        }
        th_share[r] = (double)st[0].runs / (double)cruns;
        same &= memcmp(&a1, &a2, sizeof a1) == 0;
        one[r] = (double)cruns / t1;
        one_cpu[r] = (double)cruns / one_cpu[r];
        two[r] = (double)cruns / t2;
        ratio_two[r] = two[r] / one[r];
        peer[r] = ratio_peer[r] = peer_cpu[r] = ratio_cpu[r] = 0;
        if (peer_ok && run_peer(model_path, pruns, &peer[r], &peer_cpu[r], err, sizeof err) == 0) {
            ratio_peer[r] = one[r] / peer[r];
            ratio_cpu[r] = one_cpu[r] / peer_cpu[r];
        } else if (peer_ok) {
            progress("  sim: the SimPy peer failed: %s\n", err);
            peer_ok = 0;
        }
        progress("  sim rep %d: %.0f crises/s on one thread, %.0f on two (%.2fx; each: %.0f and %.0f, by CPU time "
                 "%.0f and %.0f, shares %.3f and %.3f); SimPy peer %.0f runs/s\n",
                 r + 1, one[r], two[r], ratio_two[r], th_rate[0][r], th_rate[1][r], th_cpu[0][r], th_cpu[1][r],
                 th_share[r], 1 - th_share[r], peer[r]);
    }
    if (!same) die("the aggregates of one and two threads differ");
    ent_close(db);
    ent_report_free(rep);

    char b[32];
    double o = median(one, reps), rt = median(ratio_two, reps), rp = peer_ok ? median(ratio_peer, reps) : 0;
    row *w = add_row("simulate: KZ 2022 crises on one core", "crises/s");
    grouped(o, w->figure, sizeof w->figure);
    if (peer_ok) snprintf(w->ratio, sizeof w->ratio, "%.0fx the SimPy peer", rp);
    else snprintf(w->ratio, sizeof w->ratio, "SimPy peer: n/a");
    snprintf(w->target, sizeof w->target, ">= 1,000,000/s; >= 100x SimPy");
    snprintf(w->met, sizeof w->met, "%s; %s", o >= 1e6 ? "yes" : "NO", !peer_ok ? "n/a" : rp >= 100 ? "yes" : "NO");
    w = add_row("SimPy 3 peer, same model (peer)", "runs/s");
    if (peer_ok) {
        grouped(median(peer, reps), w->figure, sizeof w->figure);
        snprintf(w->ratio, sizeof w->ratio, "%.1f us/run SimPy, %.0f ns/run C", 1e6 / median(peer, reps), 1e9 / o);
    } else {
        snprintf(w->figure, sizeof w->figure, "n/a");
        snprintf(w->ratio, sizeof w->ratio, "%.60s", err);
    }
    w = add_row("simulate: two threads", "crises/s");
    grouped(median(two, reps), w->figure, sizeof w->figure);
    snprintf(w->ratio, sizeof w->ratio, "%.2fx one thread", rt);
    snprintf(w->target, sizeof w->target, ">= 1.8x one thread");
    snprintf(w->met, sizeof w->met, rt >= 1.8 ? "yes" : "NO");

    ent__buf_printf(&details, "- sim: Kazakhstan 2022 (KZ, unrest, severity 0.8, 2022-01-05), interest model, "
                              "seed 1; %s C runs per measure (sim_runs), %d repetitions; the aggregates of one and "
                              "two threads identical: yes\n",
                    grouped((double)cruns, b, sizeof b), reps);
    detail_reps("one thread", one, reps, "crises/s");
    detail_reps("one thread, by CPU time", one_cpu, reps, "crises/s");
    detail_reps("two threads", two, reps, "crises/s");
    detail_ratio("two/one threads ratio", ratio_two, reps);
    detail_reps("two threads: the first's own rate (its runs / its wall time)", th_rate[0], reps, "crises/s");
    detail_reps("two threads: the second's own rate", th_rate[1], reps, "crises/s");
    detail_reps("two threads: the first's rate by its CPU time", th_cpu[0], reps, "crises/s");
    detail_reps("two threads: the second's rate by its CPU time", th_cpu[1], reps, "crises/s");
    detail_ratio("two threads: the first's share of the runs (chunks of 4,096 from one counter)", th_share, reps);
    if (peer_ok) {
        ent__buf_printf(&details, "- SimPy peer: %s %s on the dumped model, %s runs a repetition (its default: "
                                  "SimPy environments of 10 crises), runs/s of its simulation loop (start-up and "
                                  "model reading left out)\n",
                        PEER_PYTHON, PEER_SCRIPT, grouped((double)pruns, b, sizeof b));
        detail_reps("SimPy peer", peer, reps, "runs/s");
        detail_ratio("C one thread / SimPy ratio", ratio_peer, reps);
        detail_reps("SimPy peer by CPU time", peer_cpu, reps, "runs/s");
        detail_ratio("C one thread / SimPy ratio by CPU time", ratio_cpu, reps);
    }
}

/* ------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr, "usage: bench-core [--events N] [--reps R] [--quick] [--only apply|replay|durable|sim|mpi] "
                    "[--journal PATH]\n");
    exit(64);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--child-open") == 0) return child_open(argv[2]);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--events") && i + 1 < argc) {
            long long n = atoll(argv[++i]);
            if (n < CYCLE_ACTS) usage();
            opt_cycles = (uint64_t)n / CYCLE_ACTS;
        } else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
            opt_reps = opt_reps_replay = opt_reps_durable = atoi(argv[++i]);
            if (opt_reps < 1 || opt_reps > MAXREPS) usage();
        } else if (!strcmp(argv[i], "--quick")) {
            opt_cycles = 6250;
            opt_reps = opt_reps_replay = opt_reps_durable = 3;
            opt_per_event = 200;
            opt_batched = 20000;
        } else if (!strcmp(argv[i], "--journal") && i + 1 < argc) {
            opt_journal = argv[++i];
        } else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
            opt_only = argv[++i];
        } else {
            usage();
        }
    }
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/entente-bench-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmpdir)) {
        int e = errno;
        char t2[512];
        snprintf(t2, sizeof t2, "%s", tmpdir);
        tmpdir[0] = 0;
        die("mkdtemp %s: %s", t2, strerror(e));
    }
    atexit(cleanup_tmpdir);

    ent_db *db;
    ent_report *rep = ent_report_new();
    if (ent_open(&db, NULL, ENT_OPEN_BARE, rep) != ENT_OK) die("ent_open: %s", ent_report_text(rep));

    if (!opt_only || !strcmp(opt_only, "apply")) {
        progress("apply: %llu acts, %d repetitions\n", (unsigned long long)(opt_cycles * CYCLE_ACTS), opt_reps);
        bench_apply(db);
    }
    if (!opt_only || !strcmp(opt_only, "replay")) {
        progress("replay: %llu events, %d repetitions\n", (unsigned long long)(opt_cycles * CYCLE_ACTS + NJOINS),
                 opt_reps_replay);
        bench_replay(db);
    }
    if (!opt_only || !strcmp(opt_only, "durable")) {
        progress("durable: %d per-event commits vs %d events in commits of %d, %d repetitions\n", opt_per_event,
                 opt_batched, opt_batch, opt_reps_durable);
        bench_durable();
    }
    if (!opt_only || !strcmp(opt_only, "sim")) {
        progress("sim: crises of the Kazakhstan 2022 model, one and two threads, and the SimPy peer, %d repetitions\n",
                 opt_reps);
        bench_sim();
    }
    if (!opt_only || !strcmp(opt_only, "mpi")) {
        progress("mpi: entente simulate under mpirun -np 1 and -np 2, %d repetitions\n", opt_reps);
        bench_mpi();
    }
    ent_close(db);
    ent_report_free(rep);

    printf("| name | figure | unit | ratio (vs what) | target | met? |\n");
    printf("|---|---:|---|---|---|---|\n");
    for (int i = 0; i < nrows; i++)
        printf("| %s | %s | %s | %s | %s | %s |\n", rows[i].name, rows[i].figure, rows[i].unit, rows[i].ratio,
               rows[i].target, rows[i].met);
    printf("\nPer repetition (figures are medians; each ratio is taken within a repetition):\n\n%s",
           details.p ? details.p : "");
    ent__buf_free(&details);
    return 0; /* a missed target is reported in the table, not an error */
}
