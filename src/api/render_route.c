/*
** render_route.c: the output of `entente route FROM TO [--json]`.
**
** The format is a contract (golden-tested); see render.h for both forms.
*/
#include "render.h"

#include <math.h>
#include <string.h>

#define PATH_MIN_WIDTH 28   /* the path column is at least this wide */

static const char *code_of(const ent_world *w, ent_state_id s)
{
    return s >= 0 && s < w->nstates ? w->states[s].code : "??";
}

static const char *name_of(const ent_world *w, ent_state_id s)
{
    return s >= 0 && s < w->nstates ? w->states[s].name : "??";
}

/* Is the hop into r->path[i] (i >= 1) by sea? Returns the link or NULL. */
static const ent_link *sea_hop(const ent_world *w, const ent_path *r, int i)
{
    int l = ent__world_adjacent(w, r->path[i - 1], r->path[i]);
    return l >= 0 && w->links[l].sea ? &w->links[l] : NULL;
}

/* "RU > GE > AM", "RU ~ IR > AM" into buf (big enough: 13 * 5 bytes). */
static size_t path_text(const ent_world *w, const ent_path *r, char *buf)
{
    size_t len = 0;
    for (int i = 0; i < r->n; i++) {
        if (i > 0) {
            memcpy(buf + len, sea_hop(w, r, i) ? " ~ " : " > ", 3);
            len += 3;
        }
        memcpy(buf + len, code_of(w, r->path[i]), 2);
        len += 2;
    }
    buf[len] = 0;
    return len;
}

/* km rounded to a whole number, with thousands separators: "12,345". */
static size_t km_text(double km, char *buf)
{
    long long v = llround(km < 0 ? 0 : km);
    char digits[24];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    size_t len = 0;
    for (int i = nd - 1; i >= 0; i--) {
        buf[len++] = digits[i];
        if (i > 0 && i % 3 == 0) buf[len++] = ',';
    }
    buf[len] = 0;
    return len;
}

/* " (Caspian)" or " (Caspian, Black)" for the seas crossed, in order of
** first crossing; "" when the route is all by land. buf: 256 bytes. */
static size_t seas_text(const ent_world *w, const ent_path *r, char *buf)
{
    const char *seen[ENT_ROUTE_MAX_HOPS];
    int nseen = 0;
    size_t len = 0;
    buf[0] = 0;
    for (int i = 1; i < r->n; i++) {
        const ent_link *l = sea_hop(w, r, i);
        if (!l) continue;
        int dup = 0;
        for (int j = 0; j < nseen; j++)
            if (strcmp(seen[j], l->sea_name) == 0) dup = 1;
        if (dup) continue;
        seen[nseen++] = l->sea_name;
        const char *pre = nseen == 1 ? " (" : ", ";
        memcpy(buf + len, pre, 2);
        len += 2;
        size_t k = strlen(l->sea_name);
        memcpy(buf + len, l->sea_name, k);
        len += k;
    }
    if (len) buf[len++] = ')';
    buf[len] = 0;
    return len;
}

static void render_json(const ent_world *w, ent_state_id from, ent_state_id to,
                        const char *date, const ent_path *r, int n, ent_buf *out)
{
    ent__buf_puts(out, "{\"from\":");
    ent__buf_json_str(out, code_of(w, from), strlen(code_of(w, from)));
    ent__buf_puts(out, ",\"to\":");
    ent__buf_json_str(out, code_of(w, to), strlen(code_of(w, to)));
    if (date) {
        ent__buf_puts(out, ",\"date\":");
        ent__buf_json_str(out, date, strlen(date));
    }
    ent__buf_puts(out, ",\"routes\":[");
    for (int i = 0; i < n; i++) {
        ent__buf_puts(out, i ? ",{\"path\":[" : "{\"path\":[");
        for (int j = 0; j < r[i].n; j++) {
            if (j) ent__buf_putc(out, ',');
            ent__buf_json_str(out, code_of(w, r[i].path[j]), 2);
        }
        ent__buf_puts(out, "],\"consent_needed\":[");
        for (int j = 0; j < r[i].nconsent; j++) {
            if (j) ent__buf_putc(out, ',');
            ent__buf_json_str(out, code_of(w, r[i].consent[j]), 2);
        }
        ent__buf_printf(out, "],\"km\":%.1f,\"sea\":%s}", r[i].km, r[i].sea ? "true" : "false");
    }
    ent__buf_puts(out, "]}\n");
}

static void render_text(const ent_world *w, ent_state_id from, ent_state_id to,
                        const char *date, const ent_path *r, int n, ent_buf *out)
{
    if (n <= 0) {
        ent__buf_printf(out, "no route from %s (%s) to %s (%s) over land borders and sea links\n",
                        name_of(w, from), code_of(w, from), name_of(w, to), code_of(w, to));
        return;
    }
    ent__buf_printf(out, "routes from %s (%s, %s) to %s (%s, %s)", name_of(w, from),
                    code_of(w, from), from >= 0 && from < w->nstates ? w->states[from].capital : "??",
                    name_of(w, to), code_of(w, to),
                    to >= 0 && to < w->nstates ? w->states[to].capital : "??");
    if (date) ent__buf_printf(out, " on %s", date);
    ent__buf_putc(out, '\n');

    /* Column widths over all routes. */
    char buf[256];
    int pathw = PATH_MIN_WIDTH, kmw = 1, seaw = 0, idxw = 1;
    for (int k = n; k >= 10; k /= 10) idxw++;
    for (int i = 0; i < n; i++) {
        int len = (int)path_text(w, &r[i], buf);
        if (len > pathw) pathw = len;
        len = (int)km_text(r[i].km, buf);
        if (len > kmw) kmw = len;
        len = (int)seas_text(w, &r[i], buf);
        if (len > seaw) seaw = len;
    }

    for (int i = 0; i < n; i++) {
        char km[32];
        path_text(w, &r[i], buf);
        km_text(r[i].km, km);
        ent__buf_printf(out, "  %*d. %-*s %*s km", idxw, i + 1, pathw, buf, kmw, km);
        seas_text(w, &r[i], buf);
        ent__buf_printf(out, "%-*s   consent: ", seaw, buf);
        if (r[i].nconsent == 0) ent__buf_puts(out, "none");
        for (int j = 0; j < r[i].nconsent; j++)
            ent__buf_printf(out, "%s%s (%s)", j ? ", " : "", code_of(w, r[i].consent[j]),
                            name_of(w, r[i].consent[j]));
        ent__buf_putc(out, '\n');
    }
}

void ent__routes_render(const ent_world *w, ent_state_id from, ent_state_id to,
                        const char *date, const ent_path *r, int n, int json, ent_buf *out)
{
    if (json)
        render_json(w, from, to, date, r, n, out);
    else
        render_text(w, from, to, date, r, n, out);
}
