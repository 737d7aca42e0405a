/*
** render_portal.c: external relations, dialogues, conferences, articles,
** comments and the moderation log in `state` (text and JSON) and `why`
** (portal.h; docs/cli.md). The state holds no text of the records that only
** grow; `why` prints them from the journal's events (query.c lists every
** event that mentions the id after what this file writes).
*/
#include "api.h"
#include "render.h"

#include "../core/portal.h"

#include <string.h>

static void js(ent_buf *b, const char *z) { ent__buf_json_str(b, z, strlen(z)); }
static void jsym(ent_buf *b, const ent_inst *s, ent_sym y)
{
    if (y) js(b, ent__sym_str(s, y));
    else ent__buf_puts(b, "null");
}
static void jdate(ent_buf *b, ent_date d)
{
    char x[11];
    if (d == ENT_DATE_NONE) ent__buf_puts(b, "null");
    else ent__buf_printf(b, "\"%s\"", ent__date_format(d, x));
}
static void jlt(ent_buf *b, int64_t lt)
{
    char x[17];
    if (lt == ENT_LT_NONE) ent__buf_puts(b, "null");
    else ent__buf_printf(b, "\"%s\"", ent__lt_format(lt, x));
}

static const char *party_name(const ent_inst *s, const ent_relation *r)
{
    return r->state >= 0 ? s->world->states[r->state].name : "";
}

static void relations_json(const ent_inst *s, ent_date d, ent_buf *b, int dialogue)
{
    ent__buf_puts(b, dialogue ? ",\"dialogues\":[" : ",\"relations\":[");
    const ent_relation *r = s->relations.p;
    int k = 0;
    for (size_t i = 0; i < s->relations.len; i++) {
        if (r[i].date > d || r[i].dialogue != dialogue) continue;
        ent__buf_puts(b, k++ ? ",{\"id\":" : "{\"id\":");
        jsym(b, s, r[i].id);
        ent__buf_puts(b, ",\"party\":");
        jsym(b, s, r[i].party);
        ent__buf_printf(b, ",\"kind\":\"%s\",\"status\":", r[i].is_state ? "state" : "organization");
        jsym(b, s, r[i].status);
        ent__buf_puts(b, ",\"since\":");
        jdate(b, r[i].date);
        ent__buf_puts(b, ",\"by\":");
        jsym(b, s, r[i].by);
        ent__buf_puts(b, ",\"text\":");
        jsym(b, s, r[i].text);
        int n = 0;
        ent_date last = ENT_DATE_NONE;
        const ent_meeting *m = s->meetings.p;
        for (size_t j = 0; j < s->meetings.len; j++)
            if (m[j].relation == (int32_t)i && m[j].date <= d) n++, last = last == ENT_DATE_NONE || m[j].date > last ? m[j].date : last;
        ent__buf_printf(b, ",\"meetings\":%d,\"last_meeting\":", n);
        jdate(b, last);
        ent__buf_putc(b, '}');
    }
    ent__buf_putc(b, ']');
}

/* Articles, comments, comments hidden and moderation entries on date d
** (a comment is hidden on d when its last moderation dated <= d hid it). */
typedef struct portal_counts {
    size_t articles, comments, hidden, moderations;
} portal_counts;

static portal_counts count_portal(const ent_inst *s, ent_date d)
{
    portal_counts n = { 0, 0, 0, 0 };
    const ent_modlog *ml = s->modlog.p;
    for (size_t i = 0; i < s->articles.len; i++) n.articles += ENT_VEC_AT(&s->articles, ent_article, i).date <= d;
    for (size_t i = 0; i < s->comments.len; i++) {
        if (ENT_VEC_AT(&s->comments, ent_comment, i).date > d) continue;
        n.comments++;
        int hidden = 0;
        for (size_t j = 0; j < s->modlog.len; j++)
            if (ml[j].comment == (int32_t)i && ml[j].date <= d) hidden = ml[j].hide;
        n.hidden += (size_t)hidden;
    }
    for (size_t j = 0; j < s->modlog.len; j++) n.moderations += ml[j].date <= d;
    return n;
}

