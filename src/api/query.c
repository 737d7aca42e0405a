/*
** query.c: the queries of entente.h: the state on a date, the journal, how a
** record came about (why), routes, and export. Each renders text or JSON
** into a buffer handed to the caller.
*/
#include "api.h"
#include "render.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

static int finish(ent_buf *b, char **out)
{
    if (b->oom) {
        ent__buf_free(b);
        return ENT_ENOMEM;
    }
    if (!b->p) ent__buf_puts(b, "");
    *out = b->p;
    return b->oom ? ENT_ENOMEM : ENT_OK;
}

static const char *dstr(ent_date d, char buf[11]) { return ent__date_format(d, buf); }

static void json_date(ent_buf *b, ent_date d)
{
    char x[11];
    if (d == ENT_DATE_NONE) ent__buf_puts(b, "null");
    else ent__buf_printf(b, "\"%s\"", dstr(d, x));
}

static void json_s(ent_buf *b, const char *z) { ent__buf_json_str(b, z, strlen(z)); }

static const ent_country *country(const ent_inst *s, ent_state_id id) { return &s->world->states[id]; }

/* ------------------------------------------------------------------ */
/* State.                                                               */

/* States that have been members by date d, in world order; status per state. */
static int member_list(const ent_inst *s, ent_date d, ent_state_id *ids, int *status)
{
    int n = 0;
    for (int i = 0; i < s->world->nstates; i++) {
        int ms = ent__inst_mstatus(s, (ent_state_id)i, d);
        if (ms == ENT_MS_NONE || ms == ENT_MS_OBSERVER || ms == ENT_MS_PARTNER) continue;
        ids[n] = (ent_state_id)i;
        status[n++] = ms;
    }
    return n;
}

