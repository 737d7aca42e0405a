/*
** token.c: the crisis room's tokens (entente.h). A token is 32 random bytes
** (randombytes_buf) written as 43 characters of base64url without padding;
** only the BLAKE2b-256 of the 32 bytes is stored, in the journal file's
** tokens table (src/store: not part of the hash chain). A token is shown
** once, by ent_token_add; ent_token_who finds it again by its hash (a
** live token found is kept in memory by the journal, until a token is
** added or revoked, here or by another process: store.h, token_find).
**
** ent__token_decode is a pure function (no state, no allocation): the
** server's input reaches the journal only through it, so it is the place
** to fuzz.
*/
#include "api.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

/* All ones when a < b, else 0 (a, b < 2^31). */
static uint32_t lt_mask(uint32_t a, uint32_t b) { return 0u - ((a - b) >> 31); }

/* The 6 bits of a URL-safe base64 character, without branches or tables
** (the token is a secret); *bad gets all ones when c is not one. */
static uint32_t b64u_val(uint32_t c, uint32_t *bad)
{
    uint32_t up = lt_mask(c, 'Z' + 1) & ~lt_mask(c, 'A');
    uint32_t lo = lt_mask(c, 'z' + 1) & ~lt_mask(c, 'a');
    uint32_t dg = lt_mask(c, '9' + 1) & ~lt_mask(c, '0');
    uint32_t mi = ~(lt_mask(c, '-') | lt_mask('-', c));
    uint32_t us = ~(lt_mask(c, '_') | lt_mask('_', c));
    *bad |= ~(up | lo | dg | mi | us);
    return ((c - 'A') & up) | ((c - 'a' + 26) & lo) | ((c - '0' + 52) & dg) | (62 & mi) | (63 & us);
}

int ent__token_decode(const char *text, size_t len, unsigned char raw[32])
{
    if (!text || len != ENT_TOKEN_CHARS) return -1;
    /* 43 characters: 258 bits, of which the last character's two low ones
    ** must be zero, so each token has exactly one spelling (as libsodium's
    ** decoder demands; tests/unit/api/test_room.c compares the two) */
    uint32_t bad = 0, acc = 0;
    int bits = 0, o = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 6) | b64u_val((unsigned char)text[i], &bad);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            raw[o++] = (unsigned char)(acc >> bits);
        }
    }
    bad |= acc & ((1u << bits) - 1);   /* the unused low bits */
    if (bad) {
        sodium_memzero(raw, 32);
        return -1;
    }
    return 0;
}

/* A token's name: 1..63 bytes of printable ASCII or well-formed UTF-8 (no
** control characters). 0 if acceptable. */
static int name_ok(const char *z)
{
    size_t n = z ? strlen(z) : 0;
    if (n == 0 || n > 63) return -1;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)z[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f) return -1;
            i++;
            continue;
        }
        int k = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
        if (k < 0 || i + (size_t)k >= n) return -1;
        for (int m = 1; m <= k; m++)
            if (((unsigned char)z[i + (size_t)m] & 0xC0) != 0x80) return -1;
        if (c == 0xC2 && (unsigned char)z[i + 1] < 0xA0) return -1;   /* C1 controls */
        i += (size_t)k + 1;
    }
    if (z[0] == ' ' || z[n - 1] == ' ') return -1;
    return 0;
}

static const char *where(const ent_db *db) { return db->path ? db->path : "journal"; }

