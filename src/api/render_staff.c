/*
** render_staff.c: the chief of the Joint Staff and the missions in `state`
** (text and JSON) and `why` (act_staff.c; docs/cli.md).
*/
#include "api.h"
#include "render.h"

#include <string.h>

static const char *code(const ent_inst *s, ent_state_id id) { return id >= 0 ? s->world->states[id].code : "?"; }

static void json_date(ent_buf *b, ent_date d)
{
    char x[11];
    if (d == ENT_DATE_NONE) ent__buf_puts(b, "null");
    else ent__buf_printf(b, "\"%s\"", ent__date_format(d, x));
}

static void json_str(ent_buf *b, const char *z) { ent__buf_json_str(b, z, strlen(z)); }

void ent__staff_json(const ent_inst *s, ent_date d, ent_buf *b)
{
    const ent_chief *k = ent__inst_chief(s, d);
    ent__buf_puts(b, ",\"joint_staff_chief\":");
    if (k) {
        ent__buf_puts(b, "{\"name\":");
        json_str(b, ent__sym_str(s, k->name));
        ent__buf_puts(b, ",\"state\":");
        if (k->state >= 0) ent__buf_printf(b, "\"%s\"", code(s, k->state));
        else ent__buf_puts(b, "null");
        ent__buf_puts(b, ",\"from\":");
        json_date(b, k->from);
        ent__buf_putc(b, '}');
    } else {
        ent__buf_puts(b, "null");
    }
    ent__buf_puts(b, ",\"missions\":[");
    for (size_t i = 0, n = 0; i < s->missions.len; i++) {
        const ent_mission *m = &ENT_VEC_AT(&s->missions, ent_mission, i);
        if (m->date > d) continue;
        ent__buf_puts(b, n++ ? ",{\"id\":" : "{\"id\":");
        json_str(b, ent__sym_str(s, m->id));
        ent__buf_printf(b, ",\"body\":\"%s\",\"host\":\"%s\",\"date\":", s->charter->bodies[m->body].code, code(s, m->host));
        json_date(b, m->date);
        ent__buf_puts(b, ",\"request\":");
        if (m->request >= 0) json_str(b, ent__sym_str(s, ENT_VEC_AT(&s->requests, ent_request, m->request).id));
        else ent__buf_puts(b, "null");
        ent__buf_puts(b, ",\"lead\":");
        json_str(b, ent__sym_str(s, m->lead));
        ent__buf_puts(b, ",\"advance_team\":");
        json_date(b, m->advance <= d ? m->advance : ENT_DATE_NONE);
        ent__buf_puts(b, ",\"arrived\":");
        json_date(b, m->arrived <= d ? m->arrived : ENT_DATE_NONE);
        ent__buf_puts(b, ",\"complete\":");
        json_date(b, m->complete <= d ? m->complete : ENT_DATE_NONE);
        ent__buf_printf(b, ",\"status\":\"%s\",\"text\":", ent__mission_status(m, d));
        json_str(b, ent__sym_str(s, m->text));
        ent__buf_putc(b, '}');
    }
    ent__buf_putc(b, ']');
}

void ent__staff_text(const ent_inst *s, ent_date d, ent_buf *b)
{
    char x[11];
    const ent_chief *k = ent__inst_chief(s, d);
    if (k)
        ent__buf_printf(b, "joint staff chief: %s (%s), since %s\n", ent__sym_str(s, k->name),
                        k->state >= 0 ? code(s, k->state) : "?", ent__date_format(k->from, x));
    for (size_t i = 0; i < s->missions.len; i++) {
        const ent_mission *m = &ENT_VEC_AT(&s->missions, ent_mission, i);
        if (m->date > d) continue;
        ent__buf_printf(b, "mission:    %s to %s, %s %s, %s", ent__sym_str(s, m->id), code(s, m->host),
                        s->charter->bodies[m->body].code, ent__date_format(m->date, x), ent__mission_status(m, d));
        if (m->lead) ent__buf_printf(b, ", led by %s", ent__sym_str(s, m->lead));
        ent__buf_putc(b, '\n');
    }
}


void ent__mission_why(const ent_inst *s, int32_t idx, ent_buf *b)
{
    char x[11];
    const ent_mission *m = &ENT_VEC_AT(&s->missions, ent_mission, idx);
    ent__buf_printf(b, "%s: mission of the %s to %s %s, decided %s", ent__sym_str(s, m->id),
                    s->charter->bodies[m->body].code, code(s, m->host), s->world->states[m->host].name,
                    ent__date_format(m->date, x));
    if (m->request >= 0)
        ent__buf_printf(b, " on request %s", ent__sym_str(s, ENT_VEC_AT(&s->requests, ent_request, m->request).id));
    ent__buf_printf(b, ", %s\n", ent__mission_status(m, ENT_DATE_MAX));
    if (m->lead) ent__buf_printf(b, "  led by %s\n", ent__sym_str(s, m->lead));
    if (m->advance != ENT_DATE_NONE) ent__buf_printf(b, "  advance team arrived %s\n", ent__date_format(m->advance, x));
    if (m->arrived != ENT_DATE_NONE) ent__buf_printf(b, "  arrived %s\n", ent__date_format(m->arrived, x));
    if (m->complete != ENT_DATE_NONE) ent__buf_printf(b, "  complete %s\n", ent__date_format(m->complete, x));
    ent__buf_puts(b, "  a mission sends no forces and does not answer the request\n");
    ent__buf_puts(b, "rules applied:\n");
    ent__cite(s, b, "request", "a mission goes to a member's territory only at its request for assistance");
    ent__cite(s, b, "territory", "a mission goes only to a member's territory");
    ent__cite(s, b, "bodies", "the CSC decides missions (competence `mission`)");
}