static void render_state_json(const ent_inst *s, ent_date d, ent_buf *b)
{
    char x[11];
    ent_state_id ids[ENT_MAX_STATES];
    int st[ENT_MAX_STATES];
    int n = member_list(s, d, ids, st);
    ent__buf_printf(b, "{\"date\":\"%s\",\"organization\":", dstr(d, x));
    json_s(b, s->charter->org);
    ent__buf_puts(b, ",\"organization_name\":");
    json_s(b, s->charter->org_name);
    int kind;
    ent_date since;
    ent_state_id chair = ent__inst_chair(s, d, &kind, &since);
    ent__buf_puts(b, ",\"chair\":");
    if (chair >= 0) json_s(b, country(s, chair)->code);
    else ent__buf_puts(b, "null");
    ent__buf_puts(b, ",\"chair_since\":");
    json_date(b, chair >= 0 ? since : ENT_DATE_NONE);
    ent__buf_printf(b, ",\"chair_temporary\":%s", chair >= 0 && kind == ENT_CHAIR_TEMPORARY ? "true" : "false");
    const ent_sgterm *sg = ent__inst_sg(s, d);
    ent__buf_puts(b, ",\"secretary_general\":");
    if (sg) {
        ent__buf_puts(b, "{\"name\":");
        json_s(b, ent__sym_str(s, sg->name));
        ent__buf_puts(b, ",\"state\":");
        if (sg->state >= 0) json_s(b, country(s, sg->state)->code);
        else ent__buf_puts(b, "null");
        ent__buf_puts(b, ",\"from\":");
        json_date(b, sg->from);
        ent__buf_puts(b, ",\"to\":");
        json_date(b, sg->acting ? ENT_DATE_NONE : sg->to);
        ent__buf_printf(b, ",\"acting\":%s}", sg->acting ? "true" : "false");
    } else {
        ent__buf_puts(b, "null");
    }
    ent__buf_puts(b, ",\"members\":[");
    for (int i = 0; i < n; i++) {
        ent__buf_puts(b, i ? ",{\"code\":" : "{\"code\":");
        json_s(b, country(s, ids[i])->code);
        ent__buf_puts(b, ",\"name\":");
        json_s(b, country(s, ids[i])->name);
        ent__buf_printf(b, ",\"status\":\"%s\"}", ent__mstatus_name(st[i]));
    }
    ent__buf_puts(b, "],\"observers\":[");
    for (int i = 0, k = 0; i < s->world->nstates; i++) {
        int ms = ent__inst_mstatus(s, (ent_state_id)i, d);
        if (ms != ENT_MS_OBSERVER && ms != ENT_MS_PARTNER) continue;
        ent__buf_puts(b, k++ ? ",{\"code\":" : "{\"code\":");
        json_s(b, country(s, (ent_state_id)i)->code);
        ent__buf_puts(b, ",\"name\":");
        json_s(b, country(s, (ent_state_id)i)->name);
        ent__buf_printf(b, ",\"status\":\"%s\"}", ent__mstatus_name(ms));
    }
    ent__buf_puts(b, "],\"requests\":[");
    const ent_request *rq = s->requests.p;
    for (size_t i = 0, k = 0; i < s->requests.len; i++) {
        if (rq[i].date > d) continue;
        ent__buf_puts(b, k++ ? ",{\"id\":" : "{\"id\":");
        json_s(b, ent__sym_str(s, rq[i].id));
        ent__buf_printf(b, ",\"state\":\"%s\",\"date\":\"%s\",\"kind\":", country(s, rq[i].state)->code,
                        dstr(rq[i].date, x));
        json_s(b, ent__sym_str(s, rq[i].kind));
        ent__buf_puts(b, ",\"article\":");
        if (rq[i].article) json_s(b, ent__sym_str(s, rq[i].article));
        else ent__buf_puts(b, "null");
        ent__buf_printf(b, ",\"status\":\"%s\",\"text\":", rq[i].status == ENT_REQ_OPEN ? "open" : "answered");
        json_s(b, ent__sym_str(s, rq[i].text));
        ent__buf_putc(b, '}');
    }
    ent__buf_puts(b, "],\"deployments\":[");
    const ent_proposal *p = s->proposals.p;
    for (size_t i = 0, k = 0; i < s->proposals.len; i++) {
        if (p[i].date > d || p[i].pkind >= ENT_PK_APPOINT) continue; /* no deployment */
        ent__buf_puts(b, k++ ? ",{\"id\":" : "{\"id\":");
        json_s(b, ent__sym_str(s, p[i].id));
        ent__buf_printf(b, ",\"kind\":\"%s\",\"host\":\"%s\",\"force\":\"%s\",\"status\":\"%s\",\"decision\":\"%s\",\"troops\":%d",
                        p[i].pkind == ENT_PK_BASE ? "base" : "deploy", country(s, p[i].host)->code,
                        p[i].force >= 0 ? s->charter->forces[p[i].force].code : "",
                        ent__inst_deploy_status(s, &p[i], d), ent__prop_status_name(p[i].status), p[i].troops);
        if (p[i].pkind == ENT_PK_BASE) ent__buf_printf(b, ",\"base_of\":\"%s\"", country(s, p[i].third)->code);
        /* who the decision binds (act_charter.c) and the parties to the dispute */
        uint64_t bind = p[i].closed <= d ? ent__proposal_binds(s, &p[i]) : 0;
        ent__buf_puts(b, ",\"binds\":[");
        for (int j = 0, m = 0; j < s->world->nstates; j++)
            if (bind >> j & 1) ent__buf_printf(b, "%s\"%s\"", m++ ? "," : "", country(s, (ent_state_id)j)->code);
        ent__buf_putc(b, ']');
        if (p[i].parties) {
            ent__buf_puts(b, ",\"parties\":[");
            for (int j = 0, m = 0; j < s->world->nstates; j++)
                if (p[i].parties >> j & 1) ent__buf_printf(b, "%s\"%s\"", m++ ? "," : "", country(s, (ent_state_id)j)->code);
            ent__buf_putc(b, ']');
        }
        ent__buf_puts(b, ",\"proposed\":");
        json_date(b, p[i].date);
        ent__buf_puts(b, ",\"decided\":");
        json_date(b, p[i].closed);
        ent__buf_puts(b, ",\"complete\":");
        json_date(b, p[i].complete);
        ent__buf_puts(b, ",\"un_notice\":");
        json_date(b, p[i].un_notice);
        ent__buf_puts(b, ",\"contingents\":[");
        const ent_contrib *c = s->contribs.p;
        int m = 0;
        for (int32_t j = p[i].first_contrib; j >= 0; j = c[j].next) {
            ent__buf_printf(b, "%s{\"state\":\"%s\",\"troops\":%d,\"arrived\":", m++ ? "," : "",
                            country(s, c[j].state)->code, c[j].troops);
            json_date(b, c[j].arrived);
            ent__buf_puts(b, ",\"left\":");
            json_date(b, c[j].left);
            ent__buf_putc(b, '}');
        }
        ent__buf_puts(b, "]}");
    }
    ent__buf_puts(b, "],\"proposals\":[");
    for (size_t i = 0, k = 0; i < s->proposals.len; i++) {
        if (p[i].date > d || (p[i].status != ENT_PROP_OPEN && p[i].closed <= d)) continue;
        ent__buf_puts(b, k++ ? ",{\"id\":" : "{\"id\":");
        json_s(b, ent__sym_str(s, p[i].id));
        ent__buf_printf(b, ",\"kind\":\"%s\",\"body\":\"%s\",\"date\":\"%s\",\"votes\":{", ent__sym_str(s, p[i].kind),
                        s->charter->bodies[p[i].body].code, dstr(p[i].date, x));
        for (int j = 0, m = 0; j < s->world->nstates; j++)
            if (p[i].eligible >> j & 1)
                ent__buf_printf(b, "%s\"%s\":\"%s\"", m++ ? "," : "", country(s, (ent_state_id)j)->code,
                                p[i].votes[j] ? ent__vote_name(p[i].votes[j]) : "pending");
        ent__buf_puts(b, "}}");
    }
    ent__buf_putc(b, ']');
    ent__exercises_json(s, d, b);
    ent__register_json(s, d, b);
    ent__portal_json(s, d, b);
    ent__members_json(s, d, b);
    ent__staff_json(s, d, b);
    ent__buf_puts(b, ",\"breaches\":[");
    ent_vec br;
    ent__vec_init(&br, sizeof(ent_breach));
    if (ent__inst_breaches(s, d, &br)) b->oom = 1;
    for (size_t i = 0; i < br.len; i++) {
        const ent_breach *e = &ENT_VEC_AT(&br, ent_breach, i);
        const ent_rule *r = ent__charter_rule(s->charter, e->rule);
        ent__buf_printf(b, "%s{\"date\":\"%s\",\"rule\":", i ? "," : "", dstr(e->date, x));
        json_s(b, e->rule);
        ent__buf_puts(b, ",\"source\":");
        json_s(b, r ? r->source : "charter");
        ent__buf_puts(b, ",\"deployment\":");
        if (e->proposal >= 0) json_s(b, ent__sym_str(s, p[e->proposal].id));
        else ent__buf_puts(b, "null");
        ent__buf_puts(b, ",\"message\":");
        json_s(b, e->msg);
        ent__buf_putc(b, '}');
    }
    ent__vec_free(&br);
    ent__buf_puts(b, "]}\n");
}

