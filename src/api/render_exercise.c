/*
** render_exercise.c: the exercises, plans of exercises and standing
** operations in `entente state` (text and JSON) and `entente why` (see
** render.h for the formats; the records are in src/core/act_exercise.c).
*/
#include "api.h"
#include "render.h"

#include <string.h>

static void json_s(ent_buf *b, const char *z) { ent__buf_json_str(b, z, strlen(z)); }

static void json_sym(ent_buf *b, const ent_inst *s, ent_sym y)
{
    if (y) json_s(b, ent__sym_str(s, y));
    else ent__buf_puts(b, "null");
}

static const char *code(const ent_inst *s, ent_state_id id) { return s->world->states[id].code; }

static int year_of(ent_date d)
{
    int y, m, dd;
    ent__date_split(d, &y, &m, &dd);
    return y;
}

static void json_states(ent_buf *b, const ent_inst *s, uint64_t set)
{
    ent__buf_putc(b, '[');
    for (int i = 0, k = 0; i < s->world->nstates; i++)
        if (set >> i & 1) ent__buf_printf(b, "%s\"%s\"", k++ ? "," : "", code(s, (ent_state_id)i));
    ent__buf_putc(b, ']');
}

void ent__exercises_json(const ent_inst *s, ent_date d, ent_buf *b)
{
    char x[11], y[11];
    ent__buf_puts(b, ",\"exercise_plans\":[");
    const ent_explan *pl = s->explans.p;
    for (size_t i = 0, k = 0; i < s->explans.len; i++) {
        if (pl[i].date > d) continue;
        ent__buf_printf(b, "%s{\"year\":%d,\"body\":\"%s\",\"date\":\"%s\",\"text\":", k++ ? "," : "", (int)pl[i].year,
                        s->charter->bodies[pl[i].body].code, ent__date_format(pl[i].date, x));
        json_sym(b, s, pl[i].text);
        ent__buf_putc(b, '}');
    }
    ent__buf_puts(b, "],\"exercises\":[");
    const ent_exercise *e = s->exercises.p;
    for (size_t i = 0, k = 0; i < s->exercises.len; i++) {
        if (e[i].date > d) continue;
        const char *st = ent__exercise_status(&e[i], d);
        ent__buf_puts(b, k++ ? ",{\"id\":" : "{\"id\":");
        json_sym(b, s, e[i].id);
        ent__buf_puts(b, ",\"name\":");
        json_sym(b, s, e[i].name);
        ent__buf_printf(b, ",\"kind\":\"%s\",\"host\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"dates\":\"%s\",\"place\":",
                        ent__exercise_kind_name(e[i].kind), code(s, e[i].host), ent__date_format(e[i].from, x),
                        ent__date_format(e[i].to, y), e[i].by_year ? "year" : "exact");
        json_sym(b, s, e[i].place);
        ent__buf_printf(b, ",\"status\":\"%s\"", st);
        if (strcmp(st, "cancelled") == 0) {
            ent__buf_printf(b, ",\"cancelled\":\"%s\",\"reason\":", ent__date_format(e[i].cancelled, x));
            json_sym(b, s, e[i].reason);
        }
        ent__buf_puts(b, ",\"participants\":");
        json_states(b, s, e[i].participants);
        ent__buf_puts(b, ",\"observers\":");
        json_states(b, s, e[i].observers);
        ent__buf_putc(b, '}');
    }
    ent__buf_puts(b, "],\"operations\":[");
    const ent_operation *o = s->operations.p;
    const ent_opreport *r = s->opreports.p;
    for (size_t i = 0, k = 0; i < s->operations.len; i++) {
        if (o[i].date > d) continue;
        ent__buf_puts(b, k++ ? ",{\"id\":" : "{\"id\":");
        json_sym(b, s, o[i].id);
        ent__buf_puts(b, ",\"name\":");
        json_sym(b, s, o[i].name);
        ent__buf_puts(b, ",\"kind\":");
        json_sym(b, s, o[i].kind);
        ent__buf_printf(b, ",\"body\":\"%s\",\"since\":\"%s\",\"reports\":[", s->charter->bodies[o[i].body].code,
                        ent__date_format(o[i].date, x));
        for (size_t j = 0, m = 0; j < s->opreports.len; j++) {
            if (r[j].op != (int32_t)i || r[j].date > d) continue;
            ent__buf_printf(b, "%s{\"year\":%d,\"date\":\"%s\",\"text\":", m++ ? "," : "", (int)r[j].year,
                            ent__date_format(r[j].date, x));
            json_sym(b, s, r[j].text);
            ent__buf_putc(b, '}');
        }
        ent__buf_puts(b, "]}");
    }
    ent__buf_putc(b, ']');
}

/* One exercise on one line: ID  NAME: KIND in HOST, DATES[ at PLACE], STATUS. */
static void text_exercise(const ent_inst *s, const ent_exercise *e, ent_date d, ent_buf *b)
{
    char x[11], y[11];
    const char *st = ent__exercise_status(e, d);
    ent__buf_printf(b, "  %s  %s: %s in %s, ", ent__sym_str(s, e->id), ent__sym_str(s, e->name),
                    ent__exercise_kind_name(e->kind), code(s, e->host));
    if (e->by_year) ent__buf_printf(b, "in %d", year_of(e->from));
    else ent__buf_printf(b, "%s to %s", ent__date_format(e->from, x), ent__date_format(e->to, y));
    if (e->place) ent__buf_printf(b, " at %s", ent__sym_str(s, e->place));
    if (strcmp(st, "cancelled") == 0)
        ent__buf_printf(b, ", cancelled on %s: \"%s\"\n", ent__date_format(e->cancelled, x), ent__sym_str(s, e->reason));
    else
        ent__buf_printf(b, ", %s\n", st);
}

