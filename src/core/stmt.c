/*
** stmt.c: small helpers over strings and statements (see core.h).
**
** An ent_str is a pointer and a length into someone else's buffer; it is not
** NUL-terminated. A statement's arguments keep their order: positional ones
** (key.n == 0) and keyed ones are interleaved as they were written.
*/
#include "core.h"

#include <string.h>

/* Do a and b hold the same bytes? */
int ent__str_same(ent_str a, ent_str b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* The i-th (from 0) positional argument, or NULL if there are not that many. */
const ent_arg *ent__stmt_pos(const ent_stmt *s, int i)
{
    if (i < 0) return NULL;
    for (int k = 0; k < s->nargs; k++) {
        if (s->args[k].key.n == 0 && i-- == 0) return &s->args[k];
    }
    return NULL;
}

/* The number of positional arguments. */
int ent__stmt_npos(const ent_stmt *s)
{
    int n = 0;
    for (int k = 0; k < s->nargs; k++) n += s->args[k].key.n == 0;
    return n;
}
