/*
** params.c: the simulator's parameter files (data/models.conf):
**
**   NAME VALUE src=TAGS "provenance"      # a comment
**
** NAME is letters, digits, '.', '-' and '_'; VALUE a decimal number; TAGS the
** sources behind it, or `judgement`; the quoted provenance is required. Every
** error of a file is reported as FILE:LINE:COL: error: ... with the line and
** a caret under the column.
*/
#include "sim.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int error_at(FILE *err, const char *file, int line, const char *l, size_t n, size_t col, const char *msg)
{
    fprintf(err, "%s:%d:%zu: error: %s\n    %.*s\n    %*s^\n", file, line, col + 1, msg, (int)n, l, (int)col, "");
    return -1;
}

static int name_char(int c) { return isalnum(c) || c == '.' || c == '-' || c == '_'; }

/* One line l[0..n); 0 ok (or blank), -1 error (reported). */
static int read_line(sim_params *ps, const char *file, int line, const char *l, size_t n, FILE *err)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t')) i++;
    if (i == n || l[i] == '#') return 0;
    size_t n0 = i;
    while (i < n && name_char((unsigned char)l[i])) i++;
    if (i == n0) return error_at(err, file, line, l, n, i, "expected a parameter name");
    if (i - n0 >= sizeof ps->p[0].name) return error_at(err, file, line, l, n, n0, "parameter name too long");
    sim_param_t p;
    memset(&p, 0, sizeof p);
    memcpy(p.name, l + n0, i - n0);
    while (i < n && (l[i] == ' ' || l[i] == '\t')) i++;
    size_t v0 = i;
    while (i < n && l[i] != ' ' && l[i] != '\t') i++;
    char num[64];
    if (i == v0) return error_at(err, file, line, l, n, v0, "expected a number after the name");
    if (i - v0 >= sizeof num) return error_at(err, file, line, l, n, v0, "not a number");
    memcpy(num, l + v0, i - v0);
    num[i - v0] = 0;
    char *end;
    p.value = strtod(num, &end);
    if (*end || !isfinite(p.value)) return error_at(err, file, line, l, n, v0, "not a number");
    while (i < n && (l[i] == ' ' || l[i] == '\t')) i++;
    if (n - i < 4 || memcmp(l + i, "src=", 4) != 0)
        return error_at(err, file, line, l, n, i, "expected src=TAGS (the sources, or judgement)");
    i += 4;
    size_t s0 = i;
    while (i < n && l[i] != ' ' && l[i] != '\t') i++;
    if (i == s0) return error_at(err, file, line, l, n, s0, "empty src=");
    if (i - s0 >= sizeof p.src) return error_at(err, file, line, l, n, s0, "src= too long");
    memcpy(p.src, l + s0, i - s0);
    while (i < n && (l[i] == ' ' || l[i] == '\t')) i++;
    if (i == n || l[i] != '"') return error_at(err, file, line, l, n, i, "expected the \"provenance\" of the value");
    size_t q0 = ++i;
    while (i < n && l[i] != '"') i++;
    if (i == n) return error_at(err, file, line, l, n, q0 - 1, "unterminated \"provenance\"");
    if (i == q0) return error_at(err, file, line, l, n, q0 - 1, "empty \"provenance\"");
    if (i - q0 >= sizeof p.why) return error_at(err, file, line, l, n, q0, "provenance too long");
    memcpy(p.why, l + q0, i - q0);
    i++;
    while (i < n && (l[i] == ' ' || l[i] == '\t')) i++;
    if (i < n && l[i] != '#') return error_at(err, file, line, l, n, i, "unexpected text after the provenance");
    for (int k = 0; k < ps->n; k++) {
        if (strcmp(ps->p[k].name, p.name) == 0) {
            ps->p[k] = p;
            return 0;
        }
    }
    if (ps->n == SIM_MAX_PARAMS) return error_at(err, file, line, l, n, n0, "too many parameters");
    ps->p[ps->n++] = p;
    return 0;
}

int sim_params_read(sim_params *ps, const char *file, const char *text, size_t len, FILE *err)
{
    int bad = 0, line = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n && p[n - 1] == '\r') n--;
        line++;
        if (read_line(ps, file, line, p, n, err)) bad = 1;
        p = nl ? nl + 1 : end;
    }
    return bad ? -1 : 0;
}

double sim_param(const sim_params *ps, const char *name, double dflt, int *found)
{
    for (int k = 0; k < ps->n; k++) {
        if (strcmp(ps->p[k].name, name) == 0) {
            if (found) *found = 1;
            return ps->p[k].value;
        }
    }
    if (found) *found = 0;
    return dflt;
}