static void render_state_text(const ent_inst *s, ent_date d, ent_buf *b)
{
    char x[11], y[11];
    ent_state_id ids[ENT_MAX_STATES];
    int st[ENT_MAX_STATES];
    int n = member_list(s, d, ids, st);
    ent__buf_printf(b, "%s (%s) on %s\n", s->charter->org, s->charter->org_name, dstr(d, x));
    ent__buf_puts(b, "members:    ");
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (st[i] != ENT_MS_MEMBER && st[i] != ENT_MS_FROZEN) continue;
        ent__buf_printf(b, "%s%s %s%s", k++ ? ", " : "", country(s, ids[i])->code, country(s, ids[i])->name,
                        st[i] == ENT_MS_FROZEN ? " (frozen)" : "");
    }
    ent__buf_puts(b, k ? "\n" : "none\n");
    k = 0;
    for (int i = 0; i < n; i++) {
        if (st[i] == ENT_MS_MEMBER || st[i] == ENT_MS_FROZEN) continue;
        ent__buf_printf(b, "%s%s %s (%s)", k++ ? ", " : "not now:    ", country(s, ids[i])->code,
                        country(s, ids[i])->name, ent__mstatus_name(st[i]));
    }
    if (k) ent__buf_putc(b, '\n');
    k = 0;
    for (int i = 0; i < s->world->nstates; i++) {
        int ms = ent__inst_mstatus(s, (ent_state_id)i, d);
        if (ms != ENT_MS_OBSERVER && ms != ENT_MS_PARTNER) continue;
        ent__buf_printf(b, "%s%s %s (%s)", k++ ? ", " : "statuses:   ", country(s, (ent_state_id)i)->code,
                        country(s, (ent_state_id)i)->name, ent__mstatus_name(ms));
    }
    if (k) ent__buf_putc(b, '\n');
    int kind;
    ent_date since;
    ent_state_id chair = ent__inst_chair(s, d, &kind, &since);
    if (chair >= 0)
        ent__buf_printf(b, "chair:      %s %s, since %s%s\n", country(s, chair)->code, country(s, chair)->name,
                        dstr(since, x),
                        kind == ENT_CHAIR_TEMPORARY ? " (temporary)"
                        : kind == ENT_CHAIR_EXCEPTION ? " (by exception)"
                        : kind == 3 ? " (1 January rotation)" : "");
    else
        ent__buf_puts(b, "chair:      none recorded\n");
    const ent_sgterm *sg = ent__inst_sg(s, d);
    if (sg && sg->acting)
        ent__buf_printf(b, "secretary general: %s%s%s%s (acting), since %s\n", ent__sym_str(s, sg->name),
                        sg->state >= 0 ? " (" : "", sg->state >= 0 ? country(s, sg->state)->code : "",
                        sg->state >= 0 ? ")" : "", dstr(sg->from, x));
    else if (sg)
        ent__buf_printf(b, "secretary general: %s (%s), %s to %s\n", ent__sym_str(s, sg->name),
                        sg->state >= 0 ? country(s, sg->state)->code : "?", dstr(sg->from, x), dstr(sg->to, y));
    else
        ent__buf_puts(b, "secretary general: vacant\n");
    const ent_request *rq = s->requests.p;
    k = 0;
    for (size_t i = 0; i < s->requests.len; i++) {
        if (rq[i].date > d) continue;
        if (!k++) ent__buf_puts(b, "requests:\n");
        ent__buf_printf(b, "  %s  %s %s %s%s%s, %s\n", ent__sym_str(s, rq[i].id), dstr(rq[i].date, x),
                        country(s, rq[i].state)->code, ent__sym_str(s, rq[i].kind), rq[i].article ? " under " : "",
                        ent__sym_str(s, rq[i].article), rq[i].status == ENT_REQ_OPEN ? "open" : "answered");
    }
    if (!k) ent__buf_puts(b, "requests:   none\n");
    const ent_proposal *p = s->proposals.p;
    k = 0;
    for (size_t i = 0; i < s->proposals.len; i++) {
        if (p[i].date > d || p[i].pkind >= ENT_PK_APPOINT) continue; /* no deployment */
        if (!k++) ent__buf_puts(b, "deployments:\n");
        if (p[i].pkind == ENT_PK_BASE) {
            ent__buf_printf(b, "  %s  base of %s in %s, %s, %s\n", ent__sym_str(s, p[i].id),
                            country(s, p[i].third)->code, country(s, p[i].host)->code,
                            ent__inst_deploy_status(s, &p[i], d), ent__prop_status_name(p[i].status));
            continue;
        }
        ent__buf_printf(b, "  %s  %s in %s, %s, %d troops, %s", ent__sym_str(s, p[i].id),
                        s->charter->forces[p[i].force].code, country(s, p[i].host)->code,
                        ent__inst_deploy_status(s, &p[i], d), p[i].troops, ent__prop_status_name(p[i].status));
        if (p[i].closed != ENT_DATE_NONE) ent__buf_printf(b, " on %s", dstr(p[i].closed, x));
        ent__buf_putc(b, '\n');
    }
    if (!k) ent__buf_puts(b, "deployments: none\n");
    k = 0;
    for (size_t i = 0; i < s->proposals.len; i++) {
        if (p[i].date > d || (p[i].status != ENT_PROP_OPEN && p[i].closed <= d)) continue;
        if (!k++) ent__buf_puts(b, "open proposals:\n");
        ent__buf_printf(b, "  %s  %s to the %s, %s:", ent__sym_str(s, p[i].id), ent__sym_str(s, p[i].kind),
                        s->charter->bodies[p[i].body].code, dstr(p[i].date, x));
        for (int j = 0; j < s->world->nstates; j++)
            if (p[i].eligible >> j & 1)
                ent__buf_printf(b, " %s %s", country(s, (ent_state_id)j)->code,
                                p[i].votes[j] ? ent__vote_name(p[i].votes[j]) : "pending");
        ent__buf_putc(b, '\n');
    }
    ent__exercises_text(s, d, b);
    ent__register_text(s, d, b);
    ent__portal_text(s, d, b);
    ent__members_text(s, d, b);
    ent__staff_text(s, d, b);
    ent_vec br;
    ent__vec_init(&br, sizeof(ent_breach));
    if (ent__inst_breaches(s, d, &br)) b->oom = 1;
    if (!br.len) ent__buf_puts(b, "breaches:   none\n");
    else ent__buf_puts(b, "breaches:\n");
    for (size_t i = 0; i < br.len; i++) {
        const ent_breach *e = &ENT_VEC_AT(&br, ent_breach, i);
        const ent_rule *r = ent__charter_rule(s->charter, e->rule);
        ent__buf_printf(b, "  %s  %s [%s; %s]\n", dstr(e->date, x), e->msg, e->rule, r ? r->source : "charter");
    }
    ent__vec_free(&br);
}

