/*
** main.c: the `entente` command. It sits on the public header only
** (include/entente.h): it reads files and flags, calls the library, prints
** what it returns, and exits with the library's status (sysexits.h values).
**
**   entente check FILE...                validate only; nothing is written
**   entente run FILE... [--db PATH]      validate, then append all lines atomically
**   entente state [--at DATE] [--json]   the organization on a date (default: today)
**   entente log [--json]                 the journal
**   entente why ID                       how the decision or record ID came about
**   entente route FROM TO [--json]       routes for a contingent, with the consents each needs
**   entente verify [--db PATH]           check the hash chain and replay; print the state digest
**   entente export --format chronicle|jsonl|csv
**   entente stats [--from D] [--to D] [--json]   the threat register in numbers
**   entente timeline [--from D] [--to D] [--kind K] [--svg FILE] [--json]
**   entente simulate --host STATE ...    a crisis played many times (src/sim/)
**   entente sweep --host STATE --out F   the same over a grid of variants (src/sim/sweep.c)
**   entente serve --db PATH ...          the crisis room: JSON API, live feed, web page (src/server/)
**   entente token add|list|revoke        the crisis room's tokens (shown once, stored hashed)
*/
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "entente.h"
#include "../sim/sim.h"
#include "../sim/shared.h"
#include "../server/serve.h"

typedef struct opts {
    const char *db;
    const char *charter; /* --charter FILE: another organization's charter (docs/charters.md) */
    const char *at;
    const char *format;
    const char *from, *to; /* --from, --to (stats, timeline) */
    const char *kind, *svg; /* --kind, --svg (timeline) */
    const char *principal, *name; /* --principal, --name (token add) */
    int bare;
    int json;
    const char *sets[16];
    int nsets;
} opts;

typedef struct command {
    const char *name;
    int (*run)(opts *o, int argc, char **argv);
    const char *usage;
    const char *help;
    const char *flags; /* which long options it takes: d=db b=bare a=at j=json f=format s=set c=charter */
} command;

static const char *prog = "entente";

/* ------------------------------------------------------------------ */
/* Helpers.                                                             */

static void print_report(ent_report *rep)
{
    const char *t = ent_report_text(rep);
    if (*t) fputs(t, stderr);
}

static int write_out(void *ud, const char *p, size_t n)
{
    return fwrite(p, 1, n, (FILE *)ud) == n ? 0 : -1;
}

static int flush_stdout(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: error writing output: %s\n", prog, strerror(errno));
        return EX_IOERR;
    }
    return rc;
}

static char *slurp(const char *path, size_t *len, int *status);

/* Open the organization named by the options; report and return status. */
static int open_db(opts *o, ent_db **db, int readonly)
{
    ent_input ch = { o->charter, NULL, 0 };
    if (o->charter) {
        int st = 0;
        ch.text = slurp(o->charter, &ch.len, &st);
        if (!ch.text) return st;
    }
    ent_report *rep = ent_report_new();
    if (!rep) return EX_OSERR;
    /* only `run` writes; every other command opens an existing journal read-only */
    unsigned flags = (o->bare ? ENT_OPEN_BARE : 0) | (readonly && o->db ? ENT_OPEN_NOCREATE | ENT_OPEN_READONLY : 0);
    int rc = ent_open_charter(db, o->db, flags, &ch, o->charter ? 1 : 0, rep);
    free((char *)ch.text);
    if (rc != ENT_OK) {
        print_report(rep);
        if (!*ent_report_text(rep)) fprintf(stderr, "%s: %s\n", prog, ent_strstatus(rc));
        ent_report_free(rep);
        return rc;
    }
    char t[11];
    cli_today(t);
    ent_set_today(*db, t);
    for (int i = 0; i < o->nsets; i++) {
        char name[64];
        const char *eq = strchr(o->sets[i], '=');
        if (!eq || (size_t)(eq - o->sets[i]) >= sizeof name) {
            fprintf(stderr, "%s: --set wants NAME=VALUE, got '%s'\n", prog, o->sets[i]);
            ent_close(*db);
            ent_report_free(rep);
            return EX_USAGE;
        }
        memcpy(name, o->sets[i], (size_t)(eq - o->sets[i]));
        name[eq - o->sets[i]] = 0;
        rc = ent_set_switch(*db, name, eq + 1, rep);
        if (rc != ENT_OK) {
            print_report(rep);
            ent_close(*db);
            ent_report_free(rep);
            return rc;
        }
    }
    ent_report_free(rep);
    return 0;
}

