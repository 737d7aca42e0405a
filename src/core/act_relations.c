/*
** act_relations.c: the organization's external relations (portal.h), and
** the helpers that the portal's three files share.
**
**   CSC relation id=REL-UN party=UN [kind=organization|state] [status=WORD] "text"
**   CSC dialogue id=CSTO-CN party=CN [kind=...] [status=WORD] "text"
**   SG meeting id=M1 with=REL-UN "text"
**
** A relation is one with a partner of the organization: another
** organization (party=UN, SCO, CIS, OSCE: a word of capitals, digits and
** hyphens) or a state (party=CN: an ISO 3166-1 alpha-2 code). Without kind=
** the party is a state when the model's world knows the code, an
** organization otherwise; kind=state takes a two-letter code the world does
** not list (India, IN) as a state kept by its code. A dialogue is a relation
** of its own kind (a strategic dialogue with a state or an organization); a
** party has at most one relation and one dialogue. status= is a free word
** (observer-at-un, planned, active). The subject acts for the organization:
** a body, SG, or an active member (the chair initiating, say); a state that
** is not an active member is refused by the rule that says why (members,
** consensus for a frozen member, statuses). A meeting is held with= a
** relation or a dialogue by a body, SG or a member; it only grows: the
** state counts it, its text stays in the journal.
*/
#include "act.h"
#include "portal.h"
#include "register.h"

#include <string.h>


/* ------------------------------------------------------------------ */
/* Shared helpers (portal.h).                                           */

int ent__portal_subject(ent_ctx *c, int allow_member, ent_sym *by)
{
    ent_str sj = c->st->subject;
    if (!ent__str_eq(sj, "SG") && ent__charter_body(c->s->charter, sj) < 0) {
        ent_state_id st = allow_member ? ent__world_find(c->s->world, sj) : -1;
        if (st < 0)
            return ent__act_err(c, c->st->col_subject, "'%.*s %.*s': the subject must be %s", (int)sj.n, sj.p,
                                (int)c->st->verb.n, c->st->verb.p,
                                allow_member ? "a body of the organization, SG or a member state"
                                             : "a body of the organization or SG");
        if (ent__act_standing_refusal(c, st, "only a member acts for the organization")) return c->o->verdict;
    }
    *by = ent__sym(c->s, sj.p, sj.n);
    return *by ? 0 : ent__act_nomem(c);
}

int ent__portal_field(ent_ctx *c, int kid, int required, size_t max, ent_str *out)
{
    *out = (ent_str){ NULL, 0 };
    const char *key = ent__key_name(kid), *what = kid ? key : "text";
    uint16_t col;
    if (kid) {
        const ent_arg *a = ent__stmt_key(c->st, kid);
        if (!a) return required ? ent__act_err(c, 0, "missing %s=\"...\"", key) : 0;
        *out = a->val;
        col = a->col;
    } else {
        if (!c->st->has_text) return required ? ent__act_err(c, 0, "missing the \"text\"") : 0;
        *out = c->st->text;
        col = c->st->col_text;
    }
    if (!out->n) return ent__act_err(c, col, "%s is empty", what);
    if (out->n > max) return ent__act_err(c, col, "%s is too long: %u bytes (at most %zu)", what, out->n, max);
    return 0;
}

