/*
** shared.c: what `entente simulate` (cli_sim.c) and `entente sweep`
** (sweep.c) print alike: the header lines that make an output reproducible
** (the crisis; the charter and its switches; the parameters' digest),
** Wilson's interval, and the parameters read from data/models.conf and
** --params.
*/
#include "shared.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

const char *const sim_kind_names[4] = { "unrest", "aggression", "border-clash", "terrorism" };
const char *const sim_rule_names[3] = { "consensus", "two-thirds", "majority" };

sim_interval sim_wilson(uint64_t k, uint64_t n)
{
    sim_interval r = { 0, 0, 0 };
    if (!n) return r;
    double z = 1.959963984540054, p = (double)k / (double)n, nn = (double)n, z2 = z * z;
    double c = (p + z2 / (2 * nn)) / (1 + z2 / nn), h = z / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    r.p = p;
    r.lo = c - h < 0 ? 0 : c - h;
    r.hi = c + h > 1 ? 1 : c + h;
    return r;
}

uint64_t sim_params_digest(const sim_params *ps)
{
    uint64_t h = 14695981039346656037ull;
    for (int k = 0; k < ps->n; k++) {
        char b[300];
        int n = snprintf(b, sizeof b, "%s=%.17g;%s\n", ps->p[k].name, ps->p[k].value, ps->p[k].src);
        for (int i = 0; i < n && i < (int)sizeof b; i++) h = (h ^ (unsigned char)b[i]) * 1099511628211ull;
    }
    return h;
}

const char *sim_asks(const ent_frame *f, int drawn)
{
    return f->request == 1 ? "asks for consultations" : f->request == 2 ? "does not ask for help" : drawn ? "may ask for help" : "asks for help";
}

void sim_header_crisis(FILE *o, const char *lead, const char *cmd, const ent_frame *f, double severity, int drawn)
{
    fprintf(o, "%sentente %s %s: %s %s (%s%s%s, severity %.2f) on %s\n", lead, ENT_VERSION, cmd,
            f->states[f->host].code, sim_asks(f, drawn), sim_kind_names[f->kind], f->adversary >= 0 ? ", against " : "",
            f->adversary >= 0 ? f->states[f->adversary].code : "", severity, f->date);
}

int sim_request_arg(const char *arg, const char **request, int *drawn)
{
    static const char *const names[4] = { "assistance", "consultations", "none", "model" };
    for (int i = 0; i < 4; i++)
        if (strcmp(arg, names[i]) == 0) {
            *request = i == 3 ? "assistance" : names[i];
            *drawn = i == 3;
            return 0;
        }
    return -1;
}

void sim_print_request(FILE *o, const char *lead, const ent_frame *f, const sim_model *m, int drawn)
{
    if (f->request == 0 && !drawn && !f->unasked_ok) return; /* the usual case: the host asks */
    static const char *const what[3] = { "assistance", "consultations", "nothing" };
    fprintf(o, "%srequest: %s asks for %s", lead, f->states[f->host].code, what[f->request]);
    if (f->request == 0 && drawn) fprintf(o, " with probability %.4f (the model)", m->p_ask);
    if (f->unasked_ok)
        fprintf(o, "; without its request the %s proposes a deployment with probability %.4f (deploy.request=optional)",
                f->body, (double)m->unasked_cut / 18446744073709551616.0);
    else fprintf(o, "; without it no deployment (deploy.request=required)");
    fputc('\n', o);
}

void sim_header_charter(FILE *o, const char *lead, const ent_frame *f, const char *const *sets, int nsets)
{
    fprintf(o, "%scharter %s: %s decides, %s%s, quorum %d; force %s (%d); withdrawal %d days", lead, f->org, f->body,
            sim_rule_names[f->rule],
            f->rule == 0 ? (f->limited_ok ? " (limited format allowed)" : " (no limited format)") : "", f->quorum,
            f->force, f->strength, f->withdrawal_days);
    for (int i = 0; i < nsets; i++) fprintf(o, "%s%s", i ? ", " : "; switches ", sets[i]);
    fputc('\n', o);
}

char *sim_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap + 1);
    for (size_t k; b && (k = fread(b + n, 1, cap - n, f)) > 0;) {
        n += k;
        if (n == cap) {
            char *nb = realloc(b, (cap *= 2) + 1);
            if (!nb) free(b);
            b = nb;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad || !b) {
        free(b);
        if (!bad) errno = ENOMEM;
        return NULL;
    }
    b[n] = 0;
    *len = n;
    return b;
}

int sim_load_params(sim_params *ps, const char *file, const char *prog, const char *cmd)
{
    size_t blen;
    const char *btext = ent_builtin("data/models.conf", &blen);
    memset(ps, 0, sizeof *ps);
    if (!btext || sim_params_read(ps, "data/models.conf", btext, blen, stderr)) {
        fprintf(stderr, "%s %s: the built-in parameters do not read\n", prog, cmd);
        return EX_SOFTWARE;
    }
    if (!file) return 0;
    size_t len;
    errno = 0;
    char *text = sim_read_file(file, &len);
    if (!text) {
        fprintf(stderr, "%s %s: %s: %s\n", prog, cmd, file, strerror(errno ? errno : EIO));
        return EX_NOINPUT;
    }
    int bad = sim_params_read(ps, file, text, len, stderr);
    free(text);
    return bad ? EX_DATAERR : 0;
}
