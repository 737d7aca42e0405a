/*
** world_json.c: ent_world_json(), the world of the organization as data for a
** map: each state with its capital and the capital's position, and each link
** between two states (a land border, closed or open, or a sea link with the
** sea's name). The server's GET /api/world answers with it (docs/api.md).
*/
#include "api.h"

#include <string.h>

static void js(ent_buf *b, const char *z) { ent__buf_json_str(b, z, strlen(z)); }

int ent_world_json(ent_db *db, int format, char **out)
{
    *out = NULL;
    if (format != ENT_FMT_JSON) return ENT_EUSAGE;
    const ent_world *w = &db->world;
    ent_buf b = { 0 };
    ent__buf_puts(&b, "{\"states\":[");
    for (int i = 0; i < w->nstates; i++) {
        const ent_country *c = &w->states[i];
        ent__buf_puts(&b, i ? ",{\"code\":" : "{\"code\":");
        js(&b, c->code);
        ent__buf_puts(&b, ",\"name\":");
        js(&b, c->name);
        ent__buf_puts(&b, ",\"capital\":");
        js(&b, c->capital);
        ent__buf_printf(&b, ",\"lat\":%.4f,\"lon\":%.4f}", c->lat, c->lon);
    }
    ent__buf_puts(&b, "],\"links\":[");
    for (int i = 0; i < w->nlinks; i++) {
        const ent_link *l = &w->links[i];
        ent__buf_puts(&b, i ? ",{\"a\":" : "{\"a\":");
        js(&b, w->states[l->a].code);
        ent__buf_puts(&b, ",\"b\":");
        js(&b, w->states[l->b].code);
        ent__buf_puts(&b, l->sea ? ",\"kind\":\"sea\",\"sea\":" : ",\"kind\":\"land\",\"sea\":");
        if (l->sea && l->sea_name[0]) js(&b, l->sea_name);
        else ent__buf_puts(&b, "null");
        ent__buf_puts(&b, l->closed ? ",\"closed\":true}" : ",\"closed\":false}");
    }
    ent__buf_puts(&b, "]}\n");
    if (b.oom) {
        ent__buf_free(&b);
        return ENT_ENOMEM;
    }
    *out = b.p;
    return ENT_OK;
}
