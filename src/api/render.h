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

#endif /* ENT_RENDER_H */
