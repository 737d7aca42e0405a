/*
** util.h: allocation hook, arenas, growable vectors and buffers, diagnostics.
** Private to libentente.
**
** Every allocation of the library goes through ent__malloc/ent__realloc/
** ent__free, which call the hook installed by ent_set_allocator() (see
** entente.h), so tests can make any allocation fail.
**
** ent_buf and ent_vec keep a sticky `oom` flag: after a failed growth every
** later append is a no-op, and the owner checks the flag once at the end
** (SQLite's mallocFailed habit).
*/
#ifndef ENT_UTIL_H
#define ENT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *ent__malloc(size_t n);
void *ent__realloc(void *p, size_t n);
void ent__free(void *p);
char *ent__strndup(const char *s, size_t n);

/* Arena: many small allocations freed together. */
typedef struct ent_arena_block ent_arena_block;
typedef struct ent_arena {
    ent_arena_block *head;
    int oom;
} ent_arena;
void *ent__arena_alloc(ent_arena *a, size_t n);       /* 16-byte aligned; NULL + oom on failure */
char *ent__arena_strndup(ent_arena *a, const char *s, size_t n);
void ent__arena_free(ent_arena *a);
/* Forget every allocation but keep the newest block for reuse. */
void ent__arena_clear(ent_arena *a);

/* Growable byte buffer, always NUL-terminated when len > 0. */
typedef struct ent_buf {
    char *p;
    size_t len, cap;
    int oom;
} ent_buf;
/* Room for n more bytes and the NUL after them: 0, or -1 (oom, flag set). */
int ent__buf_reserve(ent_buf *b, size_t n);
void ent__buf_put(ent_buf *b, const void *p, size_t n);
void ent__buf_puts(ent_buf *b, const char *z);
void ent__buf_putc(ent_buf *b, char c);
void ent__buf_printf(ent_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ent__buf_vprintf(ent_buf *b, const char *fmt, va_list ap);
void ent__buf_json_str(ent_buf *b, const char *s, size_t n); /* "..." with JSON escapes */
void ent__buf_reset(ent_buf *b);                     /* len = 0, keeps memory */
void ent__buf_free(ent_buf *b);

/* Growable vector of fixed-size elements. */
typedef struct ent_vec {
    void *p;
    size_t len, cap, elem;
    int oom;
} ent_vec;
void ent__vec_init(ent_vec *v, size_t elem);
void *ent__vec_push(ent_vec *v);                     /* zeroed new slot, NULL on oom */
#define ENT_VEC_AT(v, T, i) (((T *)(v)->p)[i])
void ent__vec_free(ent_vec *v);

/* Diagnostics collected while reading a file. */
enum ent_diag_kind { ENT_DIAG_ERROR = 1, ENT_DIAG_REFUSED, ENT_DIAG_NOTE };

typedef struct ent_diag_item {
    int kind;                 /* enum ent_diag_kind */
    char *file;               /* owned copy */
    uint32_t line;
    uint16_t col;             /* 0: no column (refusals) */
    char *msg;                /* owned */
    char *rule;               /* refusals: rule id (owned), else NULL */
    char *source;             /* refusals: citation (owned), else NULL */
    char *src_line;           /* the source line, for the caret (owned), may be NULL */
} ent_diag_item;

typedef struct ent_diags {
    ent_vec items;            /* of ent_diag_item */
    int nerrors;              /* ENT_DIAG_ERROR items */
    int nrefused;             /* ENT_DIAG_REFUSED items */
} ent_diags;

void ent__diags_init(ent_diags *d);
void ent__diags_free(ent_diags *d);
/* src_line/src_len: the whole line without its newline (may be NULL). */
void ent__diag_add(ent_diags *d, int kind, const char *file, uint32_t line, uint16_t col,
                   const char *src_line, size_t src_len,
                   const char *rule, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 10, 11)));
/* Sort the items from index `first` on by line, keeping the order of items
** on the same line (used so a file's errors and refusals read top to bottom). */
void ent__diags_sort_from(ent_diags *d, size_t first);
/* Render every diagnostic, in order, as the CLI prints them:
**   FILE:LINE:COL: error: MESSAGE\n  source line\n  ^\n
**   FILE:LINE: refused: MESSAGE [rule; source]\n */
void ent__diags_render(const ent_diags *d, ent_buf *out);

/* Find the line that holds offset `off` of buf: sets *start and *len. */
void ent__line_at(const char *buf, size_t n, size_t off, size_t *start, size_t *len);

#endif /* ENT_UTIL_H */