/* Read a whole file (or stdin for "-"). */
static char *slurp(const char *path, size_t *len, int *status)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        *status = errno == ENOENT ? EX_NOINPUT : EX_IOERR;
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap) break;
        char *nb = realloc(buf, cap *= 2);
        if (!nb) {
            free(buf);
            buf = NULL;
        }
        buf = nb;
    }
    int bad = !buf || ferror(f);
    if (f != stdin) fclose(f);
    if (bad) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, buf ? strerror(errno) : "out of memory");
        free(buf);
        *status = buf ? EX_IOERR : EX_OSERR;
        return NULL;
    }
    *len = n;
    return buf;
}

/* ------------------------------------------------------------------ */
/* Subcommands.                                                         */

/* Remove a journal file and its WAL side files (one a command created and
** then refused: bad input leaves nothing behind). */
static void remove_journal(const char *path)
{
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static int check_or_run(opts *o, int argc, char **argv, int run)
{
    if (argc < 1) {
        fprintf(stderr, "%s %s: no FILE given (see '%s %s --help')\n", prog, run ? "run" : "check", prog,
                run ? "run" : "check");
        return EX_USAGE;
    }
    ent_input *in = calloc((size_t)argc, sizeof *in);
    if (!in) return EX_OSERR;
    int status = 0;
    for (int i = 0; i < argc && !status; i++) {
        in[i].name = argv[i];
        in[i].text = slurp(argv[i], &in[i].len, &status);
    }
    ent_db *db = NULL;
    /* a journal that this run creates and that ends refused is removed, so
    ** bad input leaves nothing behind */
    int created = run && o->db && access(o->db, F_OK) != 0;
    if (!status) status = open_db(o, &db, !run);
    if (!status) {
        ent_report *rep = ent_report_new();
        size_t n = 0;
        int rc = run ? ent_run(db, in, argc, &n, rep) : ent_check(db, in, argc, rep);
        print_report(rep);
        ent_report_free(rep);
        if (rc == ENT_OK) {
            char dg[65];
            ent_digest(db, dg);
            if (run)
                printf("appended %zu event%s to %s; %llu in the journal; state %s\n", n, n == 1 ? "" : "s",
                       o->db ? o->db : "the in-memory journal (use --db PATH to keep them)",
                       (unsigned long long)ent_event_count(db), dg);
            else
                printf("ok: %d file%s valid; nothing written\n", argc, argc == 1 ? "" : "s");
        }
        status = rc;
        ent_close(db);
        if (created && rc != ENT_OK) remove_journal(o->db);
    } else if (created) {
        unlink(o->db);
    }
    for (int i = 0; i < argc; i++) free((char *)in[i].text);
    free(in);
    return flush_stdout(status);
}

static int cmd_check(opts *o, int argc, char **argv) { return check_or_run(o, argc, argv, 0); }
static int cmd_run(opts *o, int argc, char **argv) { return check_or_run(o, argc, argv, 1); }

static int no_args(const char *cmd, int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "%s %s: unexpected argument '%s' (see '%s %s --help')\n", prog, cmd, argv[0], prog, cmd);
        return EX_USAGE;
    }
    return 0;
}

/* Run a query that renders into a string. */
static int print_query(opts *o, int (*q)(ent_db *, opts *, char **, ent_report *, void *), void *ud)
{
    ent_db *db;
    int rc = open_db(o, &db, 1);
    if (rc) return rc;
    ent_report *rep = ent_report_new();
    char *out = NULL;
    rc = q(db, o, &out, rep, ud);
    print_report(rep);
    if (rc == ENT_OK && out) fputs(out, stdout);
    ent_free(out);
    ent_report_free(rep);
    ent_close(db);
    return flush_stdout(rc);
}

