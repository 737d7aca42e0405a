/*
** stmt.c: small helpers over strings and statements (see core.h).
**
** An ent_str is a pointer and a length into someone else's buffer; it is not
** NUL-terminated. A statement's arguments keep their order: positional ones
** (key.n == 0) and keyed ones are interleaved as they were written; the
** parser notes where the positional ones are (ent_stmt.pos) and resolves
** every key to its number (ent_arg.key_id), so the core finds an argument
** without comparing strings.
*/
#include "core.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Keys: ENT_KEYS, found through a small open-addressing table that is
** built once, before main, from the list (so lookups need no lock).     */

static const char *const key_names[ENT_K_COUNT] = {
    "", "",
#define ENT_K_NAME_(id, name) name,
    ENT_KEYS(ENT_K_NAME_)
#undef ENT_K_NAME_
};

#define KEY_SLOTS 256 /* a power of two, at least twice ENT_K_COUNT */
_Static_assert(KEY_SLOTS >= 2 * ENT_K_COUNT, "key table at most half full");
static uint8_t key_slot[KEY_SLOTS];

static unsigned key_hash(const char *p, size_t n)
{
    return ((unsigned)n * 31u + (unsigned char)p[0] * 7u + (unsigned char)p[n - 1] * 11u +
            (unsigned char)p[n / 2] * 3u) & (KEY_SLOTS - 1);
}

__attribute__((constructor)) static void key_index(void)
{
    for (int k = ENT_K_UNKNOWN + 1; k < ENT_K_COUNT; k++) {
        unsigned h = key_hash(key_names[k], strlen(key_names[k]));
        while (key_slot[h]) h = (h + 1) & (KEY_SLOTS - 1);
        key_slot[h] = (uint8_t)k;
    }
}

int ent__key_id(const char *p, size_t n)
{
    if (n == 0) return ENT_K_NONE;
    for (unsigned h = key_hash(p, n);; h = (h + 1) & (KEY_SLOTS - 1)) {
        int k = key_slot[h];
        if (!k) return ENT_K_UNKNOWN;
        const char *z = key_names[k];
        size_t i = 0;
        while (i < n && z[i] == p[i]) i++;
        if (i == n && z[n] == 0) return k;
    }
}

const char *ent__key_name(int key) { return key > 0 && key < ENT_K_COUNT ? key_names[key] : ""; }