/* The date a record of any kind was made; NONE for an unknown kind. */
static ent_date record_date(const ent_inst *s, int kind, int32_t i)
{
#define AT(v, T) ENT_VEC_AT(&s->v, T, i)
    switch (kind) {
    case ENT_REC_REQUEST: return AT(requests, ent_request).date;
    case ENT_REC_PROPOSAL: return AT(proposals, ent_proposal).date;
    case ENT_REC_UNSC: return AT(auths, ent_authorization).date;
    case ENT_REC_EXERCISE: return AT(exercises, ent_exercise).date;
    case ENT_REC_OPERATION: return AT(operations, ent_operation).date;
    case ENT_REC_SESSION: return AT(sessions, ent_session).date;
    case ENT_REC_INCIDENT: return AT(incidents, ent_incident).date;
    case ENT_REC_DISPUTE: return AT(disputes, ent_dispute).opened;
    case ENT_REC_RELATION: return AT(relations, ent_relation).date;
    case ENT_REC_MEETING: return AT(meetings, ent_meeting).date;
    case ENT_REC_CONFERENCE: return AT(conferences, ent_conference).date;
    case ENT_REC_REGISTRATION: return AT(registrations, ent_registration).date;
    case ENT_REC_ARTICLE: return AT(articles, ent_article).date;
    case ENT_REC_COMMENT: return AT(comments, ent_comment).date;
    default: break;
    }
#undef AT
    return ENT_DATE_NONE;
}

ent_date ent__portal_record_date(const ent_inst *s, int kind, int32_t idx)
{
    return kind >= ENT_REC_RELATION ? record_date(s, kind, idx) : ENT_DATE_NONE;
}

int ent__portal_any_record(ent_ctx *c, const ent_arg *a, int *kind, int32_t *idx)
{
    *kind = ent__inst_record(c->s, a->val.p, a->val.n, idx);
    if (*kind == ENT_REC_NONE) return ent__act_err(c, a->col, "unknown id '%.*s'", (int)a->val.n, a->val.p);
    ent_date made = record_date(c->s, *kind, *idx);
    char b[11];
    if (made != ENT_DATE_NONE && made > c->d)
        return ent__act_err(c, a->col, "'%.*s' is dated %s, after this line", (int)a->val.n, a->val.p,
                            ent__act_day(made, b));
    return 0;
}

/* ------------------------------------------------------------------ */
/* Relations and dialogues.                                             */