void ent__portal_json(const ent_inst *s, ent_date d, ent_buf *b)
{
    relations_json(s, d, b, 0);
    relations_json(s, d, b, 1);
    ent__buf_puts(b, ",\"conferences\":[");
    const ent_conference *k = s->conferences.p;
    for (size_t i = 0, n = 0; i < s->conferences.len; i++) {
        if (k[i].date > d) continue;
        ent__buf_puts(b, n++ ? ",{\"id\":" : "{\"id\":");
        jsym(b, s, k[i].id);
        ent__buf_puts(b, ",\"title\":");
        jsym(b, s, k[i].title);
        ent__buf_puts(b, ",\"organizer\":");
        jsym(b, s, k[i].organizer);
        ent__buf_puts(b, ",\"city\":");
        jsym(b, s, k[i].city);
        ent__buf_printf(b, ",\"status\":\"%s\",\"year\":", ent__conference_status(&k[i], d));
        if (k[i].year) ent__buf_printf(b, "%d", k[i].year);
        else ent__buf_puts(b, "null");
        ent__buf_puts(b, ",\"start\":");
        jlt(b, k[i].start);
        ent__buf_puts(b, ",\"end\":");
        jlt(b, k[i].end);
        ent__buf_puts(b, ",\"tz\":");
        jsym(b, s, k[i].tz);
        ent__buf_puts(b, ",\"capacity\":");
        if (k[i].capacity >= 0) ent__buf_printf(b, "%d", k[i].capacity);
        else ent__buf_puts(b, "null");
        int reg = 0;
        const ent_registration *r = s->registrations.p;
        for (size_t j = 0; j < s->registrations.len; j++) reg += r[j].conference == (int32_t)i && r[j].date <= d;
        ent__buf_printf(b, ",\"registered\":%d,\"deadline\":", reg);
        jdate(b, k[i].deadline);
        ent__buf_puts(b, ",\"invited\":[");
        const ent_invite *v = s->invites.p;
        for (size_t j = 0, m = 0; j < s->invites.len; j++) {
            if (v[j].conference != (int32_t)i || v[j].date > d) continue;
            if (m++) ent__buf_putc(b, ',');
            jsym(b, s, v[j].party);
        }
        ent__buf_puts(b, "]}");
    }
    portal_counts pc = count_portal(s, d);
    size_t na = pc.articles, nc = pc.comments, nh = pc.hidden;
    const ent_modlog *ml = s->modlog.p;
    ent__buf_printf(b, "],\"articles\":%zu,\"comments\":%zu,\"comments_hidden\":%zu,\"moderation\":[", na, nc, nh);
    for (size_t j = 0, m = 0; j < s->modlog.len; j++) {
        if (ml[j].date > d) continue;
        ent__buf_puts(b, m++ ? ",{\"comment\":" : "{\"comment\":");
        jsym(b, s, ENT_VEC_AT(&s->comments, ent_comment, ml[j].comment).id);
        ent__buf_puts(b, ",\"date\":");
        jdate(b, ml[j].date);
        ent__buf_printf(b, ",\"action\":\"%s\",\"reason\":", ml[j].hide ? "hide" : "restore");
        jsym(b, s, ml[j].reason);
        ent__buf_putc(b, '}');
    }
    ent__buf_putc(b, ']');
}

static void relations_text(const ent_inst *s, ent_date d, ent_buf *b, int dialogue)
{
    char x[11];
    const ent_relation *r = s->relations.p;
    int k = 0;
    for (size_t i = 0; i < s->relations.len; i++) {
        if (r[i].date > d || r[i].dialogue != dialogue) continue;
        if (!k++) ent__buf_puts(b, dialogue ? "dialogues:\n" : "relations:\n");
        ent__buf_printf(b, "  %-12s %s%s%s (%s)", ent__sym_str(s, r[i].id), ent__sym_str(s, r[i].party),
                        r[i].state >= 0 ? " " : "", party_name(s, &r[i]), r[i].is_state ? "state" : "organization");
        if (r[i].status) ent__buf_printf(b, ", %s", ent__sym_str(s, r[i].status));
        ent__buf_printf(b, ", since %s", ent__date_format(r[i].date, x));
        int n = 0;
        const ent_meeting *m = s->meetings.p;
        for (size_t j = 0; j < s->meetings.len; j++) n += m[j].relation == (int32_t)i && m[j].date <= d;
        if (n) ent__buf_printf(b, ", %d meeting%s", n, n == 1 ? "" : "s");
        ent__buf_putc(b, '\n');
    }
}