static int q_state(ent_db *db, opts *o, char **out, ent_report *rep, void *ud)
{
    (void)ud;
    return ent_state(db, o->at, o->json ? ENT_FMT_JSON : ENT_FMT_TEXT, out, rep);
}

static int cmd_state(opts *o, int argc, char **argv)
{
    int rc = no_args("state", argc, argv);
    return rc ? rc : print_query(o, q_state, NULL);
}

static int q_log(ent_db *db, opts *o, char **out, ent_report *rep, void *ud)
{
    (void)ud, (void)rep;
    return ent_log(db, o->json ? ENT_FMT_JSON : ENT_FMT_TEXT, out);
}

static int cmd_log(opts *o, int argc, char **argv)
{
    int rc = no_args("log", argc, argv);
    return rc ? rc : print_query(o, q_log, NULL);
}

static int q_why(ent_db *db, opts *o, char **out, ent_report *rep, void *ud)
{
    return ent_why(db, (const char *)ud, o->json ? ENT_FMT_JSON : ENT_FMT_TEXT, out, rep);
}

static int cmd_why(opts *o, int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "%s why: want exactly one ID (see '%s why --help')\n", prog, prog);
        return EX_USAGE;
    }
    return print_query(o, q_why, argv[0]);
}

static int q_route(ent_db *db, opts *o, char **out, ent_report *rep, void *ud)
{
    char **ft = ud;
    return ent_route(db, ft[0], ft[1], o->at, o->json ? ENT_FMT_JSON : ENT_FMT_TEXT, out, rep);
}

static int cmd_route(opts *o, int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "%s route: want FROM and TO state codes (see '%s route --help')\n", prog, prog);
        return EX_USAGE;
    }
    return print_query(o, q_route, argv);
}

static int cmd_verify(opts *o, int argc, char **argv)
{
    int rc = no_args("verify", argc, argv);
    if (rc) return rc;
    ent_db *db;
    rc = open_db(o, &db, 1);
    if (rc) return rc;
    ent_report *rep = ent_report_new();
    char dg[65];
    rc = ent_verify(db, dg, rep);
    print_report(rep);
    if (rc == ENT_OK)
        printf("ok: %llu events, hash chain intact, replay matches\nstate digest %s\n",
               (unsigned long long)ent_event_count(db), dg);
    ent_report_free(rep);
    ent_close(db);
    return flush_stdout(rc);
}

static int cmd_export(opts *o, int argc, char **argv)
{
    int rc = no_args("export", argc, argv);
    if (rc) return rc;
    int fmt;
    if (!o->format) {
        fprintf(stderr, "%s export: --format chronicle|jsonl|csv is required\n", prog);
        return EX_USAGE;
    } else if (strcmp(o->format, "chronicle") == 0) fmt = ENT_FMT_CHRONICLE;
    else if (strcmp(o->format, "jsonl") == 0) fmt = ENT_FMT_JSONL;
    else if (strcmp(o->format, "csv") == 0) fmt = ENT_FMT_CSV;
    else {
        fprintf(stderr, "%s export: unknown format '%s' (chronicle, jsonl or csv)\n", prog, o->format);
        return EX_USAGE;
    }
    ent_db *db;
    rc = open_db(o, &db, 1);
    if (rc) return rc;
    rc = ent_export(db, fmt, write_out, stdout);
    if (rc != ENT_OK) fprintf(stderr, "%s export: %s\n", prog, ent_strstatus(rc));
    ent_close(db);
    return flush_stdout(rc);
}

static int q_stats(ent_db *db, opts *o, char **out, ent_report *rep, void *ud)
{
    (void)ud;
    return ent_stats(db, o->from, o->to, o->json ? ENT_FMT_JSON : ENT_FMT_TEXT, out, rep);
}