int ent_state(ent_db *db, const char *date, int format, char **out, ent_report *rep)
{
    ent_date d;
    *out = NULL;
    int rc = ent__query_date(db, date, &d, rep);
    if (rc != ENT_OK) return rc;
    ent_inst tmp;
    const ent_inst *s;
    rc = ent__state_at(db, d, &tmp, &s, rep);
    if (rc != ENT_OK) return rc;
    ent_buf b = { 0 };
    if (format == ENT_FMT_JSON) render_state_json(s, d, &b);
    else render_state_text(s, d, &b);
    if (s == &tmp) ent__inst_free(&tmp);
    return finish(&b, out);
}

/* ------------------------------------------------------------------ */
/* Log and export.                                                      */

typedef struct exporter {
    int format;
    ent_buf b;
    ent_buf line;
    ent_write_fn write;
    void *ud;
    int werr;
    uint64_t n;            /* events written so far (the JSON array's commas) */
} exporter;

static void csv_field(ent_buf *b, const char *z)
{
    ent__buf_putc(b, '"');
    for (; *z; z++) {
        if (*z == '"') ent__buf_putc(b, '"');
        ent__buf_putc(b, *z);
    }
    ent__buf_putc(b, '"');
}

void ent__event_jsonl(const ent_event *ev, ent_buf *b)
{
    char hex[2 * ENT_HASH_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, ev->hash, ENT_HASH_BYTES);
    char num[24];
    size_t k = sizeof num;
    uint64_t v = ev->seq;
    do num[--k] = (char)('0' + v % 10); while ((v /= 10) != 0);
    ent__buf_puts(b, "{\"seq\":");
    ent__buf_put(b, num + k, sizeof num - k);
    ent__buf_puts(b, ",\"date\":\"");
    ent__buf_puts(b, ev->date);
    ent__buf_puts(b, "\",\"subject\":");
    json_s(b, ev->subject);
    ent__buf_puts(b, ",\"verb\":");
    json_s(b, ev->verb);
    ent__buf_puts(b, ",\"args\":");
    json_s(b, ev->args);
    ent__buf_puts(b, ",\"text\":");
    if (ev->text) json_s(b, ev->text);
    else ent__buf_puts(b, "null");
    ent__buf_puts(b, ",\"src\":");
    json_s(b, ev->src);
    ent__buf_puts(b, ",\"hash\":\"");
    ent__buf_put(b, hex, 2 * ENT_HASH_BYTES);
    ent__buf_puts(b, "\"}\n");
}