void ent__portal_text(const ent_inst *s, ent_date d, ent_buf *b)
{
    char x[17], y[17], z[11];
    relations_text(s, d, b, 0);
    relations_text(s, d, b, 1);
    const ent_conference *k = s->conferences.p;
    for (size_t i = 0, n = 0; i < s->conferences.len; i++) {
        if (k[i].date > d) continue;
        if (!n++) ent__buf_puts(b, "conferences:\n");
        ent__buf_printf(b, "  %-12s \"%s\", %s, ", ent__sym_str(s, k[i].id), ent__sym_str(s, k[i].title),
                        ent__sym_str(s, k[i].city));
        if (k[i].start == ENT_LT_NONE) {
            ent__buf_printf(b, "planned for %d\n", k[i].year);
            continue;
        }
        int reg = 0;
        const ent_registration *r = s->registrations.p;
        for (size_t j = 0; j < s->registrations.len; j++) reg += r[j].conference == (int32_t)i && r[j].date <= d;
        ent__buf_printf(b, "%s to %s %s, %d", ent__lt_format(k[i].start, x), ent__lt_format(k[i].end, y),
                        ent__sym_str(s, k[i].tz), reg);
        if (k[i].capacity >= 0) ent__buf_printf(b, " of %d", k[i].capacity);
        ent__buf_puts(b, " registered");
        if (k[i].deadline != ENT_DATE_NONE) ent__buf_printf(b, ", deadline %s", ent__date_format(k[i].deadline, z));
        ent__buf_printf(b, ", %s\n", ent__conference_status(&k[i], d));
    }
    portal_counts pc = count_portal(s, d);
    size_t na = pc.articles, nc = pc.comments, nh = pc.hidden, nm = pc.moderations;
    const ent_modlog *ml = s->modlog.p;
    if (na || nc)
        ent__buf_printf(b, "portal:     %zu article%s, %zu comment%s (%zu hidden)\n", na, na == 1 ? "" : "s", nc,
                        nc == 1 ? "" : "s", nh);
    if (nm) {
        ent__buf_puts(b, "moderation:\n");
        for (size_t j = 0; j < s->modlog.len; j++) {
            if (ml[j].date > d) continue;
            ent__buf_printf(b, "  %s  %s %s: %s\n", ent__date_format(ml[j].date, z),
                            ent__sym_str(s, ENT_VEC_AT(&s->comments, ent_comment, ml[j].comment).id),
                            ml[j].hide ? "hidden" : "restored", ent__sym_str(s, ml[j].reason));
        }
    }
}


