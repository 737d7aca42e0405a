/*
** lex.c: the lexer of the chronicle language.
**
** A chronicle is read one line at a time; the lexer never sees a newline.
** It cuts the line into tokens (see lex.h) and checks everything that can be
** checked without knowing where the token stands in the statement: the bytes
** allowed outside quotes, the shape of keys, lists without empty items,
** escapes and UTF-8 inside quotes. The parser (parse.c) decides what a token
** means by its place: date, subject, verb, argument or text.
**
** Speed matters (the journal is replayed through this code), so a byte's
** class is one lookup in ent__lex_class[], a bare run is one tight loop that
** also gathers the classes of its bytes (so "is it an id? a key? a list?"
** costs nothing more), and nothing is allocated unless a quoted string holds
** an escape.
*/
#include "lex.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CC(c) (ent__lex_class[(unsigned char)(c)])

/* The classes of the ASCII bytes; bytes 0x80-0xFF have none (they may only
** appear inside quotes, as UTF-8). Generated from the ENT_C_* definitions in
** lex.h; tests/unit/lang/test_lex.c recomputes and checks it. */
const uint8_t ent__lex_class[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* 00-0f */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* 10-1f */
    0xc0, 0x80, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x90, 0xb0, 0x9a, 0x98, 0x90,  /* 20-2f */
    0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x9a, 0x90, 0x80, 0x80, 0x80, 0x80, 0x80,  /* 30-3f */
    0x80, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93,  /* 40-4f */
    0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x80, 0x00, 0x80, 0x80, 0x9a,  /* 50-5f */
    0x80, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f,  /* 60-6f */
    0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x9f, 0x80, 0x80, 0x80, 0x80, 0x00,  /* 70-7f */
};

static const ent_str empty_str = { "", 0 };

void ent__lex_init(ent_lexer *lx, const char *z, size_t n, ent_arena *arena)
{
    assert(n <= ENT_MAX_LINE);
    lx->z = z;
    lx->n = (uint32_t)n;
    lx->i = 0;
    lx->last = 0;
    lx->arena = arena;
    lx->err_col = 0;
    lx->err[0] = 0;
}

int ent__lex_error(ent_lexer *lx, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->err, sizeof lx->err, fmt, ap);
    va_end(ap);
    lx->err_col = (uint16_t)(off + 1);
    lx->i = lx->n; /* the rest of the line is not looked at */
    return ENT_TOK_ERROR;
}

const char *ent__lex_show(ent_str s, char *buf, size_t size)
{
    size_t max = size - 4 < 40 ? size - 4 : 40, n = s.n;
    assert(size >= 8);
    if (n > max) {
        n = max;
        /* do not cut a UTF-8 sequence in two */
        while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80) n--;
        memcpy(buf, s.p, n);
        memcpy(buf + n, "...", 4);
    } else {
        if (n) memcpy(buf, s.p, n);
        buf[n] = 0;
    }
    return buf;
}

/* The error for byte z[off], which cannot be where it is. */
static int unexpected(ent_lexer *lx, uint32_t off)
{
    unsigned char c = (unsigned char)lx->z[off];
    if (c == '#') return ent__lex_error(lx, off, "unexpected '#'");
    if (c > 0x20 && c < 0x7F) return ent__lex_error(lx, off, "unexpected character '%c'", c);
    return ent__lex_error(lx, off, "unexpected byte 0x%02X", c);
}