static int cmd_stats(opts *o, int argc, char **argv)
{
    int rc = no_args("stats", argc, argv);
    return rc ? rc : print_query(o, q_stats, NULL);
}

static int q_timeline(ent_db *db, opts *o, char **out, ent_report *rep, void *ud)
{
    (void)ud;
    return ent_timeline(db, o->from, o->to, o->kind, o->svg ? ENT_FMT_SVG : o->json ? ENT_FMT_JSON : ENT_FMT_TEXT, out, rep);
}

/* timeline: text or JSON to standard output; with --svg FILE the picture to
** FILE ("-": standard output) and nothing else. */
static int cmd_timeline(opts *o, int argc, char **argv)
{
    int rc = no_args("timeline", argc, argv);
    if (rc) return rc;
    if (o->svg && o->json) {
        fprintf(stderr, "%s timeline: --svg and --json exclude each other\n", prog);
        return EX_USAGE;
    }
    if (!o->svg || strcmp(o->svg, "-") == 0) return print_query(o, q_timeline, NULL);
    ent_db *db;
    rc = open_db(o, &db, 1);
    if (rc) return rc;
    ent_report *rep = ent_report_new();
    char *out = NULL;
    rc = q_timeline(db, o, &out, rep, NULL);
    print_report(rep);
    if (rc == ENT_OK) {
        FILE *f = fopen(o->svg, "wb");
        size_t n = strlen(out);
        if (!f || fwrite(out, 1, n, f) != n || fclose(f) != 0) {
            fprintf(stderr, "%s timeline: %s: %s\n", prog, o->svg, strerror(errno));
            rc = EX_IOERR;
        }
    }
    ent_free(out);
    ent_report_free(rep);
    ent_close(db);
    return rc;
}

/* token add --principal P --name NAME | token list [--json] | token revoke NAME */
static int cmd_token(opts *o, int argc, char **argv)
{
    const char *sub = argc ? argv[0] : "";
    int add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0, revoke = strcmp(sub, "revoke") == 0;
    if (!add && !list && !revoke) {
        fprintf(stderr, "%s token: %s%s%s (add, list or revoke; see '%s token --help')\n", prog,
                argc ? "unknown action '" : "no action given", argc ? sub : "", argc ? "'" : "", prog);
        return EX_USAGE;
    }
    if (argc != (revoke ? 2 : 1)) {
        fprintf(stderr, "%s token %s: %s\n", prog, sub, revoke ? "give the NAME of one token" : "takes no argument");
        return EX_USAGE;
    }
    if (add && (!o->principal || !o->name)) {
        fprintf(stderr, "%s token add: --principal P and --name NAME are required\n", prog);
        return EX_USAGE;
    }
    if (!add && (o->principal || o->name)) {
        fprintf(stderr, "%s token %s: --principal and --name are for 'token add'\n", prog, sub);
        return EX_USAGE;
    }
    if (o->json && !list) {
        fprintf(stderr, "%s token %s: --json is for 'token list'\n", prog, sub);
        return EX_USAGE;
    }
    ent_db *db;
    int created = !list && o->db && access(o->db, F_OK) != 0;
    int rc = open_db(o, &db, list);
    if (rc) {
        if (created) remove_journal(o->db);
        return rc;
    }
    ent_report *rep = ent_report_new();
    if (add) {
        char tok[ENT_TOKEN_CHARS + 1];
        rc = ent_token_add(db, o->principal, o->name, tok, rep);
        if (rc == ENT_OK) {
            printf("%s\n", tok);
            fprintf(stderr, "%s: token '%s' for %s%s; it is not shown again\n", prog, o->name, o->principal,
                    o->db ? "" : " in the in-memory journal (gone on exit: use --db PATH)");
        }
    } else if (list) {
        char *out = NULL;
        rc = ent_token_list(db, o->json ? ENT_FMT_JSON : ENT_FMT_TEXT, &out);
        if (rc == ENT_OK) fputs(out, stdout);
        else fprintf(stderr, "%s token list: %s\n", prog, ent_strstatus(rc));
        ent_free(out);
    } else {
        rc = ent_token_revoke(db, argv[1], rep);
        if (rc == ENT_OK) printf("revoked token '%s'\n", argv[1]);
    }
    print_report(rep);
    ent_report_free(rep);
    ent_close(db);
    if (created && rc != ENT_OK) remove_journal(o->db);
    return flush_stdout(rc);
}