int ent_token_add(ent_db *db, const char *principal, const char *name, char token[ENT_TOKEN_CHARS + 1],
                  ent_report *rep)
{
    unsigned char raw[32], hash[32];
    char err[512] = "";
    if (token) token[0] = 0;
    if (!token) return ENT_EUSAGE;
    if (!principal || ent__principal_check(db, principal)) {
        ent_buf b = { 0 };
        ent__principal_list(db, &b);
        ent__report(rep, ENT_DIAG_ERROR, "token", "unknown principal '%s': the principal is %s",
                    principal ? principal : "", b.p ? b.p : "");
        ent__buf_free(&b);
        return ENT_EUSAGE;
    }
    if (name_ok(name)) {
        ent__report(rep, ENT_DIAG_ERROR, "token",
                    "a token's name is 1 to 63 printable characters (no control character, no space at either end)");
        return ENT_EUSAGE;
    }
    if (db->flags & ENT_OPEN_READONLY) {
        ent__report(rep, ENT_DIAG_ERROR, where(db), "the journal is open read-only");
        return ENT_EUSAGE;
    }
    randombytes_buf(raw, sizeof raw);
    crypto_generichash(hash, sizeof hash, raw, sizeof raw, NULL, 0);
    int rc = ent__journal_token_add(db->j, hash, principal, name, err, sizeof err);
    if (rc == ENT_OK)
        sodium_bin2base64(token, ENT_TOKEN_CHARS + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    else
        ent__report(rep, ENT_DIAG_ERROR, where(db), "%s", err);
    sodium_memzero(raw, sizeof raw);
    return rc;
}

int ent__token_who(ent_db *db, const char *token, char principal[16], char name[64], int sync)
{
    unsigned char raw[32], hash[32];
    principal[0] = name[0] = 0;
    if (!token || ent__token_decode(token, strlen(token), raw)) return ENT_EFORBIDDEN;
    crypto_generichash(hash, sizeof hash, raw, sizeof raw, NULL, 0);
    sodium_memzero(raw, sizeof raw);
    if (sync) {
        int s = ent__journal_token_sync(db->j);
        if (s != ENT_OK) return s;
    }
    int rc = ent__journal_token_find(db->j, hash, principal, name);
    if (rc == ENT_OK) return ENT_OK;
    principal[0] = name[0] = 0;
    return rc == ENT_ENOTFOUND ? ENT_EFORBIDDEN : rc;
}

int ent_token_who(ent_db *db, const char *token, char principal[16], char name[64])
{
    return ent__token_who(db, token, principal, name, 1);
}

int ent_token_revoke(ent_db *db, const char *name, ent_report *rep)
{
    char err[512] = "";
    if (!name || !*name) {
        ent__report(rep, ENT_DIAG_ERROR, "token", "revoke: no token name");
        return ENT_EUSAGE;
    }
    if (db->flags & ENT_OPEN_READONLY) {
        ent__report(rep, ENT_DIAG_ERROR, where(db), "the journal is open read-only");
        return ENT_EUSAGE;
    }
    int rc = ent__journal_token_revoke(db->j, name, err, sizeof err);
    if (rc != ENT_OK) ent__report(rep, ENT_DIAG_ERROR, where(db), "%s", err);
    return rc;
}

typedef struct lister {
    int format;
    ent_buf b;
    int n;
} lister;

static int list_one(void *ud, const char *name, const char *principal, const char *made, const char *revoked)
{
    lister *l = ud;
    if (l->format == ENT_FMT_JSON) {
        ent__buf_puts(&l->b, l->n ? ",\n{\"name\":" : "{\"name\":");
        ent__buf_json_str(&l->b, name, strlen(name));
        ent__buf_puts(&l->b, ",\"principal\":");
        ent__buf_json_str(&l->b, principal, strlen(principal));
        ent__buf_puts(&l->b, ",\"made\":");
        ent__buf_json_str(&l->b, made, strlen(made));
        ent__buf_puts(&l->b, ",\"revoked\":");
        if (revoked) ent__buf_json_str(&l->b, revoked, strlen(revoked));
        else ent__buf_puts(&l->b, "null");
        ent__buf_putc(&l->b, '}');
    } else {
        ent__buf_printf(&l->b, "%-24s %-12s %-20s %s\n", name, principal, made, revoked ? revoked : "live");
    }
    l->n++;
    return l->b.oom ? ENT_ENOMEM : 0;
}

int ent_token_list(ent_db *db, int format, char **out)
{
    lister l;
    char err[512] = "";
    *out = NULL;
    if (format != ENT_FMT_TEXT && format != ENT_FMT_JSON) return ENT_EUSAGE;
    memset(&l, 0, sizeof l);
    l.format = format;
    if (format == ENT_FMT_JSON) ent__buf_puts(&l.b, "[");
    else ent__buf_printf(&l.b, "%-24s %-12s %-20s %s\n", "NAME", "PRINCIPAL", "MADE", "REVOKED");
    int rc = ent__journal_token_list(db->j, list_one, &l, err, sizeof err);
    if (format == ENT_FMT_JSON) ent__buf_puts(&l.b, "]\n");
    if (rc == ENT_OK && l.b.oom) rc = ENT_ENOMEM;
    if (rc != ENT_OK) {
        ent__buf_free(&l.b);
        return rc;
    }
    *out = l.b.p;
    return ENT_OK;
}
