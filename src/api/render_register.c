/*
** render_register.c: the threat register and the disputes between members
** in `state` (text and JSON) and `why` (register.h; docs/cli.md).
*/
#include "api.h"
#include "render.h"

#include "../core/register.h"

#include <string.h>

static const char *code(const ent_inst *s, ent_state_id id) { return id >= 0 ? s->world->states[id].code : "?"; }

static void json_date(ent_buf *b, ent_date d)
{
    char x[11];
    if (d == ENT_DATE_NONE) ent__buf_puts(b, "null");
    else ent__buf_printf(b, "\"%s\"", ent__date_format(d, x));
}

static void json_count(ent_buf *b, int32_t v)
{
    if (v < 0) ent__buf_puts(b, "null");
    else ent__buf_printf(b, "%d", v);
}

static size_t incidents_to(const ent_inst *s, ent_date d)
{
    size_t n = 0;
    const ent_incident *r = s->incidents.p;
    for (size_t i = 0; i < s->incidents.len; i++) n += r[i].date <= d;
    return n;
}

void ent__register_json(const ent_inst *s, ent_date d, ent_buf *b)
{
    ent__buf_puts(b, ",\"disputes\":[");
    const ent_dispute *x = s->disputes.p;
    for (size_t i = 0, k = 0; i < s->disputes.len; i++) {
        if (!ent__dispute_open_on(&x[i], d)) continue;
        const ent_dstep *t = ent__dispute_last_step(s, (int32_t)i, d);
        const ent_incident *r = &ENT_VEC_AT(&s->incidents, ent_incident, x[i].incident);
        int32_t dead, injured;
        ent__dispute_casualties(s, (int32_t)i, d, &dead, &injured);
        ent__buf_puts(b, k++ ? ",{\"id\":" : "{\"id\":");
        ent__buf_json_str(b, ent__sym_str(s, x[i].id), strlen(ent__sym_str(s, x[i].id)));
        ent__buf_printf(b, ",\"parties\":[\"%s\",\"%s\"],\"opened\":", code(s, x[i].a), code(s, x[i].b));
        json_date(b, x[i].opened);
        ent__buf_puts(b, ",\"incident\":");
        ent__buf_json_str(b, ent__sym_str(s, r->id), strlen(ent__sym_str(s, r->id)));
        ent__buf_printf(b, ",\"last_step\":\"%s\",\"last_step_date\":", ent__dstep_name(t ? t->step : ENT_DS_OPENED));
        json_date(b, t ? t->date : x[i].opened);
        ent__buf_puts(b, ",\"dead\":");
        json_count(b, dead);
        ent__buf_puts(b, ",\"injured\":");
        json_count(b, injured);
        ent__buf_putc(b, '}');
    }
    ent__buf_printf(b, "],\"incidents\":%zu", incidents_to(s, d));
}

void ent__register_text(const ent_inst *s, ent_date d, ent_buf *b)
{
    char x1[11], x2[11];
    const ent_dispute *x = s->disputes.p;
    int k = 0;
    for (size_t i = 0; i < s->disputes.len; i++) {
        if (!ent__dispute_open_on(&x[i], d)) continue;
        if (!k++) ent__buf_puts(b, "disputes:\n");
        const ent_dstep *t = ent__dispute_last_step(s, (int32_t)i, d);
        int32_t dead, injured;
        ent__dispute_casualties(s, (int32_t)i, d, &dead, &injured);
        ent__buf_printf(b, "  %s  %s-%s, opened %s, last step %s on %s", ent__sym_str(s, x[i].id), code(s, x[i].a),
                        code(s, x[i].b), ent__date_format(x[i].opened, x1), ent__dstep_name(t ? t->step : ENT_DS_OPENED),
                        ent__date_format(t ? t->date : x[i].opened, x2));
        if (dead >= 0) ent__buf_printf(b, ", %d dead", dead);
        if (injured >= 0) ent__buf_printf(b, ", %d injured", injured);
        ent__buf_putc(b, '\n');
    }
    if (!k) ent__buf_puts(b, "disputes:   none open\n");
    size_t n = incidents_to(s, d);
    ent__buf_printf(b, "incidents:  %zu to date%s\n", n, n ? " (entente stats)" : "");
}