static int cmd_help(opts *o, int argc, char **argv);

static const command commands[] = {
    { "check", cmd_check, "check FILE... [--db PATH] [--bare] [--set NAME=VALUE] [--charter FILE]",
      "Validate chronicle files against the charter and the journal, as if they were\n"
      "appended, and report every error and refusal. Nothing is written.\n", "dbsc" },
    { "run", cmd_run, "run FILE... [--db PATH] [--bare] [--set NAME=VALUE] [--charter FILE]",
      "Validate chronicle files, then append all their lines to the journal in one\n"
      "transaction: all or nothing. Without --db the journal is the built-in history in\n"
      "memory; with --db PATH a SQLite journal that starts from the built-in history\n"
      "(or empty with --bare) when it is created.\n", "dbsc" },
    { "state", cmd_state, "state [--at DATE] [--json] [--db PATH] [--bare] [--charter FILE]",
      "The organization on a date (default: today): members, chair, Secretary General,\n"
      "requests, deployments and breaches.\n", "dbajc" },
    { "log", cmd_log, "log [--json] [--db PATH] [--bare] [--charter FILE]", "The journal, one event a line, with its source position.\n",
      "dbjc" },
    { "why", cmd_why, "why ID [--db PATH] [--bare] [--charter FILE]",
      "How the decision or record ID came about: who voted what, which rules applied\n"
      "and their sources, and the events that made it.\n", "dbc" },
    { "route", cmd_route, "route FROM TO [--at DATE] [--json] [--db PATH] [--bare] [--charter FILE]",
      "Routes for a contingent from one state's capital to another's over land borders\n"
      "and sea links, best first (fewest consents, then shortest great-circle km), with\n"
      "the non-members whose consent each needs.\n", "dbajc" },
    { "verify", cmd_verify, "verify [--db PATH] [--bare] [--charter FILE]",
      "Check the journal's hash chain, replay it, and print the state digest. A broken\n"
      "chain names the first bad sequence number.\n", "dbc" },
    { "export", cmd_export, "export --format chronicle|jsonl|csv [--db PATH] [--bare] [--charter FILE]",
      "Write the journal to standard output. The chronicle format replays to the same\n"
      "state digest: entente run --bare --db NEW.db EXPORTED.chron\n", "dbfc" },
    { "stats", cmd_stats, "stats [--from DATE] [--to DATE] [--json] [--db PATH] [--bare]",
      "The threat register in numbers: the incidents dated in the period (default: all\n"
      "up to today) and the sums of their dead and injured, by region of collective\n"
      "security, by category and by year.\n", "dbjFT" },
    { "timeline", cmd_timeline,
      "timeline [--from DATE] [--to DATE] [--kind KINDS] [--svg FILE] [--json] [--db PATH] [--bare]",
      "The organization over a period, as the record stands on its last day: members\n"
      "and their standing, chairs of the Collective Security Council, Secretaries\n"
      "General, requests and deployments, exercises and standing operations, disputes.\n"
      "One line per period or event, in date order; an end of \"...\" means still so on\n"
      "the last day. With --svg a picture with one lane for each kind.\n", "dbjFTkg" },
    { "token", cmd_token,
      "token add --principal P --name NAME | token list [--json] | token revoke NAME [--db PATH]",
      "The crisis room's tokens (entente serve). 'add' prints a new token once, on\n"
      "standard output; only its hash is kept, in the journal file. P is a state code\n"
      "of the world (a delegation, e.g. KZ), chair, sg, secretariat, observer, admin or\n"
      "participant; NAME is a label, unique among live tokens. 'list' shows every\n"
      "token's name, principal and the times it was made and revoked (never the token).\n"
      "'revoke' ends the live token of that name.\n", "djPN" },
    { "help", cmd_help, "help [COMMAND]", "Show help for entente or one of its commands.\n", "" },
    { NULL, NULL, NULL, NULL, NULL }
};