static int is_org_code(ent_str v)
{
    if (v.n < 2 || v.n > 16 || !(v.p[0] >= 'A' && v.p[0] <= 'Z')) return 0;
    for (uint32_t i = 0; i < v.n; i++) {
        char ch = v.p[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-')) return 0;
    }
    return 1;
}

static int do_relation_kind(ent_ctx *c, int dialogue)
{
    ent_sym by, id;
    ent_str status = { NULL, 0 };
    if (ent__act_check_keys(c, "id party kind status") || ent__act_max_pos(c, 0) ||
        ent__portal_subject(c, 1, &by) || ent__portal_field(c, ENT_K_STATUS, 0, 40, &status) ||
        ent__portal_field(c, ENT_K_NONE, 0, 300, &(ent_str){ 0 }))
        return c->o->verdict;
    const ent_arg *pa = ent__stmt_key(c->st, ENT_K_PARTY);
    if (!pa) return ent__act_err(c, 0, "missing party=STATE|ORGANIZATION");
    if (!is_org_code(pa->val))
        return ent__act_err(c, pa->col, "party= wants a state code (CN) or an organization's code in capitals (UN, SCO)");
    const ent_arg *ka = ent__stmt_key(c->st, ENT_K_KIND);
    int want = -1; /* 1 state, 0 organization, -1 not said */
    if (ka) {
        if (ent__str_eq(ka->val, "state")) want = 1;
        else if (ent__str_eq(ka->val, "organization")) want = 0;
        else return ent__act_err(c, ka->col, "kind= wants state or organization");
    }
    ent_state_id st = want != 0 ? ent__world_find(c->s->world, pa->val) : -1;
    int is_state = want == 1 || st >= 0;
    if (want == 1 && st < 0 && pa->val.n != 2)
        return ent__act_err(c, pa->col, "a state's code has two letters (ISO 3166-1 alpha-2): '%.*s'", (int)pa->val.n,
                            pa->val.p);
    if (is_state && st >= 0) {
        int ms = ent__inst_mstatus(c->s, st, c->d);
        if (ms == ENT_MS_MEMBER || ms == ENT_MS_FROZEN)
            return ent__act_err(c, pa->col, "%.*s is a member on this date: a relation is with a partner outside "
                                            "the organization", (int)pa->val.n, pa->val.p);
    }
    ent_sym party = ent__sym(c->s, pa->val.p, pa->val.n);
    if (!party) return ent__act_nomem(c);
    const ent_relation *r = c->s->relations.p;
    for (size_t i = 0; i < c->s->relations.len; i++)
        if (r[i].party == party && r[i].dialogue == dialogue)
            return ent__act_err(c, pa->col, "%s with %.*s exists: %s", dialogue ? "a dialogue" : "a relation",
                                (int)pa->val.n, pa->val.p, ent__sym_str(c->s, r[i].id));
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    ent_sym ss = status.n ? ent__sym(c->s, status.p, status.n) : 0;
    if (status.n && !ss) return ent__act_nomem(c);
    ent_relation *n = ent__vec_push(&c->s->relations);
    if (!n) return ent__act_nomem(c);
    *n = (ent_relation){ id, c->d, by, (uint8_t)dialogue, (uint8_t)is_state, st, party, ss, ent__act_text_sym(c), 0,
                         ENT_DATE_NONE };
    if (ent__inst_add_record(c->s, id, ENT_REC_RELATION, (int32_t)(c->s->relations.len - 1))) return ent__act_nomem(c);
    return ENT_V_OK;
}

static int do_relation(ent_ctx *c) { return do_relation_kind(c, 0); }
static int do_dialogue(ent_ctx *c) { return do_relation_kind(c, 1); }

static int do_meeting(ent_ctx *c)
{
    ent_sym by, id;
    int kind;
    int32_t ri;
    if (ent__act_check_keys(c, "id with") || ent__act_max_pos(c, 0) || ent__portal_subject(c, 1, &by) ||
        ent__portal_field(c, ENT_K_NONE, 0, 1000, &(ent_str){ 0 }))
        return c->o->verdict;
    const ent_arg *wa = ent__stmt_key(c->st, ENT_K_WITH);
    if (!wa) return ent__act_err(c, 0, "missing with=RELATION");
    if (ent__portal_any_record(c, wa, &kind, &ri)) return c->o->verdict;
    if (kind != ENT_REC_RELATION)
        return ent__act_err(c, wa->col, "'%.*s' is not a relation or a dialogue", (int)wa->val.n, wa->val.p);
    if (ent__act_new_id(c, &id)) return c->o->verdict;
    ent_meeting *m = ent__vec_push(&c->s->meetings);
    if (!m) return ent__act_nomem(c);
    *m = (ent_meeting){ id, c->d, by, ri };
    ent_relation *r = &ENT_VEC_AT(&c->s->relations, ent_relation, ri);
    r->meetings++;
    if (r->last_meeting == ENT_DATE_NONE || c->d > r->last_meeting) r->last_meeting = c->d;
    if (ent__inst_add_record(c->s, id, ENT_REC_MEETING, (int32_t)(c->s->meetings.len - 1))) return ent__act_nomem(c);
    return ENT_V_OK;
}

const ent_verb ent__verbs_relations[] = {
    ENT_VERB("relation", do_relation),
    ENT_VERB("dialogue", do_dialogue),
    ENT_VERB("meeting", do_meeting),
    { NULL, 0, NULL }
};

/* ------------------------------------------------------------------ */
/* Set-up and digest of every record of portal.h.                       */

void ent__portal_init(ent_inst *s)
{
    ent__vec_init(&s->relations, sizeof(ent_relation));
    ent__vec_init(&s->meetings, sizeof(ent_meeting));
    ent__vec_init(&s->conferences, sizeof(ent_conference));
    ent__vec_init(&s->invites, sizeof(ent_invite));
    ent__vec_init(&s->registrations, sizeof(ent_registration));
    ent__vec_init(&s->articles, sizeof(ent_article));
    ent__vec_init(&s->comments, sizeof(ent_comment));
    ent__vec_init(&s->modlog, sizeof(ent_modlog));
}

void ent__portal_digest(const ent_inst *s, void *g)
{
    /* nothing at all: hash nothing, so that older digests stay */
    if (!(s->relations.len | s->meetings.len | s->conferences.len | s->invites.len | s->registrations.len |
          s->articles.len | s->comments.len | s->modlog.len))
        return;
    ent__dg_text(g, "portal-1");
    ent__dg_int(g, (int64_t)s->relations.len);
    for (size_t i = 0; i < s->relations.len; i++) {
        const ent_relation *r = &ENT_VEC_AT(&s->relations, ent_relation, i);
        ent__dg_int(g, r->id), ent__dg_int(g, r->date), ent__dg_int(g, r->by), ent__dg_int(g, r->dialogue);
        ent__dg_int(g, r->is_state), ent__dg_int(g, r->state), ent__dg_int(g, r->party), ent__dg_int(g, r->status);
        ent__dg_int(g, r->text), ent__dg_int(g, r->meetings), ent__dg_int(g, r->last_meeting);
    }
    ent__dg_int(g, (int64_t)s->meetings.len);
    for (size_t i = 0; i < s->meetings.len; i++) {
        const ent_meeting *m = &ENT_VEC_AT(&s->meetings, ent_meeting, i);
        ent__dg_int(g, m->id), ent__dg_int(g, m->date), ent__dg_int(g, m->by), ent__dg_int(g, m->relation);
    }
    ent__dg_int(g, (int64_t)s->conferences.len);
    for (size_t i = 0; i < s->conferences.len; i++) {
        const ent_conference *k = &ENT_VEC_AT(&s->conferences, ent_conference, i);
        ent__dg_int(g, k->id), ent__dg_int(g, k->date), ent__dg_int(g, k->by), ent__dg_int(g, k->organizer);
        ent__dg_int(g, k->title), ent__dg_int(g, k->city), ent__dg_int(g, k->tz), ent__dg_int(g, k->year);
        ent__dg_int(g, k->start), ent__dg_int(g, k->end), ent__dg_int(g, k->capacity), ent__dg_int(g, k->deadline);
        ent__dg_int(g, k->registered), ent__dg_int(g, k->invited);
    }
    ent__dg_int(g, (int64_t)s->invites.len);
    for (size_t i = 0; i < s->invites.len; i++) {
        const ent_invite *v = &ENT_VEC_AT(&s->invites, ent_invite, i);
        ent__dg_int(g, v->conference), ent__dg_int(g, v->date), ent__dg_int(g, v->party);
    }
    ent__dg_int(g, (int64_t)s->registrations.len);
    for (size_t i = 0; i < s->registrations.len; i++) {
        const ent_registration *r = &ENT_VEC_AT(&s->registrations, ent_registration, i);
        ent__dg_int(g, r->id), ent__dg_int(g, r->date), ent__dg_int(g, r->conference), ent__dg_int(g, (int64_t)r->code);
    }
    ent__dg_int(g, (int64_t)s->articles.len);
    for (size_t i = 0; i < s->articles.len; i++) {
        const ent_article *a = &ENT_VEC_AT(&s->articles, ent_article, i);
        ent__dg_int(g, a->id), ent__dg_int(g, a->date), ent__dg_int(g, a->by), ent__dg_int(g, a->about);
    }
    ent__dg_int(g, (int64_t)s->comments.len);
    for (size_t i = 0; i < s->comments.len; i++) {
        const ent_comment *k = &ENT_VEC_AT(&s->comments, ent_comment, i);
        ent__dg_int(g, k->id), ent__dg_int(g, k->date), ent__dg_int(g, k->on), ent__dg_int(g, k->stance);
        ent__dg_int(g, k->hidden);
    }
    ent__dg_int(g, (int64_t)s->modlog.len);
    for (size_t i = 0; i < s->modlog.len; i++) {
        const ent_modlog *m = &ENT_VEC_AT(&s->modlog, ent_modlog, i);
        ent__dg_int(g, m->comment), ent__dg_int(g, m->date), ent__dg_int(g, m->hide), ent__dg_int(g, m->reason);
    }
}