void ent__exercises_text(const ent_inst *s, ent_date d, ent_buf *b)
{
    char x[11];
    int year = year_of(d);
    const ent_explan *pl = s->explans.p;
    for (size_t i = 0; i < s->explans.len; i++)
        if (pl[i].date <= d && pl[i].year == year)
            ent__buf_printf(b, "exercise plan: %d, by the %s on %s%s%s%s\n", year, s->charter->bodies[pl[i].body].code,
                            ent__date_format(pl[i].date, x), pl[i].text ? ": \"" : "", ent__sym_str(s, pl[i].text),
                            pl[i].text ? "\"" : "");
    const ent_exercise *e = s->exercises.p;
    int k = 0;
    for (size_t i = 0; i < s->exercises.len; i++) {
        if (e[i].date > d) continue;
        /* this year's, and those still to come */
        if (!(year_of(e[i].from) <= year && year <= year_of(e[i].to)) && !(e[i].from > d && e[i].cancelled == ENT_DATE_NONE))
            continue;
        if (!k++) ent__buf_puts(b, "exercises:\n");
        text_exercise(s, &e[i], d, b);
    }
    const ent_operation *o = s->operations.p;
    k = 0;
    for (size_t i = 0; i < s->operations.len; i++) {
        if (o[i].date > d) continue;
        if (!k++) ent__buf_puts(b, "operations:\n");
        int last = 0;
        const ent_opreport *r = s->opreports.p;
        for (size_t j = 0; j < s->opreports.len; j++)
            if (r[j].op == (int32_t)i && r[j].date <= d && r[j].year > last) last = r[j].year;
        ent__buf_printf(b, "  %s  %s: %s, standing since %s", ent__sym_str(s, o[i].id), ent__sym_str(s, o[i].name),
                        ent__sym_str(s, o[i].kind), ent__date_format(o[i].date, x));
        if (last) ent__buf_printf(b, ", results reported for %d", last);
        ent__buf_putc(b, '\n');
    }
}

void ent__exercises_why(const ent_inst *s, int kind, int32_t idx, ent_buf *b)
{
    char x[11], y[11];
    const ent_rule *r = ent__charter_rule(s->charter, "exercises");
    if (kind == ENT_REC_EXERCISE) {
        const ent_exercise *e = &ENT_VEC_AT(&s->exercises, ent_exercise, idx);
        ent__buf_printf(b, "%s: exercise \"%s\" (%s) hosted by %s %s, ", ent__sym_str(s, e->id), ent__sym_str(s, e->name),
                        ent__exercise_kind_name(e->kind), code(s, e->host), s->world->states[e->host].name);
        if (e->by_year) ent__buf_printf(b, "in %d (dates within the year not recorded)", year_of(e->from));
        else ent__buf_printf(b, "%s to %s", ent__date_format(e->from, x), ent__date_format(e->to, y));
        if (e->place) ent__buf_printf(b, " at %s", ent__sym_str(s, e->place));
        ent__buf_printf(b, ", recorded %s\n", ent__date_format(e->date, x));
        ent__buf_puts(b, "participants accepted by the host:");
        if (!e->participants) ent__buf_puts(b, " none recorded");
        for (int i = 0; i < s->world->nstates; i++)
            if (e->participants >> i & 1) ent__buf_printf(b, " %s", code(s, (ent_state_id)i));
        ent__buf_putc(b, '\n');
        if (e->observers) {
            ent__buf_puts(b, "observers:");
            for (int i = 0; i < s->world->nstates; i++)
                if (e->observers >> i & 1) ent__buf_printf(b, " %s", code(s, (ent_state_id)i));
            ent__buf_putc(b, '\n');
        }
        if (e->cancelled != ENT_DATE_NONE)
            ent__buf_printf(b, "outcome: cancelled by %s on %s: \"%s\"\n", code(s, e->host), ent__date_format(e->cancelled, x),
                            ent__sym_str(s, e->reason));
        else
            ent__buf_printf(b, "status on %s (the journal's last date): %s\n", ent__date_format(s->last_date, x),
                            ent__exercise_status(e, s->last_date));
        if (r) {
            ent__buf_puts(b, "rules applied:\n");
            ent__buf_printf(b, "  %-18s %s\n  %-18s %s", r->id, r->source, "",
                            "an active member hosts; it accepts the participants, members, and alone cancels, before the start");
            if (r->src[0]) ent__buf_printf(b, " [%s]", r->src);
            ent__buf_putc(b, '\n');
        }
    } else {
        const ent_operation *o = &ENT_VEC_AT(&s->operations, ent_operation, idx);
        ent__buf_printf(b, "%s: standing operation \"%s\" (%s) of the %s, since %s\n", ent__sym_str(s, o->id),
                        ent__sym_str(s, o->name), ent__sym_str(s, o->kind), s->charter->bodies[o->body].code,
                        ent__date_format(o->date, x));
        const ent_opreport *rp = s->opreports.p;
        for (size_t j = 0; j < s->opreports.len; j++)
            if (rp[j].op == idx)
                ent__buf_printf(b, "results for %d, reported %s: \"%s\"\n", (int)rp[j].year, ent__date_format(rp[j].date, x),
                                ent__sym_str(s, rp[j].text));
    }
}