static void casualties(ent_buf *b, int32_t dead, int32_t injured)
{
    if (dead >= 0) ent__buf_printf(b, "%d dead", dead);
    else ent__buf_puts(b, "dead not given");
    if (injured >= 0) ent__buf_printf(b, ", %d injured\n", injured);
    else ent__buf_puts(b, ", injured not given\n");
}

void ent__register_why(const ent_inst *s, int kind, int32_t idx, ent_buf *b)
{
    char x1[11], x2[11];
    if (kind == ENT_REC_INCIDENT) {
        const ent_incident *r = &ENT_VEC_AT(&s->incidents, ent_incident, idx);
        ent__buf_printf(b, "%s: incident (%s) in %s %s", ent__sym_str(s, r->id), ent__inc_cat_name(r->category),
                        code(s, r->state), s->world->states[r->state].name);
        if (r->other >= 0) ent__buf_printf(b, " with %s %s", code(s, r->other), s->world->states[r->other].name);
        ent__buf_printf(b, " on %s\n", ent__date_format(r->date, x1));
        if (r->text) ent__buf_printf(b, "  \"%s\"\n", ent__sym_str(s, r->text));
        ent__buf_printf(b, "region: %s (%s)\n", ent__region_name(r->region), r->region_given ? "given" : "from the state");
        if (r->severity >= 0) ent__buf_printf(b, "severity: %d of 10\n", r->severity);
        ent__buf_puts(b, "casualties: ");
        casualties(b, r->dead, r->injured);
        const ent_dispute *x = s->disputes.p;
        for (size_t i = 0; i < s->disputes.len; i++)
            if (x[i].incident == idx || r->dispute == (int32_t)i)
                ent__buf_printf(b, "dispute: %s\n", ent__sym_str(s, x[i].id));
        ent__buf_puts(b, "rules applied:\n  none: an incident is a fact, recorded as it happened\n");
        return;
    }
    const ent_dispute *x = &ENT_VEC_AT(&s->disputes, ent_dispute, idx);
    const ent_incident *r = &ENT_VEC_AT(&s->incidents, ent_incident, x->incident);
    ent__buf_printf(b, "%s: dispute between %s %s and %s %s, opened by the %s on %s on incident %s (%s, %s)\n",
                    ent__sym_str(s, x->id), code(s, x->a), s->world->states[x->a].name, code(s, x->b),
                    s->world->states[x->b].name, x->opener >= 0 ? s->charter->bodies[x->opener].code : "SG",
                    ent__date_format(x->opened, x1), ent__sym_str(s, r->id), ent__inc_cat_name(r->category),
                    ent__date_format(r->date, x2));
    if (x->text) ent__buf_printf(b, "  \"%s\"\n", ent__sym_str(s, x->text));
    if (x->severity >= 0) ent__buf_printf(b, "severity: %d of 10\n", x->severity);
    ent__buf_puts(b, "steps:\n");
    const ent_dstep *t = s->dsteps.p;
    for (size_t i = 0; i < s->dsteps.len; i++) {
        if (t[i].dispute != idx) continue;
        ent__buf_printf(b, "  %s  %s", ent__date_format(t[i].date, x1), ent__dstep_name(t[i].step));
        if (t[i].step == ENT_DS_OPENED || t[i].step == ENT_DS_CONTACT)
            ent__buf_printf(b, " (%s)", t[i].by >= 0 ? s->charter->bodies[t[i].by].code : "SG");
        if (t[i].text) ent__buf_printf(b, " \"%s\"", ent__sym_str(s, t[i].text));
        ent__buf_putc(b, '\n');
    }
    if (x->settled != ENT_DATE_NONE) ent__buf_printf(b, "status: settled on %s\n", ent__date_format(x->settled, x1));
    else ent__buf_puts(b, "status: open\n");
    int32_t dead, injured;
    ent__dispute_casualties(s, idx, ENT_DATE_MAX, &dead, &injured);
    ent__buf_puts(b, "casualties: ");
    casualties(b, dead, injured);
    ent__buf_puts(b, "rules applied:\n");
    ent__cite(s, b, "disputes", "no use of force among members: peaceful steps, none after the settlement");
}
