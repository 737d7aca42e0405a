/*
** lex.h: the lexer of the chronicle language, private to src/lang/.
**
** The lexer works on one line at a time (the parser splits the buffer at
** '\n' and drops a '\r' before it) and hands out tokens:
**
**   ENT_TOK_BARE    a run of bare bytes [A-Za-z0-9_.:+/-,]: a word, a number,
**                   a date or a list; flags say which shapes it has
**   ENT_TOK_KEYVAL  key=value, the value bare or "quoted"
**   ENT_TOK_QUOTED  "quoted text", unescaped
**   ENT_TOK_END     the end of the line, or a comment that runs to it
**   ENT_TOK_ERROR   a lexical error; the message and column are in the lexer
**
** A token must be followed by a space, a tab or the end of the line. `#`
** starts a comment only where a token could start (at the start of the line
** or after a blank); elsewhere it is an error.
**
** Nothing is allocated, except the unescaped copy of a quoted string that
** contained an escape, which goes to the arena. Token texts point into the
** line otherwise. Character classes come from one 256-byte table.
*/
#ifndef ENT_LEX_H
#define ENT_LEX_H

#include "lang.h"

/* The longest line accepted, in bytes, without its newline. */
#define ENT_MAX_LINE 4096

/* Character classes: ent__lex_class[c] is an OR of these bits. */
#define ENT_C_WSTART 0x01   /* starts an id:        A-Za-z                     */
#define ENT_C_WORD   0x02   /* inside an id:        A-Za-z0-9 _ -              */
#define ENT_C_KSTART 0x04   /* starts a key:        a-z                        */
#define ENT_C_KEY    0x08   /* inside a key:        a-z0-9 _ . -               */
#define ENT_C_BARE   0x10   /* in a bare value:     A-Za-z0-9 _ . : + / - ,    */
#define ENT_C_COMMA  0x20   /* the list separator:  ,                          */
#define ENT_C_BLANK  0x40   /* separates tokens:    space, tab                 */
#define ENT_C_QPLAIN 0x80   /* as-is in quotes:     tab, 0x20-0x7E but " and \ */
extern const uint8_t ent__lex_class[256];

enum ent_tok_kind {
    ENT_TOK_END = 0,
    ENT_TOK_BARE,
    ENT_TOK_KEYVAL,
    ENT_TOK_QUOTED,
    ENT_TOK_ERROR
};

/* Token flags. */
#define ENT_TF_WORD   0x01  /* BARE: an id, [A-Za-z][A-Za-z0-9_-]*            */
#define ENT_TF_LIST   0x02  /* BARE or KEYVAL: the (bare) value has a comma   */
#define ENT_TF_QUOTED 0x04  /* KEYVAL: the value was "quoted" (and unescaped) */

typedef struct ent_token {
    uint8_t kind;       /* enum ent_tok_kind */
    uint8_t flags;      /* ENT_TF_* */
    uint16_t col;       /* 1-based column of the first byte; END: one past the
                        ** last byte of the last token (where a missing token
                        ** would go) */
    ent_str raw;        /* the token's source text, for messages */
    ent_str key;        /* KEYVAL: the key, else empty */
    ent_str val;        /* BARE: the text; KEYVAL: the value; QUOTED: the text */
} ent_token;

typedef struct ent_lexer {
    const char *z;      /* the line, without its newline; not NUL-terminated */
    uint32_t n;         /* its length (at most ENT_MAX_LINE, checked by the caller) */
    uint32_t i;         /* offset of the next byte to look at */
    uint32_t last;      /* offset one past the last byte of the last token */
    ent_arena *arena;   /* for unescaped quoted text */
    uint16_t err_col;   /* ENT_TOK_ERROR: 1-based column */
    char err[256];      /* ENT_TOK_ERROR: the message */
} ent_lexer;

/* Start lexing line z[0..n). The lexer keeps z and arena by pointer. */
void ent__lex_init(ent_lexer *lx, const char *z, size_t n, ent_arena *arena);

/* Read the next token into *t and return its kind. After ENT_TOK_END or
** ENT_TOK_ERROR the line is done: calling again returns ENT_TOK_END (after an
** error the rest of the line is not looked at). */
int ent__lex_next(ent_lexer *lx, ent_token *t);

/* Record an error at byte offset `off` of the line (column off + 1) and
** return ENT_TOK_ERROR. The parser uses it for its own errors so that every
** message of a line lives in one place. */
int ent__lex_error(ent_lexer *lx, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copy s into buf (size >= 8) for a message: at most 40 bytes, then "...". */
const char *ent__lex_show(ent_str s, char *buf, size_t size);

#endif /* ENT_LEX_H */
