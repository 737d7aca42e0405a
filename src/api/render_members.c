/*
** render_members.c: the sessions of the bodies and the membership procedures
** (applications, notices of withdrawal) in `state` (text and JSON) and `why`
** (act_members.c; docs/cli.md).
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

static void json_states(const ent_inst *s, ent_buf *b, uint64_t mask)
{
    ent__buf_putc(b, '[');
    for (int i = 0, k = 0; i < s->world->nstates; i++)
        if (mask >> i & 1) ent__buf_printf(b, "%s\"%s\"", k++ ? "," : "", code(s, (ent_state_id)i));
    ent__buf_putc(b, ']');
}

static void text_states(const ent_inst *s, ent_buf *b, uint64_t mask)
{
    int k = 0;
    for (int i = 0; i < s->world->nstates; i++)
        if (mask >> i & 1) ent__buf_printf(b, "%s%s", k++ ? "," : "", code(s, (ent_state_id)i));
    if (!k) ent__buf_puts(b, "none");
}

static const char *body_code(const ent_inst *s, int body) { return s->charter->bodies[body].code; }

void ent__members_json(const ent_inst *s, ent_date d, ent_buf *b)
{
    ent__buf_puts(b, ",\"sessions\":[");
    const ent_session *x = s->sessions.p;
    for (size_t i = 0, k = 0; i < s->sessions.len; i++) {
        if (x[i].date > d) continue;
        ent__buf_puts(b, k++ ? ",{\"id\":" : "{\"id\":");
        if (x[i].id) ent__buf_json_str(b, ent__sym_str(s, x[i].id), strlen(ent__sym_str(s, x[i].id)));
        else ent__buf_puts(b, "null");
        ent__buf_printf(b, ",\"body\":\"%s\",\"date\":", body_code(s, x[i].body));
        json_date(b, x[i].date);
        ent__buf_printf(b, ",\"mode\":\"%s\",\"kind\":\"%s\",\"convened_by\":\"%s\",\"attended\":",
                        x[i].video ? "video" : "in-person", x[i].extraordinary ? "extraordinary" : "regular",
                        code(s, x[i].chair));
        json_states(s, b, x[i].attended);
        ent__buf_puts(b, ",\"absent\":");
        json_states(s, b, x[i].absent);
        ent__buf_puts(b, ",\"text\":");
        const char *t = ent__sym_str(s, x[i].text);
        ent__buf_json_str(b, t, strlen(t));
        ent__buf_putc(b, '}');
    }
    ent__buf_puts(b, "],\"applications\":[");
    const ent_application *a = s->applications.p;
    for (size_t i = 0, k = 0; i < s->applications.len; i++) {
        if (a[i].date > d || (a[i].decided != ENT_DATE_NONE && a[i].decided <= d)) continue;
        ent__buf_printf(b, "%s{\"state\":\"%s\",\"date\":", k++ ? "," : "", code(s, a[i].state));
        json_date(b, a[i].date);
        ent__buf_putc(b, '}');
    }
    ent__buf_puts(b, "],\"withdrawals\":[");
    const ent_withdrawal *w = s->withdrawals.p;
    for (size_t i = 0, k = 0; i < s->withdrawals.len; i++) {
        if (w[i].date > d) continue;
        ent__buf_printf(b, "%s{\"state\":\"%s\",\"notice\":", k++ ? "," : "", code(s, w[i].state));
        json_date(b, w[i].date);
        ent__buf_puts(b, ",\"effective\":");
        json_date(b, w[i].effective);
        ent__buf_printf(b, ",\"status\":\"%s\"}", d < w[i].effective ? "pending" : "effective");
    }
    ent__buf_putc(b, ']');
}

static void session_line(const ent_inst *s, const ent_session *x, ent_buf *b)
{
    char y[11];
    ent__buf_printf(b, "  %s  %s %s%s, %s, convened by %s, absent: ", ent__date_format(x->date, y), body_code(s, x->body),
                    x->extraordinary ? "extraordinary" : "regular", x->video ? " by video" : "",
                    x->id ? ent__sym_str(s, x->id) : "(no id)", code(s, x->chair));
    text_states(s, b, x->absent);
    ent__buf_putc(b, '\n');
}

void ent__members_text(const ent_inst *s, ent_date d, ent_buf *b)
{
    const ent_session *x = s->sessions.p;
    size_t n = 0;
    for (size_t i = 0; i < s->sessions.len; i++) n += x[i].date <= d;
    if (n) {
        ent__buf_printf(b, "sessions:   %zu to date; the last:\n", n);
        /* the last three dated on or before d, in journal order */
        size_t skip = n > 3 ? n - 3 : 0;
        for (size_t i = 0; i < s->sessions.len; i++) {
            if (x[i].date > d) continue;
            if (skip) {
                skip--;
                continue;
            }
            session_line(s, &x[i], b);
        }
    }
    char y[11], z[11];
    const ent_application *a = s->applications.p;
    int k = 0;
    for (size_t i = 0; i < s->applications.len; i++) {
        if (a[i].date > d || (a[i].decided != ENT_DATE_NONE && a[i].decided <= d)) continue;
        ent__buf_printf(b, "%s%s since %s", k++ ? ", " : "applications: ", code(s, a[i].state), ent__date_format(a[i].date, y));
    }
    if (k) ent__buf_putc(b, '\n');
    const ent_withdrawal *w = s->withdrawals.p;
    for (size_t i = 0; i < s->withdrawals.len; i++) {
        if (w[i].date > d || d >= w[i].effective) continue;
        ent__buf_printf(b, "withdrawal: %s gave notice on %s; a former member from %s\n", code(s, w[i].state),
                        ent__date_format(w[i].date, y), ent__date_format(w[i].effective, z));
    }
}