static void usage(FILE *f)
{
    fprintf(f, "usage: %s COMMAND [ARGS]\n\n"
               "entente %s: an executable model of a collective security treaty organization\n"
               "(built in: the CSTO).\n\ncommands:\n",
            prog, ENT_VERSION);
    for (const command *c = commands; c->name; c++) fprintf(f, "  %s %s\n", prog, c->usage);
    fprintf(f, "  %s simulate --host STATE [--kind KIND] [--runs N] [--seed S] [-j N] [--json] ...\n", prog);
    fprintf(f, "  %s backtest [--model NAME] [--runs N] [--json]\n", prog);
    fprintf(f, "  %s sweep --host STATE --out FILE [--rule RULES] [--vary NAME=V,...] [--runs N] ...\n", prog);
    fprintf(f, "  %s serve --db PATH [--listen HOST:PORT] [--web DIR] [--threads N] ...\n", prog);
    fprintf(f, "\nExit status: 0 success, 1 refused by a rule, 64 usage, 65 malformed input,\n"
               "66 cannot open input, 67 no such record, 70 internal error, 71 out of memory,\n"
               "74 I/O error, 75 temporary failure, 77 not permitted for this principal.\n"
               "See '%s help COMMAND' and man entente(1).\n",
            prog);
}

static void command_help(const command *c, FILE *f)
{
    fprintf(f, "usage: %s %s\n\n%s", prog, c->usage, c->help);
    if (strchr(c->flags, 'd')) fprintf(f, "\n  --db PATH        the journal file (default: the built-in history, in memory)\n");
    if (strchr(c->flags, 'b')) fprintf(f, "  --bare           a new journal starts empty, not from the built-in history\n");
    if (strchr(c->flags, 'a')) fprintf(f, "  --at DATE        the date, YYYY-MM-DD (default: today)\n");
    if (strchr(c->flags, 'j')) fprintf(f, "  --json           JSON output\n");
    if (strchr(c->flags, 'f')) fprintf(f, "  --format FMT     chronicle, jsonl or csv\n");
    if (strchr(c->flags, 's')) fprintf(f, "  --set NAME=VALUE set an interpretation switch (see docs/rules.md)\n");
    if (strchr(c->flags, 'F'))
        fprintf(f, "  --from DATE      the first date counted, YYYY-MM-DD (default: the first %s)\n",
                strcmp(c->name, "timeline") == 0 ? "record" : "incident");
    if (strchr(c->flags, 'T')) fprintf(f, "  --to DATE        the last date counted, YYYY-MM-DD (default: today)\n");
    if (strchr(c->flags, 'k'))
        fprintf(f, "  --kind KINDS     a comma list of membership, chair, sg, deployments (and missions),\n"
                   "                   exercises, disputes, notes (default: all)\n");
    if (strchr(c->flags, 'g')) fprintf(f, "  --svg FILE       write an SVG picture to FILE ('-': standard output)\n");
    if (strchr(c->flags, 'c'))
        fprintf(f, "  --charter FILE   another organization's charter (docs/charters.md); no history\n");
    if (strchr(c->flags, 'P')) fprintf(f, "  --principal P    who the token acts for (token add)\n");
    if (strchr(c->flags, 'N')) fprintf(f, "  --name NAME      the token's name (token add)\n");
    fprintf(f, "  -h, --help       this help\n");
}