static int export_one(void *ud, const ent_event *ev)
{
    exporter *x = ud;
    char hex[2 * ENT_HASH_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, ev->hash, ENT_HASH_BYTES);
    switch (x->format) {
    case ENT_FMT_CHRONICLE:
        ent__event_line(ev, &x->line);
        if (x->line.oom) return ENT_ENOMEM;
        ent__buf_put(&x->b, x->line.p, x->line.len);
        ent__buf_putc(&x->b, '\n');
        break;
    case ENT_FMT_TEXT:
        ent__event_line(ev, &x->line);
        if (x->line.oom) return ENT_ENOMEM;
        ent__buf_printf(&x->b, "%6llu  %s  # %s\n", (unsigned long long)ev->seq, x->line.p, ev->src);
        break;
    case ENT_FMT_JSON:
    case ENT_FMT_JSONL:
        if (x->format == ENT_FMT_JSON) ent__buf_puts(&x->b, x->n ? ",\n" : "");
        ent__event_jsonl(ev, &x->b);
        if (x->format == ENT_FMT_JSON && !x->b.oom && x->b.len) x->b.len--; /* no newline inside the array */
        break;
    case ENT_FMT_CSV:
        ent__buf_printf(&x->b, "%llu,%s,", (unsigned long long)ev->seq, ev->date);
        csv_field(&x->b, ev->subject);
        ent__buf_putc(&x->b, ',');
        csv_field(&x->b, ev->verb);
        ent__buf_putc(&x->b, ',');
        csv_field(&x->b, ev->args);
        ent__buf_putc(&x->b, ',');
        if (ev->text) csv_field(&x->b, ev->text);
        ent__buf_putc(&x->b, ',');
        csv_field(&x->b, ev->src);
        ent__buf_printf(&x->b, ",%s\n", hex);
        break;
    }
    x->n++;
    if (x->b.oom || x->line.oom) return ENT_ENOMEM;
    if (x->write && x->b.len >= 65536) {
        if (x->write(x->ud, x->b.p, x->b.len)) return x->werr = ENT_EIO;
        ent__buf_reset(&x->b);
    }
    return 0;
}

static int scan_export(ent_db *db, exporter *x)
{
    char err[512] = "";
    uint64_t bad = 0;
    if (x->format == ENT_FMT_CSV) ent__buf_puts(&x->b, "seq,date,subject,verb,args,text,src,hash\n");
    if (x->format == ENT_FMT_JSON) ent__buf_puts(&x->b, "[");
    int rc = ent__journal_scan(db->j, 0, export_one, x, &bad, err, sizeof err);
    if (x->format == ENT_FMT_JSON) ent__buf_puts(&x->b, "]\n");
    ent__buf_free(&x->line);
    if (rc == ENT_OK && x->b.oom) rc = ENT_ENOMEM;
    return rc;
}

int ent_log(ent_db *db, int format, char **out)
{
    exporter x;
    memset(&x, 0, sizeof x);
    x.format = format == ENT_FMT_JSON ? ENT_FMT_JSON : ENT_FMT_TEXT;
    *out = NULL;
    int rc = scan_export(db, &x);
    if (rc != ENT_OK) {
        ent__buf_free(&x.b);
        return rc;
    }
    return finish(&x.b, out);
}

int ent_log_after(ent_db *db, uint64_t after, size_t max, int format, char **out)
{
    exporter x;
    char err[512] = "";
    *out = NULL;
    if (format != ENT_FMT_JSONL && format != ENT_FMT_JSON) return ENT_EUSAGE;
    memset(&x, 0, sizeof x);
    x.format = format;
    if (format == ENT_FMT_JSON) ent__buf_puts(&x.b, "[");
    /* a range read, not a scan from the first event: a feed asks often */
    int rc = ent__journal_read(db->j, after, max, export_one, &x, err, sizeof err);
    if (format == ENT_FMT_JSON) ent__buf_puts(&x.b, "]\n");
    ent__buf_free(&x.line);
    if (rc == ENT_OK && x.b.oom) rc = ENT_ENOMEM;
    if (rc != ENT_OK) {
        ent__buf_free(&x.b);
        return rc;
    }
    return finish(&x.b, out);
}