void ent__portal_why(const ent_inst *s, int kind, int32_t idx, ent_buf *b)
{
    char x[17], y[17], z[11];
    switch (kind) {
    case ENT_REC_RELATION: {
        const ent_relation *r = &ENT_VEC_AT(&s->relations, ent_relation, idx);
        ent__buf_printf(b, "%s: %s with %s%s%s (%s), recorded by %s on %s\n", ent__sym_str(s, r->id),
                        r->dialogue ? "dialogue" : "relation", ent__sym_str(s, r->party), r->state >= 0 ? " " : "",
                        party_name(s, r), r->is_state ? "state" : "organization", ent__sym_str(s, r->by),
                        ent__date_format(r->date, z));
        if (r->status) ent__buf_printf(b, "  status: %s\n", ent__sym_str(s, r->status));
        if (r->text) ent__buf_printf(b, "  \"%s\"\n", ent__sym_str(s, r->text));
        ent__buf_printf(b, "  meetings: %d", r->meetings);
        if (r->meetings) ent__buf_printf(b, ", the last on %s", ent__date_format(r->last_meeting, z));
        ent__buf_putc(b, '\n');
        break;
    }
    case ENT_REC_MEETING: {
        const ent_meeting *m = &ENT_VEC_AT(&s->meetings, ent_meeting, idx);
        const ent_relation *r = &ENT_VEC_AT(&s->relations, ent_relation, m->relation);
        ent__buf_printf(b, "%s: meeting of %s with %s (%s %s) on %s\n", ent__sym_str(s, m->id), ent__sym_str(s, m->by),
                        ent__sym_str(s, r->party), r->dialogue ? "dialogue" : "relation", ent__sym_str(s, r->id),
                        ent__date_format(m->date, z));
        break;
    }
    case ENT_REC_CONFERENCE: {
        const ent_conference *k = &ENT_VEC_AT(&s->conferences, ent_conference, idx);
        ent__buf_printf(b, "%s: conference \"%s\", %s, announced by %s on %s\n", ent__sym_str(s, k->id),
                        ent__sym_str(s, k->title), ent__sym_str(s, k->city), ent__sym_str(s, k->by),
                        ent__date_format(k->date, z));
        if (k->organizer) ent__buf_printf(b, "  organizer: %s\n", ent__sym_str(s, k->organizer));
        if (k->start == ENT_LT_NONE) {
            ent__buf_printf(b, "  planned for %d (no dates: no registration)\n", k->year);
        } else {
            ent__buf_printf(b, "  from %s to %s, local time of %s\n", ent__lt_format(k->start, x),
                            ent__lt_format(k->end, y), ent__sym_str(s, k->tz));
            ent__buf_printf(b, "  registered: %d", k->registered);
            if (k->capacity >= 0) ent__buf_printf(b, " of %d places", k->capacity);
            if (k->deadline != ENT_DATE_NONE) ent__buf_printf(b, "; deadline %s", ent__date_format(k->deadline, z));
            ent__buf_putc(b, '\n');
        }
        if (k->invited) ent__buf_printf(b, "  invited: %d\n", k->invited);
        ent__buf_puts(b, "rules applied:\n");
        ent__cite(s, b, "conferences", "registration within capacity and by the deadline");
        break;
    }
    case ENT_REC_REGISTRATION: {
        const ent_registration *r = &ENT_VEC_AT(&s->registrations, ent_registration, idx);
        const ent_conference *k = &ENT_VEC_AT(&s->conferences, ent_conference, r->conference);
        char code[10];
        ent__buf_printf(b, "%s: registration for %s on %s\n", ent__sym_str(s, r->id), ent__sym_str(s, k->id),
                        ent__date_format(r->date, z));
        ent__buf_printf(b, "  confirmation code: %s (BLAKE2b of the registration's content)\n",
                        ent__registration_code(r->code, code));
        ent__buf_puts(b, "rules applied:\n");
        ent__cite(s, b, "conferences", "registration within capacity and by the deadline");
        break;
    }
    case ENT_REC_ARTICLE: {
        const ent_article *a = &ENT_VEC_AT(&s->articles, ent_article, idx);
        ent__buf_printf(b, "%s: article published by %s on %s", ent__sym_str(s, a->id), ent__sym_str(s, a->by),
                        ent__date_format(a->date, z));
        if (a->about) ent__buf_printf(b, ", about %s", ent__sym_str(s, a->about));
        ent__buf_puts(b, " (author, title and text: in the event below)\n");
        break;
    }
    case ENT_REC_COMMENT: {
        const ent_comment *c = &ENT_VEC_AT(&s->comments, ent_comment, idx);
        ent__buf_printf(b, "%s: comment on %s, %s, on %s (author and text: in the event below)\n",
                        ent__sym_str(s, c->id), ent__sym_str(s, c->on), ent__stance_name(c->stance),
                        ent__date_format(c->date, z));
        const ent_modlog *ml = s->modlog.p;
        for (size_t j = 0; j < s->modlog.len; j++)
            if (ml[j].comment == idx)
                ent__buf_printf(b, "  %s by moderation on %s: %s\n", ml[j].hide ? "hidden" : "restored",
                                ent__date_format(ml[j].date, z), ent__sym_str(s, ml[j].reason));
        ent__buf_printf(b, "  now: %s\n", c->hidden ? "hidden (kept in the journal)" : "shown");
        ent__buf_puts(b, "rules applied:\n");
        ent__cite(s, b, "moderation", "only SG, for the Secretariat, hides or restores; every action is logged");
        break;
    }
    default: break;
    }
}