static int cmd_help(opts *o, int argc, char **argv)
{
    (void)o;
    if (argc == 0) {
        usage(stdout);
        return 0;
    }
    for (const command *c = commands; c->name; c++) {
        if (strcmp(c->name, argv[0]) == 0) {
            command_help(c, stdout);
            return 0;
        }
    }
    char *help[] = { argv[0], (char *)"--help", NULL };
    if (strcmp(argv[0], "simulate") == 0) return sim_main(prog, 2, help);
    if (strcmp(argv[0], "backtest") == 0) return sim_backtest_main(prog, 2, help);
    if (strcmp(argv[0], "sweep") == 0) return sim_sweep_main(prog, 2, help);
    if (strcmp(argv[0], "serve") == 0) return srv_main(prog, 2, help);
    fprintf(stderr, "%s help: no command '%s'\n", prog, argv[0]);
    return EX_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EX_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("entente %s\n", ENT_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "simulate") == 0) return sim_main(prog, argc - 1, argv + 1); /* src/sim/cli_sim.c */
    if (strcmp(argv[1], "backtest") == 0) return sim_backtest_main(prog, argc - 1, argv + 1); /* src/sim/backtest.c */
    if (strcmp(argv[1], "sweep") == 0) return sim_sweep_main(prog, argc - 1, argv + 1); /* src/sim/sweep.c */
    if (strcmp(argv[1], "serve") == 0) return srv_main(prog, argc - 1, argv + 1); /* src/server/serve.c */
    const command *c = NULL;
    for (const command *k = commands; k->name; k++)
        if (strcmp(k->name, argv[1]) == 0) c = k;
    if (!c) {
        fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
        usage(stderr);
        return EX_USAGE;
    }
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' },     { "bare", no_argument, NULL, 'b' },
        { "at", required_argument, NULL, 'a' },     { "json", no_argument, NULL, 'j' },
        { "format", required_argument, NULL, 'f' }, { "set", required_argument, NULL, 's' },
        { "charter", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
        { "from", required_argument, NULL, 'F' },   { "to", required_argument, NULL, 'T' },
        { "kind", required_argument, NULL, 'k' },   { "svg", required_argument, NULL, 'g' },
        { "principal", required_argument, NULL, 'P' }, { "name", required_argument, NULL, 'N' },
        { NULL, 0, NULL, 0 }
    };
    opts o;
    memset(&o, 0, sizeof o);
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(sub_argc, sub_argv, ":h", longopts, NULL)) != -1) {
        if (ch == 'h') {
            command_help(c, stdout);
            return 0;
        }
        if (ch == '?' || ch == ':') {
            /* glibc: a known option without its value gives ':' (with a
            ** leading ':' in optstring); anything else is unknown */
            const char *bad = sub_argv[optind - 1];
            if (ch == ':') fprintf(stderr, "%s %s: option '%s' needs a value\n", prog, c->name, bad);
            else fprintf(stderr, "%s %s: unknown option '%s'\n", prog, c->name, bad);
            fprintf(stderr, "usage: %s %s\n", prog, c->usage);
            return EX_USAGE;
        }
        if (!strchr(c->flags, ch)) {
            const char *name = "?";
            for (const struct option *lo = longopts; lo->name; lo++)
                if (lo->val == ch) name = lo->name;
            fprintf(stderr, "%s %s: option '--%s' does not apply to this command\nusage: %s %s\n", prog, c->name,
                    name, prog, c->usage);
            return EX_USAGE;
        }
        switch (ch) {
        case 'd': o.db = optarg; break;
        case 'b': o.bare = 1; break;
        case 'a': o.at = optarg; break;
        case 'j': o.json = 1; break;
        case 'f': o.format = optarg; break;
        case 'c': o.charter = optarg; break;
        case 'F': o.from = optarg; break;
        case 'T': o.to = optarg; break;
        case 'k': o.kind = optarg; break;
        case 'g': o.svg = optarg; break;
        case 'P': o.principal = optarg; break;
        case 'N': o.name = optarg; break;
        case 's':
            if (o.nsets == 16) {
                fprintf(stderr, "%s: too many --set\n", prog);
                return EX_USAGE;
            }
            o.sets[o.nsets++] = optarg;
            break;
        }
    }
    /* glibc's getopt_long permutes, so operands may come before or after the
    ** options ("route RU AM --json"); they are left in sub_argv[optind..]. */
    int nargs = sub_argc - optind;
    char **list = sub_argv + optind;
    return c->run(&o, nargs, list);
}