/* Length of the well-formed UTF-8 sequence (2 to 4 bytes) at s[0..n), or 0.
** Overlong forms, surrogates and code points past U+10FFFF are refused. */
static uint32_t utf8_len(const unsigned char *s, uint32_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    uint32_t len;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (uint32_t k = 2; k < len; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return len;
}

/* Read the quoted string whose opening quote is at z[q]. On success set *out
** to its unescaped text and *end to the offset after the closing quote, and
** return 0; else record the error and return -1. */
static int lex_quoted(ent_lexer *lx, uint32_t q, ent_str *out, uint32_t *end)
{
    const unsigned char *z = (const unsigned char *)lx->z;
    uint32_t n = lx->n, i = q + 1, nesc = 0;
    for (;;) {
        while (i < n && (CC(z[i]) & ENT_C_QPLAIN)) i++;
        if (i >= n) goto unterminated;
        unsigned c = z[i];
        if (c == '"') break;
        if (c == '\\') {
            if (i + 1 >= n) goto unterminated;
            unsigned e = z[i + 1];
            if (e == '"' || e == '\\') {
                nesc++;
                i += 2;
                continue;
            }
            if (e > 0x20 && e < 0x7F)
                ent__lex_error(lx, i, "invalid escape '\\%c' in quoted text (only \\\" and \\\\)",
                               (int)e);
            else
                ent__lex_error(lx, i, "invalid escape in quoted text (only \\\" and \\\\)");
            return -1;
        }
        if (c < 0x80) {
            ent__lex_error(lx, i, "control character 0x%02X in quoted text", c);
            return -1;
        }
        uint32_t k = utf8_len(z + i, n - i);
        if (!k) {
            ent__lex_error(lx, i, "invalid UTF-8 in quoted text");
            return -1;
        }
        i += k;
    }
    /* z[i] is the closing quote */
    uint32_t len = i - q - 1;
    if (nesc == 0) {
        out->p = lx->z + q + 1;
        out->n = len;
    } else {
        char *d = lx->arena ? ent__arena_alloc(lx->arena, len - nesc + 1) : NULL;
        if (!d) {
            ent__lex_error(lx, q, "out of memory");
            return -1;
        }
        uint32_t o = 0;
        for (uint32_t j = q + 1; j < i; j++) {
            if (z[j] == '\\') j++; /* an escape: keep the byte after it */
            d[o++] = (char)z[j];
        }
        d[o] = 0;
        out->p = d;
        out->n = o;
    }
    *end = i + 1;
    return 0;

unterminated:
    ent__lex_error(lx, q, "unterminated quoted text");
    return -1;
}

/* Check a bare run z[s..e) that holds a comma: no item may be empty. */
static int check_list(ent_lexer *lx, uint32_t s, uint32_t e)
{
    const char *z = lx->z;
    for (uint32_t j = s; j < e; j++) {
        if (z[j] == ',' && (j == s || z[j - 1] == ',' || j + 1 == e)) {
            ent__lex_error(lx, j, "empty item in list");
            return -1;
        }
    }
    return 0;
}

int ent__lex_next(ent_lexer *lx, ent_token *t)
{
    const char *z = lx->z;
    uint32_t n = lx->n, i = lx->i;

    while (i < n && (CC(z[i]) & ENT_C_BLANK)) i++;
    if (i >= n || z[i] == '#') { /* the end, or a comment running to it */
        lx->i = n;
        t->kind = ENT_TOK_END;
        t->flags = 0;
        t->col = (uint16_t)(lx->last + 1);
        t->raw = t->key = t->val = empty_str;
        return ENT_TOK_END;
    }

    uint32_t start = i;
    uint8_t c = CC(z[i]);
    t->flags = 0;
    t->col = (uint16_t)(start + 1);
    t->key = empty_str;
    if (z[i] == '"') {
        if (lex_quoted(lx, i, &t->val, &i)) return ENT_TOK_ERROR;
        t->kind = ENT_TOK_QUOTED;
    } else if (c & ENT_C_BARE) {
        /* One pass over the run: `all` keeps the classes every byte has,
        ** `any` those that some byte has. */
        uint8_t all = 0xFF, any = 0;
        while (i < n) {
            uint8_t k = CC(z[i]);
            if (!(k & ENT_C_BARE)) break;
            all &= k;
            any |= k;
            i++;
        }
        if (i < n && z[i] == '=') {
            char buf[48];
            ent_str key = { z + start, i - start };
            if (!(c & ENT_C_KSTART) || !(all & ENT_C_KEY))
                return ent__lex_error(lx, start, "malformed key '%s' (want [a-z][a-z0-9_.-]*)",
                                      ent__lex_show(key, buf, sizeof buf));
            t->key = key;
            i++;
            if (i >= n || (CC(z[i]) & ENT_C_BLANK))
                return ent__lex_error(lx, i, "missing value after '%s='",
                                      ent__lex_show(key, buf, sizeof buf));
            if (z[i] == '"') {
                if (lex_quoted(lx, i, &t->val, &i)) return ENT_TOK_ERROR;
                t->flags = ENT_TF_QUOTED;
            } else if (CC(z[i]) & ENT_C_BARE) {
                uint32_t vs = i;
                any = 0;
                while (i < n && (CC(z[i]) & ENT_C_BARE)) any |= CC(z[i++]);
                if ((any & ENT_C_COMMA) && check_list(lx, vs, i)) return ENT_TOK_ERROR;
                t->val.p = z + vs;
                t->val.n = i - vs;
                if (any & ENT_C_COMMA) t->flags = ENT_TF_LIST;
            } else
                return unexpected(lx, i);
            t->kind = ENT_TOK_KEYVAL;
        } else {
            if ((any & ENT_C_COMMA) && check_list(lx, start, i)) return ENT_TOK_ERROR;
            t->val.p = z + start;
            t->val.n = i - start;
            if ((c & ENT_C_WSTART) && (all & ENT_C_WORD)) t->flags = ENT_TF_WORD;
            else if (any & ENT_C_COMMA) t->flags = ENT_TF_LIST;
            t->kind = ENT_TOK_BARE;
        }
    } else
        return unexpected(lx, i);

    /* a token ends at a blank or at the end of the line */
    if (i < n && !(CC(z[i]) & ENT_C_BLANK)) return unexpected(lx, i);
    t->raw.p = z + start;
    t->raw.n = i - start;
    lx->i = lx->last = i;
    return t->kind;
}
