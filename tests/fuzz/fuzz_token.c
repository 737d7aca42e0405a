/*
** fuzz_token.c: libFuzzer target for token checking (ent_token_who): the
** input, as a C string, is presented as a bearer token to an organization
** that has issued one token. Only that exact token may authenticate; every
** other input must be refused (ENT_EFORBIDDEN), whatever its length or
** bytes, and never crash.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "entente.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ent_db *db;
static char issued[ENT_TOKEN_CHARS + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db) {
        if (ent_open(&db, NULL, 0, NULL) != ENT_OK) abort();
        if (ent_token_add(db, "KZ", "fuzz", issued, NULL) != ENT_OK) abort();
    }
    char *tok = malloc(size + 1);
    if (!tok) return 0;
    memcpy(tok, data, size);
    tok[size] = 0;
    char principal[16], name[64];
    int rc = ent_token_who(db, tok, principal, name);
    if (strcmp(tok, issued) == 0) {
        if (rc != ENT_OK || strcmp(principal, "KZ") != 0 || strcmp(name, "fuzz") != 0) abort();
    } else if (rc != ENT_EFORBIDDEN) {
        abort();
    }
    free(tok);
    return 0;
}