int ent_export(ent_db *db, int format, ent_write_fn write, void *ud)
{
    if (format != ENT_FMT_CHRONICLE && format != ENT_FMT_JSONL && format != ENT_FMT_CSV) return ENT_EUSAGE;
    exporter x;
    memset(&x, 0, sizeof x);
    x.format = format;
    x.write = write;
    x.ud = ud;
    int rc = scan_export(db, &x);
    if (rc == ENT_OK && x.b.len && write(ud, x.b.p, x.b.len)) rc = ENT_EIO;
    if (x.werr) rc = x.werr;
    ent__buf_free(&x.b);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Routes.                                                              */

int ent_route(ent_db *db, const char *from, const char *to, const char *date, int format, char **out,
              ent_report *rep)
{
    ent_date d;
    *out = NULL;
    int rc = ent__query_date(db, date, &d, rep);
    if (rc != ENT_OK) return rc;
    ent_state_id a = ent__world_find(&db->world, (ent_str){ from, (uint32_t)strlen(from) });
    ent_state_id b = ent__world_find(&db->world, (ent_str){ to, (uint32_t)strlen(to) });
    if (a < 0 || b < 0) {
        ent__report(rep, ENT_DIAG_ERROR, "route", "unknown state '%s'", a < 0 ? from : to);
        return ENT_EUSAGE;
    }
    ent_inst tmp;
    const ent_inst *s;
    rc = ent__state_at(db, d, &tmp, &s, rep);
    if (rc != ENT_OK) return rc;
    uint8_t member[ENT_MAX_STATES] = { 0 };
    /* states crossed on the way need consent unless active members (a frozen
    ** member takes no part, as the transit act holds); the destination is the
    ** host, which needs none while it is a member, frozen or not */
    for (int i = 0; i < db->world.nstates; i++) member[i] = ent__inst_mstatus(s, (ent_state_id)i, d) == ENT_MS_MEMBER;
    int bms = ent__inst_mstatus(s, b, d);
    member[b] = bms == ENT_MS_MEMBER || bms == ENT_MS_FROZEN;
    if (s == &tmp) ent__inst_free(&tmp);
    ent_path r[4];
    int n = ent__routes(&db->world, a, b, member, r, 4);
    char x[11];
    ent_buf buf = { 0 };
    ent__routes_render(&db->world, a, b, dstr(d, x), r, n, format == ENT_FMT_JSON, &buf);
    return finish(&buf, out);
}

/* ------------------------------------------------------------------ */
/* Why: how a record came about.                                        */

typedef struct why_scan {
    const char *id;
    size_t idn;
    ent_buf *b;
    ent_buf line;
    int n;
} why_scan;

/* Does the event mention the id as its subject, a positional argument or
** the value of a key? (args are canonical: tokens separated by one space) */
static int mentions(const ent_event *ev, const char *id, size_t n)
{
    if (strcmp(ev->subject, id) == 0) return 1;
    const char *p = ev->args;
    while (*p) {
        const char *e = p;
        while (*e && *e != ' ') e++;
        const char *v = memchr(p, '=', (size_t)(e - p));
        v = v ? v + 1 : p;
        if ((size_t)(e - v) == n && memcmp(v, id, n) == 0) return 1;
        p = *e ? e + 1 : e;
    }
    return 0;
}

static int why_one(void *ud, const ent_event *ev)
{
    why_scan *w = ud;
    if (!mentions(ev, w->id, w->idn)) return 0;
    ent__event_line(ev, &w->line);
    if (w->line.oom) return ENT_ENOMEM;
    ent__buf_printf(w->b, "  %s   (event %llu, %s)\n", w->line.p, (unsigned long long)ev->seq, ev->src);
    w->n++;
    return w->b->oom ? ENT_ENOMEM : 0;
}

/* A rule applied, for `why`: its id and citation, a note, its sources. */
void ent__cite(const ent_inst *s, ent_buf *b, const char *rule, const char *note)
{
    const ent_rule *r = ent__charter_rule(s->charter, rule);
    if (!r) return;
    ent__buf_printf(b, "  %-18s %s\n  %-18s %s", r->id, r->source, "", note);
    if (r->src[0]) ent__buf_printf(b, " [%s]", r->src);
    ent__buf_putc(b, '\n');
}

static void why_votes(const ent_inst *s, const ent_proposal *p, ent_buf *b);

static void why_base(const ent_inst *s, const ent_proposal *p, ent_buf *b)
{
    char x[11];
    ent__buf_printf(b, "%s: %s proposal of a base of %s %s on the territory of %s %s, proposed %s\n",
                    ent__sym_str(s, p->id), s->charter->bodies[p->body].code, country(s, p->third)->code,
                    country(s, p->third)->name, country(s, p->host)->code, country(s, p->host)->name,
                    dstr(p->date, x));
    if (p->text) ent__buf_printf(b, "  \"%s\"\n", ent__sym_str(s, p->text));
    why_votes(s, p, b);
    ent__buf_printf(b, "  base established: %s\n", p->established != ENT_DATE_NONE ? dstr(p->established, x) : "no");
    ent__buf_puts(b, "rules applied:\n");
    ent__cite(s, b, "bases", "every member's official consent; abstaining is not consent");
}

static void why_votes(const ent_inst *s, const ent_proposal *p, ent_buf *b)
{
    char x[11];
    ent__buf_puts(b, "votes:\n");
    int counts[5] = { 0 };
    for (int i = 0; i < s->world->nstates; i++) {
        if (!(p->eligible >> i & 1)) continue;
        counts[p->votes[i]]++;
        ent__buf_printf(b, "  %s %-12s %s\n", country(s, (ent_state_id)i)->code, country(s, (ent_state_id)i)->name,
                        p->votes[i] ? ent__vote_name(p->votes[i]) : "(not voted)");
    }
    for (int i = 0; i < s->world->nstates; i++) {
        if (p->eligible >> i & 1) continue;
        int ms = ent__inst_mstatus(s, (ent_state_id)i, p->closed != ENT_DATE_NONE ? p->closed : p->date);
        if (ms == ENT_MS_FROZEN || ms == ENT_MS_SUSPENDED)
            ent__buf_printf(b, "  %s %-12s takes no part (%s)\n", country(s, (ent_state_id)i)->code,
                            country(s, (ent_state_id)i)->name, ent__mstatus_name(ms));
    }
    for (int i = 0; i < s->world->nstates; i++)
        if ((p->parties >> i & 1) && !(p->eligible >> i & 1))
            ent__buf_printf(b, "  %s %-12s does not vote (party to the dispute)\n", country(s, (ent_state_id)i)->code,
                            country(s, (ent_state_id)i)->name);
    ent__members_why_session(s, p, b); /* session=: who was absent */
    ent__buf_printf(b, "outcome: %s", ent__prop_status_name(p->status));
    if (p->closed != ENT_DATE_NONE) ent__buf_printf(b, " on %s", dstr(p->closed, x));
    ent__buf_printf(b, " (%d yes, %d no, %d abstain, %d out)\n", counts[1], counts[2], counts[3], counts[4]);
    if (strcmp(ent__decision_rule(s->charter), "consensus") != 0) {
        /* other charters (docs/charters.md): say who the decision binds */
        uint64_t bind = ent__proposal_binds(s, p);
        ent__buf_printf(b, "  decision rule: %s; binds:", ent__decision_rule(s->charter));
        for (int i = 0; i < s->world->nstates; i++)
            if (bind >> i & 1) ent__buf_printf(b, " %s", country(s, (ent_state_id)i)->code);
        ent__buf_puts(b, bind ? "\n" : " none\n");
    }
    const char *fc = ent__charter_switch(s->charter, "forces.consent");
    if (fc && strcmp(fc, "required") == 0 && ent__proposal_binds(s, p))
        ent__buf_puts(b, "  armed force only with each state's consent (forces.consent=required): contributions are "
                         "voluntary\n");
}

static void why_proposal(const ent_inst *s, const ent_proposal *p, ent_buf *b)
{
    char x[11], y[11], z[11];
    if (p->pkind == ENT_PK_ADMIT || p->pkind == ENT_PK_DOCUMENT) {
        ent__members_why_head(s, p, b); /* render_members.c */
        why_votes(s, p, b);
        if (p->status == ENT_PROP_LIMITED)
            ent__buf_puts(b, "  adopted in a limited format: it binds only the members that said yes\n");
        ent__buf_puts(b, "rules applied:\n");
        if (p->pkind == ENT_PK_ADMIT) ent__cite(s, b, "members", "the CSC admits a state that applied (Charter art. 19)");
        ent__cite(s, b, "bodies", "each body decides only what the charter gives it");
        ent__cite(s, b, "consensus", "one official objection blocks; abstain and out do not");
        return;
    }
    if (p->pkind == ENT_PK_BASE) {
        why_base(s, p, b);
        return;
    }
    if (p->pkind == ENT_PK_APPOINT) {
        ent__buf_printf(b, "%s: %s proposal to appoint %s (%s) Secretary General from %s to %s, proposed %s\n",
                        ent__sym_str(s, p->id), s->charter->bodies[p->body].code, ent__sym_str(s, p->text),
                        country(s, p->third)->code, dstr(p->term_from, x), dstr(p->term_to, y), dstr(p->date, z));
        why_votes(s, p, b);
        if (p->status == ENT_PROP_LIMITED)
            ent__buf_puts(b, "  adopted in a limited format (switch sg.limited-format allows it)\n");
        ent__buf_puts(b, "rules applied:\n");
        ent__cite(s, b, "secretary-general", "the CSC appoints on the CMFA's recommendation, three years, in rotation");
        ent__cite(s, b, "consensus", "one official objection blocks; abstain and out do not");
        return;
    }
    const ent_force *f = &s->charter->forces[p->force];
    ent__buf_printf(b, "%s: %s proposal to deploy the %s (%s) in %s %s, proposed %s\n", ent__sym_str(s, p->id),
                    s->charter->bodies[p->body].code, f->code, f->name, country(s, p->host)->code,
                    country(s, p->host)->name, dstr(p->date, x));
    if (p->text) ent__buf_printf(b, "  \"%s\"\n", ent__sym_str(s, p->text));
    if (p->request >= 0) {
        const ent_request *r = &ENT_VEC_AT(&s->requests, ent_request, p->request);
        ent__buf_printf(b, "request: %s by %s on %s%s%s\n", ent__sym_str(s, r->id), country(s, r->state)->code,
                        dstr(r->date, x), r->article ? ", invoking " : "", ent__sym_str(s, r->article));
    }
    if (p->mandate >= 0) {
        const ent_authorization *a = &ENT_VEC_AT(&s->auths, ent_authorization, p->mandate);
        ent__buf_printf(b, "mandate: UN Security Council decision %s of %s\n", ent__sym_str(s, a->id),
                        dstr(a->date, x));
    }
    why_votes(s, p, b);
    if (p->status == ENT_PROP_LIMITED)
        ent__buf_puts(b, "  adopted in a limited format: it binds only the members that said yes\n");
    if (p->status == ENT_PROP_ADOPTED || p->status == ENT_PROP_LIMITED) {
        if (f->strength > 0) /* 0: a charter that does not model the force's strength */
            ent__buf_printf(b, "deployment: %d troops of the %s's strength of %d\n", p->troops, f->code, f->strength);
        else
            ent__buf_printf(b, "deployment: %d troops of the %s\n", p->troops, f->code);
        const ent_contrib *c = s->contribs.p;
        for (int32_t j = p->first_contrib; j >= 0; j = c[j].next)
            ent__buf_printf(b, "  %s %6d troops, arrived %s, left %s\n", country(s, c[j].state)->code, c[j].troops,
                            dstr(c[j].arrived, x), dstr(c[j].left, y));
        if (ent__charter_rule(s->charter, "un-notice"))
            ent__buf_printf(b, "  UN Security Council notified: %s\n",
                            p->un_notice != ENT_DATE_NONE ? dstr(p->un_notice, x) : "not recorded");
        ent__buf_printf(b, "  mission complete: %s\n", p->complete != ENT_DATE_NONE ? dstr(p->complete, x) : "not yet");
    }
    ent__buf_puts(b, "rules applied:\n");
    char uof[64];
    snprintf(uof, sizeof uof, "the %s decides on the use of forces", s->charter->nbodies ? s->charter->bodies[0].code : "CSC");
    ent__cite(s, b, "use-of-force", uof);
    if (p->mandate >= 0) ent__cite(s, b, "territory", "outside members' territory only with a UN Security Council decision");
    else ent__cite(s, b, "request", "the host's own official request");
    ent__cite(s, b, "consensus", "one official objection blocks; abstain and out do not");
    ent__cite(s, b, "two-thirds", "adopted when two thirds of the members taking part vote yes; no one blocks");
    ent__cite(s, b, "parties", "the parties to the dispute do not vote");
    ent__cite(s, b, "area", "the host is a party whose territory is in the treaty area");
    ent__cite(s, b, "force-consent", "binds every member; no state uses armed force without its consent");
    ent__cite(s, b, "forces", "contributions within the force's strength");
    ent__cite(s, b, "un-notice", "the UN Security Council is notified at once");
    ent__cite(s, b, "mandate", "contingents leave when the mission is complete");
}

int ent_why(ent_db *db, const char *id, int format, char **out, ent_report *rep)
{
    (void)format;
    *out = NULL;
    const ent_inst *s = &db->inst;
    int32_t idx;
    int kind = ent__inst_record(s, id, strlen(id), &idx);
    if (kind == ENT_REC_NONE) {
        ent__report(rep, ENT_DIAG_ERROR, "why", "no record with id '%s'", id);
        return ENT_ENOTFOUND;
    }
    ent_buf b = { 0 };
    char x[11];
    if (kind == ENT_REC_PROPOSAL) {
        why_proposal(s, &ENT_VEC_AT(&s->proposals, ent_proposal, idx), &b);
    } else if (kind == ENT_REC_REQUEST) {
        const ent_request *r = &ENT_VEC_AT(&s->requests, ent_request, idx);
        ent__buf_printf(&b, "%s: request for %s by %s %s on %s%s%s, %s\n", id, ent__sym_str(s, r->kind),
                        country(s, r->state)->code, country(s, r->state)->name, dstr(r->date, x),
                        r->article ? ", invoking " : "", ent__sym_str(s, r->article),
                        r->status == ENT_REQ_OPEN ? "open" : "answered");
        if (r->text) ent__buf_printf(&b, "  \"%s\"\n", ent__sym_str(s, r->text));
        ent__buf_puts(&b, "rules applied:\n");
        ent__cite(s, &b, "request", "a member requests assistance on its own territory only");
    } else if (kind == ENT_REC_EXERCISE || kind == ENT_REC_OPERATION) {
        ent__exercises_why(s, kind, idx, &b);
    } else if (kind == ENT_REC_INCIDENT || kind == ENT_REC_DISPUTE) {
        ent__register_why(s, kind, idx, &b);
    } else if (kind >= ENT_REC_RELATION && kind <= ENT_REC_COMMENT) {
        ent__portal_why(s, kind, idx, &b);
    } else if (kind == ENT_REC_SESSION) {
        ent__session_why(s, idx, &b);
    } else if (kind == ENT_REC_MISSION) {
        ent__mission_why(s, idx, &b);
    } else {
        const ent_authorization *a = &ENT_VEC_AT(&s->auths, ent_authorization, idx);
        ent__buf_printf(&b, "%s: UN Security Council decision of %s for %s\n", id, dstr(a->date, x),
                        country(s, a->host)->code);
        ent__buf_puts(&b, "rules applied:\n");
        ent__cite(s, &b, "territory", "forces outside members' territory need such a decision");
    }
    ent__buf_puts(&b, "events:\n");
    why_scan w = { id, strlen(id), &b, { 0 }, 0 };
    char err[512] = "";
    uint64_t bad = 0;
    int rc = ent__journal_scan(db->j, 0, why_one, &w, &bad, err, sizeof err);
    ent__buf_free(&w.line);
    if (rc != ENT_OK) {
        ent__report(rep, ENT_DIAG_ERROR, "journal", "%s", err[0] ? err : ent_strstatus(rc));
        ent__buf_free(&b);
        return rc;
    }
    return finish(&b, out);
}
