/*
** stats.c: ent_stats(), the threat register in numbers (`entente stats`):
** the incidents dated in a period and their casualties, by region of
** collective security, by category and by year, as aligned text tables or
** one JSON object (docs/cli.md).
**
** dead and injured are the sums of the figures that incidents give; an
** incident without a figure adds nothing, and the count of such incidents is
** printed (text: the note under the totals; JSON: "without_figures").
*/
#include "api.h"

#include "../core/register.h"

#include <stdio.h>
#include <string.h>

typedef struct tally {
    long n, dead, injured;
} tally;

typedef struct year_tally {
    int year;
    tally t;
} year_tally;

static void add(tally *t, const ent_incident *r)
{
    t->n++;
    if (r->dead > 0) t->dead += r->dead;
    if (r->injured > 0) t->injured += r->injured;
}

static int parse_date(const char *z, const char *flag, ent_date *d, ent_report *rep)
{
    int r = ent__date_parse(z, strlen(z), d);
    if (r) ent__report(rep, ENT_DIAG_ERROR, flag, r == -2 ? "no such date: %s" : "not a date YYYY-MM-DD: %s", z);
    return r ? ENT_EUSAGE : ENT_OK;
}

/* One row of a text table: the label in a column of width w, then the three
** counts right-aligned under their headers. */
static void row(ent_buf *b, int w, const char *label, const tally *t)
{
    ent__buf_printf(b, "  %-*s %9ld %7ld %8ld\n", w, label, t->n, t->dead, t->injured);
}

static void json_tally(ent_buf *b, const tally *t)
{
    ent__buf_printf(b, "\"incidents\":%ld,\"dead\":%ld,\"injured\":%ld}", t->n, t->dead, t->injured);
}

int ent_stats(ent_db *db, const char *from, const char *to, int format, char **out, ent_report *rep)
{
    ent_date d0 = ENT_DATE_NONE, d1;
    *out = NULL;
    if (from && parse_date(from, "--from", &d0, rep)) return ENT_EUSAGE;
    if (to) {
        if (parse_date(to, "--to", &d1, rep)) return ENT_EUSAGE;
    } else if (ent__query_date(db, NULL, &d1, rep)) {
        return ENT_EUSAGE;
    }
    if (d0 != ENT_DATE_NONE && d0 > d1) {
        char x[11], y[11];
        ent__report(rep, ENT_DIAG_ERROR, "--from", "%s is after --to %s", ent__date_format(d0, x), ent__date_format(d1, y));
        return ENT_EUSAGE;
    }
    const ent_inst *s = &db->inst;
    tally all = { 0, 0, 0 }, region[ENT_REGION_N], cat[ENT_INC_NCATS];
    memset(region, 0, sizeof region);
    memset(cat, 0, sizeof cat);
    long without = 0;
    ent_vec years;
    ent__vec_init(&years, sizeof(year_tally));
    int oom = 0;
    const ent_incident *r = s->incidents.p;
    for (size_t i = 0; i < s->incidents.len; i++) {
        if (r[i].date > d1 || (d0 != ENT_DATE_NONE && r[i].date < d0)) continue;
        add(&all, &r[i]);
        add(&region[r[i].region], &r[i]);
        add(&cat[r[i].category], &r[i]);
        without += r[i].dead < 0 && r[i].injured < 0;
        int y, m, dd;
        ent__date_split(r[i].date, &y, &m, &dd);
        /* years in ascending order: insert in place */
        year_tally *yt = years.p;
        size_t k = 0;
        while (k < years.len && yt[k].year < y) k++;
        if (k == years.len || yt[k].year != y) {
            if (!ent__vec_push(&years)) {
                oom = 1;
                break;
            }
            yt = years.p;
            memmove(&yt[k + 1], &yt[k], (years.len - 1 - k) * sizeof *yt);
            yt[k] = (year_tally){ y, { 0, 0, 0 } };
        }
        add(&yt[k].t, &r[i]);
    }
    ent_buf b = { 0 };
    char x[11], z[11];
    const year_tally *yt = years.p;
    if (format == ENT_FMT_JSON) {
        ent__buf_puts(&b, "{\"from\":");
        if (d0 == ENT_DATE_NONE) ent__buf_puts(&b, "null");
        else ent__buf_printf(&b, "\"%s\"", ent__date_format(d0, x));
        ent__buf_printf(&b, ",\"to\":\"%s\",", ent__date_format(d1, z));
        json_tally(&b, &all);
        b.len--; /* reopen the object that json_tally closed */
        ent__buf_printf(&b, ",\"without_figures\":%ld,\"by_region\":[", without);
        for (int i = 1, k = 0; i <= ENT_REGION_N; i++) {
            int g = i % ENT_REGION_N; /* the three regions, then "none" */
            if (g == ENT_REGION_NONE && !region[g].n) continue;
            ent__buf_printf(&b, "%s{\"region\":\"%s\",", k++ ? "," : "", ent__region_name(g));
            json_tally(&b, &region[g]);
        }
        ent__buf_puts(&b, "],\"by_category\":[");
        for (int i = 0; i < ENT_INC_NCATS; i++) {
            ent__buf_printf(&b, "%s{\"category\":\"%s\",", i ? "," : "", ent__inc_cat_name(i));
            json_tally(&b, &cat[i]);
        }
        ent__buf_puts(&b, "],\"by_year\":[");
        for (size_t i = 0; i < years.len; i++) {
            ent__buf_printf(&b, "%s{\"year\":%d,", i ? "," : "", yt[i].year);
            json_tally(&b, &yt[i].t);
        }
        ent__buf_puts(&b, "]}\n");
    } else {
        if (d0 == ENT_DATE_NONE) ent__buf_printf(&b, "threat register: incidents up to %s\n", ent__date_format(d1, z));
        else
            ent__buf_printf(&b, "threat register: incidents from %s to %s\n", ent__date_format(d0, x),
                            ent__date_format(d1, z));
        ent__buf_printf(&b, "%ld incident%s, %ld dead, %ld injured", all.n, all.n == 1 ? "" : "s", all.dead, all.injured);
        if (without) ent__buf_printf(&b, " (%ld of them give no figure)", without);
        ent__buf_puts(&b, "\n\n");
        int w = (int)strlen("cross-border-crime");
        ent__buf_printf(&b, "  %-*s %9s %7s %8s\n", w, "region", "incidents", "dead", "injured");
        for (int i = 1; i <= ENT_REGION_N; i++) {
            int g = i % ENT_REGION_N;
            if (g == ENT_REGION_NONE && !region[g].n) continue;
            row(&b, w, g == ENT_REGION_NONE ? "none (no region)" : ent__region_name(g), &region[g]);
        }
        ent__buf_printf(&b, "\n  %-*s %9s %7s %8s\n", w, "category", "incidents", "dead", "injured");
        for (int i = 0; i < ENT_INC_NCATS; i++) row(&b, w, ent__inc_cat_name(i), &cat[i]);
        ent__buf_printf(&b, "\n  %-*s %9s %7s %8s\n", w, "year", "incidents", "dead", "injured");
        for (size_t i = 0; i < years.len; i++) {
            char yb[12];
            snprintf(yb, sizeof yb, "%d", yt[i].year);
            row(&b, w, yb, &yt[i].t);
        }
        if (!years.len) ent__buf_puts(&b, "  (none)\n");
    }
    ent__vec_free(&years);
    if (oom || b.oom) {
        ent__buf_free(&b);
        return ENT_ENOMEM;
    }
    if (!b.p) ent__buf_puts(&b, "");
    *out = b.p;
    return b.oom ? ENT_ENOMEM : ENT_OK;
}