void ent__session_why(const ent_inst *s, int32_t idx, ent_buf *b)
{
    const ent_session *x = &ENT_VEC_AT(&s->sessions, ent_session, idx);
    char y[11];
    ent__buf_printf(b, "%s: %s session of the %s (%s), %s, %s, convened by %s %s\n", ent__sym_str(s, x->id),
                    x->extraordinary ? "extraordinary" : "regular", body_code(s, x->body), s->charter->bodies[x->body].name,
                    ent__date_format(x->date, y), x->video ? "by video" : "in person", code(s, x->chair),
                    x->chair >= 0 ? s->world->states[x->chair].name : "");
    if (x->text) ent__buf_printf(b, "  \"%s\"\n", ent__sym_str(s, x->text));
    ent__buf_puts(b, "attended: ");
    text_states(s, b, x->attended);
    ent__buf_puts(b, "\nabsent:   ");
    text_states(s, b, x->absent);
    ent__buf_putc(b, '\n');
    const ent_proposal *p = s->proposals.p;
    int k = 0;
    for (size_t i = 0; i < s->proposals.len; i++) {
        if (p[i].session != idx + 1) continue;
        if (!k++) ent__buf_puts(b, "agenda:\n");
        ent__buf_printf(b, "  %s  %s, %s\n", ent__sym_str(s, p[i].id), ent__sym_str(s, p[i].kind),
                        ent__prop_status_name(p[i].status));
    }
    ent__buf_puts(b, "rules applied:\n");
    const char *ids[] = { "chair", "bodies", "consensus" };
    const char *notes[] = { "the chair convenes the sessions", "each body decides only what the charter gives it",
                            "an absent member is out: it does not block, and is not bound" };
    for (int i = 0; i < 3; i++) {
        const ent_rule *r = ent__charter_rule(s->charter, ids[i]);
        if (!r) continue;
        ent__buf_printf(b, "  %-18s %s\n  %-18s %s", r->id, r->source, "", notes[i]);
        if (r->src[0]) ent__buf_printf(b, " [%s]", r->src);
        ent__buf_putc(b, '\n');
    }
}

void ent__members_why_head(const ent_inst *s, const ent_proposal *p, ent_buf *b)
{
    char y[11];
    if (p->pkind == ENT_PK_ADMIT)
        ent__buf_printf(b, "%s: %s proposal to admit %s %s as a member, proposed %s\n", ent__sym_str(s, p->id),
                        body_code(s, p->body), code(s, p->third), s->world->states[p->third].name, ent__date_format(p->date, y));
    else
        ent__buf_printf(b, "%s: %s proposal of a %s, proposed %s\n", ent__sym_str(s, p->id), body_code(s, p->body),
                        ent__sym_str(s, p->kind), ent__date_format(p->date, y));
    if (p->text) ent__buf_printf(b, "  \"%s\"\n", ent__sym_str(s, p->text));
}

void ent__members_why_session(const ent_inst *s, const ent_proposal *p, ent_buf *b)
{
    if (!p->session) return;
    const ent_session *x = &ENT_VEC_AT(&s->sessions, ent_session, p->session - 1);
    ent__buf_printf(b, "  put at session %s; absent (out): ", ent__sym_str(s, x->id));
    text_states(s, b, x->absent);
    ent__buf_putc(b, '\n');
}
