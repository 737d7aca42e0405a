/*
** render.h: text and JSON renderings of query results, private to
** libentente. The public API and the command line print what these write.
**
** Every function appends to an ent_buf (util.h) and checks nothing itself:
** the caller tests the buffer's oom flag once at the end. Text renderings end
** every line with '\n'; JSON renderings are one compact object followed by
** '\n'. Strings in JSON go through ent__buf_json_str.
*/
#ifndef ENT_RENDER_H
#define ENT_RENDER_H

#include "../core/core.h"
#include "../util/util.h"

/* ------------------------------------------------------------------ */
/* Routes (`entente route FROM TO [--json]`).                           */

/* Render the n routes r[0..n-1] from `from` to `to`, as found by
** ent__routes(), on `date` ("YYYY-MM-DD", or NULL to leave it out).
**
** Text (json == 0):
**     routes from Russia (RU, Moscow) to Armenia (AM, Yerevan) on 2026-11-28
**       1. RU > GE > AM                 1,780 km   consent: GE (Georgia)
**       2. RU ~ IR > AM                 2,342 km (Caspian)   consent: IR (Iran)
** Columns are aligned over all the routes; a sea hop is written `~` and the
** seas crossed follow the km in parentheses; `consent: none` when no
** non-member must consent. With n == 0 the whole output is the one line
**     no route from Russia (RU) to Iceland (IS) over land borders and sea links
**
** JSON (json != 0):
**     {"from":"RU","to":"AM","date":"2026-11-28","routes":[{"path":["RU","GE","AM"],
**      "consent_needed":["GE"],"km":1780.3,"sea":false}]}
** km rounded to 0.1; "date" is left out when date is NULL. */
void ent__routes_render(const ent_world *w, ent_state_id from, ent_state_id to,
                        const char *date, const ent_path *r, int n, int json, ent_buf *out);

/* ------------------------------------------------------------------ */
/* Exercises, plans of exercises, standing operations (render_exercise.c). */

struct ent_inst;
/* `state --json`: appends ,"exercise_plans":[...],"exercises":[...],
** "operations":[...] with the records dated on or before d (docs/cli.md). */
void ent__exercises_json(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `state`: the plan of d's year, the exercises of d's year and those still
** to come ("exercises:"), the standing operations ("operations:"); each
** part only when there is something to show. */
void ent__exercises_text(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `why ID` for an exercise or an operation (kind: enum ent_rec_kind). */
void ent__exercises_why(const struct ent_inst *s, int kind, int32_t idx, ent_buf *b);

/* ------------------------------------------------------------------ */
/* The threat register and disputes (render_register.c, register.h).   */

/* `state --json`: appends ,"disputes":[...open on d...],"incidents":N. */
void ent__register_json(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `state`: "disputes:" (those open on d, with their last step) and
** "incidents:  N to date". */
void ent__register_text(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `why ID` for an incident or a dispute (kind: enum ent_rec_kind). */
void ent__register_why(const struct ent_inst *s, int kind, int32_t idx, ent_buf *b);

/* ------------------------------------------------------------------ */
/* Sessions and membership procedures (render_members.c).              */

struct ent_proposal;
/* `state --json`: appends ,"sessions":[...dated on or before d...],
** "applications":[...pending on d...],"withdrawals":[...filed by d...]. */
void ent__members_json(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `state`: "sessions:" (the last three on or before d, with who was absent),
** "applications:" and "withdrawal notices:" when there are any. */
void ent__members_text(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `why ID` for a session. */
void ent__session_why(const struct ent_inst *s, int32_t idx, ent_buf *b);
/* `why ID` for a proposal to admit or of a text: its first lines; and the
** session line of any proposal put at a session (nothing otherwise). */
void ent__members_why_head(const struct ent_inst *s, const struct ent_proposal *p, ent_buf *b);
void ent__members_why_session(const struct ent_inst *s, const struct ent_proposal *p, ent_buf *b);

/* ------------------------------------------------------------------ */
/* Relations, conferences, articles and comments (render_portal.c).     */

/* `state --json`: appends ,"relations":[...],"dialogues":[...],
** "conferences":[...],"articles":N,"comments":N,"comments_hidden":N,
** "moderation":[...] for the records dated on or before d (docs/cli.md). */
void ent__portal_json(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `state`: "relations:", "dialogues:", "conferences:", "portal:" and
** "moderation:", each only when there is something to show. */
void ent__portal_text(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `why ID` for a portal record (kind: enum ent_rec_kind); the texts that
** only the journal keeps are in the events that query.c lists after it. */
void ent__portal_why(const struct ent_inst *s, int kind, int32_t idx, ent_buf *b);

/* ------------------------------------------------------------------ */
/* The Joint Staff's chief and missions (render_staff.c).               */

/* `state --json`: appends ,"joint_staff_chief":{name,state,from}|null,
** "missions":[...decided on or before d...]. */
void ent__staff_json(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `state`: "joint staff chief:" and one "mission:" line per mission. */
void ent__staff_text(const struct ent_inst *s, ent_date d, ent_buf *b);
/* `why ID` for a mission. */
void ent__mission_why(const struct ent_inst *s, int32_t idx, ent_buf *b);

/* `why`: a rule applied, with its id, citation, a note and its sources (query.c). */
struct ent_inst;
void ent__cite(const struct ent_inst *s, ent_buf *b, const char *rule, const char *note);

#endif /* ENT_RENDER_H */
