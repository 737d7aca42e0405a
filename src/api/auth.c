/*
** auth.c: the crisis room's rule `authority` (design s.9): which lines a
** principal may put. A token is bound to a principal (entente.h); every
** line of a command put with a token is checked here, against the state the
** earlier lines left, before the charter sees it:
**
**   a state code XX   lines whose subject is XX (a delegation acts only as
**                     its own state);
**   chair             lines whose subject is a body of the charter (CSC,
**                     CMFA, ...), and `convene` lines whose subject is the
**                     state that chairs the CSC on the line's date;
**   sg                lines whose subject is SG;
**   secretariat       SG lines, and the lines of a record (a dispute's
**                     steps `D1 ...`, a mission's facts `M1 ...`,
**                     `K1 invite`, `OP1 report`) except `register` and
**                     `comment`;
**   participant       `comment` lines (on any record) whose author= is the
**                     token's name;
**   observer          nothing: it reads;
**   admin             anything.
**
** A refusal is an outcome ENT_V_REFUSED with the rule `authority` and its
** source, reported like the charter's refusals; the caller makes it the
** status ENT_EFORBIDDEN. This is not a rule of the charter: it is not in
** data/charter.chron and no switch changes it.
*/
#include "api.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const roles[] = { "chair", "sg", "secretariat", "observer", "admin", "participant" };

int ent__principal_check(const ent_db *db, const char *p)
{
    size_t n = p ? strlen(p) : 0;
    if (n == 2 && ent__world_find(&db->world, (ent_str){ p, 2 }) >= 0) return 0;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (p && strcmp(p, roles[i]) == 0) return 0;
    return -1;
}

void ent__principal_list(const ent_db *db, ent_buf *b)
{
    ent__buf_puts(b, "a state code of the world (");
    for (int i = 0; i < db->world.nstates; i++)
        ent__buf_printf(b, "%s%s", i ? ", " : "", db->world.states[i].code);
    ent__buf_puts(b, ")");
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        ent__buf_printf(b, "%s%s", i + 1 < sizeof roles / sizeof roles[0] ? ", " : " or ", roles[i]);
}

#define SRC "crisis room: design s.9, "

/* Refuse st with the rule `authority`. */
static int refuse(ent_outcome *o, const char *why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int refuse(ent_outcome *o, const char *why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->msg, sizeof o->msg, fmt, ap);
    va_end(ap);
    o->verdict = ENT_V_REFUSED;
    o->col = 0;
    o->rule = "authority";
    o->source = why;
    return ENT_V_REFUSED;
}

static int is_body(const ent_db *db, ent_str subject)
{
    return ent__charter_body(&db->charter, subject) >= 0;
}

static int is_record(const ent_inst *s, ent_str subject)
{
    int32_t idx;
    return ent__inst_record(s, subject.p, subject.n, &idx) != ENT_REC_NONE;
}

int ent__authorize(const ent_db *db, const ent_inst *s, const char *principal, const char *name,
                   const ent_stmt *st, ent_outcome *o)
{
    ent_str subj = st->subject, verb = st->verb;
    o->verdict = ENT_V_OK;
    o->rule = o->source = NULL;
    o->msg[0] = 0;
    o->col = 0;
    if (strcmp(principal, "admin") == 0) return ENT_V_OK;
    if (strcmp(principal, "observer") == 0)
        return refuse(o, SRC "an observer reads only", "an observer puts no line (%.*s %.*s)", (int)subj.n, subj.p,
                      (int)verb.n, verb.p);
    if (strlen(principal) == 2 && principal[0] >= 'A' && principal[0] <= 'Z') { /* "sg" is a role */
        if (ent__str_is(subj, principal)) return ENT_V_OK;
        return refuse(o, SRC "a delegation acts only for its own state",
                      "the delegation of %s acts only for %s, not for %.*s", principal, principal, (int)subj.n,
                      subj.p);
    }
    if (strcmp(principal, "chair") == 0) {
        if (is_body(db, subj)) return ENT_V_OK;
        if (ent__str_eq(verb, "convene")) {
            int kind;
            ent_date since;
            ent_state_id c = ent__inst_chair(s, st->date, &kind, &since);
            if (c >= 0 && ent__str_is(subj, db->world.states[c].code)) return ENT_V_OK;
            char d[11];
            return refuse(o, SRC "the chair acts for the bodies of the charter",
                          "the chair convenes only as the state that chairs on %s (%s), not as %.*s",
                          ent__date_format(st->date, d), c >= 0 ? db->world.states[c].code : "none",
                          (int)subj.n, subj.p);
        }
        return refuse(o, SRC "the chair acts for the bodies of the charter",
                      "the chair puts the lines of a body of the charter and convenes, not %.*s %.*s",
                      (int)subj.n, subj.p, (int)verb.n, verb.p);
    }
    if (strcmp(principal, "sg") == 0) {
        if (ent__str_eq(subj, "SG")) return ENT_V_OK;
        return refuse(o, SRC "the Secretary General acts as SG", "the Secretary General acts as SG, not as %.*s",
                      (int)subj.n, subj.p);
    }
    if (strcmp(principal, "secretariat") == 0) {
        if (ent__str_eq(subj, "SG")) return ENT_V_OK;
        if (ent__str_eq(verb, "register") || ent__str_eq(verb, "comment"))
            return refuse(o, SRC "the secretariat records for the Secretary General",
                          "the secretariat does not %.*s: registrations and comments are the participants'",
                          (int)verb.n, verb.p);
        if (ent__world_find(&db->world, subj) < 0 && !is_body(db, subj) && is_record(s, subj)) return ENT_V_OK;
        return refuse(o, SRC "the secretariat records for the Secretary General",
                      "the secretariat puts SG lines and the steps of records, not %.*s %.*s", (int)subj.n, subj.p,
                      (int)verb.n, verb.p);
    }
    if (strcmp(principal, "participant") == 0) {
        if (!ent__str_eq(verb, "comment"))
            return refuse(o, SRC "a participant comments in its own name", "a participant only comments, not %.*s",
                          (int)verb.n, verb.p);
        const ent_arg *a = ent__stmt_key(st, ENT_K_AUTHOR);
        if (!a || !name || !ent__str_is(a->val, name))
            return refuse(o, SRC "a participant comments in its own name",
                          "a participant comments as author=\"%s\", its registered name, not %s%.*s%s", name ? name : "",
                          a ? "\"" : "without author=", a ? (int)a->val.n : 0, a ? a->val.p : "", a ? "\"" : "");
        return ENT_V_OK;
    }
    return refuse(o, SRC "a token is bound to a principal", "unknown principal '%s'", principal);
}
