/*
** fuzz_chronicle.c: libFuzzer target for the chronicle reader and the rule
** engine. Each input is checked (ent_check: parse, validate, apply on a copy;
** nothing stored) against the built-in CSTO with its history, as a chronicle
** file, or, by its first byte, as exported JSON lines or CSV (the import
** path). Built by `make fuzz`; see docs/reliability.md.
*/
#include <stdint.h>
#include <stdlib.h>

#include "entente.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ent_db *db;
static ent_report *rep;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db) {
        if (ent_open(&db, NULL, 0, NULL) != ENT_OK) abort();
        rep = ent_report_new();
        if (!rep) abort();
    }
    static const char *names[] = { "fuzz.chron", "fuzz.jsonl", "fuzz.csv" };
    const char *name = names[0];
    if (size > 0 && data[0] == '{') name = names[1];
    else if (size > 0 && data[0] == 's') name = names[2];   /* "seq,date,..." */
    ent_input in = { name, (const char *)data, size };
    ent_report_clear(rep);
    int rc = ent_check(db, &in, 1, rep);
    if (rc != ENT_OK && rc != ENT_EINPUT && rc != ENT_REFUSED && rc != ENT_ENOMEM) abort();
    (void)ent_report_text(rep);
    return 0;
}
