/*
** fuzz_journal.c: libFuzzer target for opening a journal file that may be
** corrupted: the input is written to a file and opened read-only (verify the
** chain, replay). A damaged journal must be reported (ENT_EINPUT with the
** first bad sequence number, or ENT_ENOINPUT/ENT_EIO), never crash or be
** accepted with a different history. Seeds: small valid journals
** (tests/fuzz/corpus/journal/).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "entente.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) snprintf(path, sizeof path, "/tmp/entente-fuzz-journal-%ld.db", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);
    ent_report *rep = ent_report_new();
    if (!rep) abort();
    ent_db *db = NULL;
    int rc = ent_open(&db, path, ENT_OPEN_READONLY | ENT_OPEN_NOCREATE, rep);
    if (rc == ENT_OK) {
        char digest[65];
        if (ent_verify(db, digest, rep) != ENT_OK) abort();   /* opened means verified */
        ent_close(db);
    } else if (rc != ENT_EINPUT && rc != ENT_ENOINPUT && rc != ENT_EIO && rc != ENT_ENOMEM) {
        abort();
    }
    (void)ent_report_text(rep);
    ent_report_free(rep);
    unlink(path);
    return 0;
}
