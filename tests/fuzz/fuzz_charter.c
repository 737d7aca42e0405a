/*
** fuzz_charter.c: libFuzzer target for the charter and world loaders: the
** input is a charter file (docs/charters.md) read after the built-in sources
** and world, as `entente --charter FILE` reads it. A malformed file must be
** reported, never crash; a loaded one is queried once.
*/
#include <stdint.h>
#include <stdlib.h>

#include "entente.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ent_report *rep = ent_report_new();
    if (!rep) abort();
    ent_input in = { "fuzz-charter.chron", (const char *)data, size };
    ent_db *db = NULL;
    int rc = ent_open_charter(&db, NULL, 0, &in, 1, rep);
    if (rc == ENT_OK) {
        char *out = NULL;
        if (ent_state(db, NULL, ENT_FMT_JSON, &out, rep) == ENT_OK) ent_free(out);
        ent_close(db);
    } else if (rc != ENT_EINPUT && rc != ENT_REFUSED && rc != ENT_ENOMEM) {
        abort();
    }
    (void)ent_report_text(rep);
    ent_report_free(rep);
    return 0;
}
