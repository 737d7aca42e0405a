/*
** util.c: the allocation hook, arenas, buffers, vectors and diagnostics.
** See util.h for the contracts.
*/
#define _GNU_SOURCE /* mremap: large blocks grow in place or move without a copy */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <pthread.h>
#include <sys/mman.h>
#endif

#include "entente.h"

/* ------------------------------------------------------------------ */
/* Allocation hook.                                                     */

/* The default allocator is malloc, except for large blocks (a state's
** vectors and tables as they grow past 4 MiB): those are mappings of their
** own, grown with mremap and backed by huge pages where the system offers
** them on request (Linux's transparent huge pages in "madvise" mode). A
** state of 36 MiB otherwise takes 9,000 page faults to grow, which on a
** virtual machine cost more than applying the acts that fill it
** (docs/performance.md). Every block starts with a header that says which
** kind it is and its size. */
typedef struct blk_head {
    size_t size;               /* the caller's size */
    size_t map;                /* the mapping's length; 0 for a malloc block */
} blk_head;

#if defined(__SANITIZE_ADDRESS__)
#define NO_BIG_BLOCKS 1 /* under ASan every block stays malloc's, so that it is checked */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_BIG_BLOCKS 1
#endif
#endif
#if defined(__linux__) && defined(MREMAP_MAYMOVE) && !defined(NO_BIG_BLOCKS)
#define BIG_BLOCKS 1
#define BIG_MIN ((size_t)1 << 20)

static size_t map_len(size_t n) /* whole huge pages, so none is shared with small ones */
{
    size_t huge = (size_t)2 << 20;
    return (sizeof(blk_head) + n + huge - 1) & ~(huge - 1);
}

static void huge_hint(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    (void)madvise(p, len, MADV_HUGEPAGE); /* a hint: refused or not, nothing depends on it */
#else
    (void)p;
    (void)len;
#endif
}

/* Freed mappings are kept for the next large block (a state cloned and
** freed again and again, say), so that it needs no fresh pages, which the
** system would fault in and zero one by one: up to SPARE_MAX of them and
** SPARE_BYTES in all. */
#define SPARE_MAX 8
#define SPARE_BYTES ((size_t)256 << 20)
static blk_head *spare[SPARE_MAX];
static int nspare;
static size_t spare_bytes;
static pthread_mutex_t spare_mu = PTHREAD_MUTEX_INITIALIZER;

static void big_free(blk_head *h)
{
    pthread_mutex_lock(&spare_mu);
    if (nspare < SPARE_MAX && spare_bytes + h->map <= SPARE_BYTES) {
        spare[nspare++] = h;
        spare_bytes += h->map;
        h = NULL;
    }
    pthread_mutex_unlock(&spare_mu);
    if (h) munmap(h, h->map);
}

/* The smallest spare mapping of len bytes or more, but not twice as large. */
static blk_head *big_take(size_t len)
{
    blk_head *h = NULL;
    pthread_mutex_lock(&spare_mu);
    int best = -1;
    for (int i = 0; i < nspare; i++)
        if (spare[i]->map >= len && spare[i]->map / 2 < len && (best < 0 || spare[i]->map < spare[best]->map)) best = i;
    if (best >= 0) {
        h = spare[best];
        spare[best] = spare[--nspare];
        spare_bytes -= h->map;
    }
    pthread_mutex_unlock(&spare_mu);
    return h;
}

static blk_head *big_map(blk_head *old, size_t n)
{
    size_t len = map_len(n);
    blk_head *h = old ? old : big_take(len);
    if (h && len <= h->map) {
        h->size = n;
        return h;
    }
    void *p = old ? mremap(old, old->map, len, MREMAP_MAYMOVE)
                  : mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    huge_hint(p, len);
    h = p;
    h->size = n;
    h->map = len;
    return h;
}
#endif

static void *default_alloc(void *ud, void *ptr, size_t nsize)
{
    (void)ud;
    blk_head *h = ptr ? (blk_head *)ptr - 1 : NULL;
    if (nsize == 0) {
#ifdef BIG_BLOCKS
        if (h && h->map) {
            big_free(h);
            return NULL;
        }
#endif
        free(h);
        return NULL;
    }
    if (nsize > SIZE_MAX - sizeof(blk_head) - ((size_t)2 << 20)) return NULL;
#ifdef BIG_BLOCKS
    if ((h && h->map) || nsize >= BIG_MIN) {
        if (h && !h->map) { /* a malloc block grown large: move it to a mapping */
            blk_head *b = big_map(NULL, nsize);
            if (!b) return NULL;
            memcpy(b + 1, h + 1, h->size < nsize ? h->size : nsize);
            free(h);
            return b + 1;
        }
        blk_head *b = big_map(h, nsize);
        return b ? b + 1 : NULL;
    }
#endif
    blk_head *b = realloc(h, sizeof(blk_head) + nsize);
    if (!b) return NULL;
    b->size = nsize;
    b->map = 0;
    return b + 1;
}

static ent_alloc_fn alloc_fn = default_alloc;
static void *alloc_ud;

void ent_set_allocator(ent_alloc_fn fn, void *ud)
{
    alloc_fn = fn ? fn : default_alloc;
    alloc_ud = fn ? ud : NULL;
}

void *ent__malloc(size_t n) { return alloc_fn(alloc_ud, NULL, n ? n : 1); }
void *ent__realloc(void *p, size_t n) { return alloc_fn(alloc_ud, p, n ? n : 1); }
void ent__free(void *p)
{
    if (p) alloc_fn(alloc_ud, p, 0);
}
void ent_free(void *p) { ent__free(p); }

char *ent__strndup(const char *s, size_t n)
{
    char *d = ent__malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* ------------------------------------------------------------------ */
/* Arena: a list of blocks; an allocation that does not fit gets a new block
** of at least 16 KiB. */

struct ent_arena_block {
    ent_arena_block *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void *ent__arena_alloc(ent_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    ent_arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        b = ent__malloc(sizeof *b + cap);
        if (!b) {
            a->oom = 1;
            return NULL;
        }
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

char *ent__arena_strndup(ent_arena *a, const char *s, size_t n)
{
    char *d = ent__arena_alloc(a, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

void ent__arena_clear(ent_arena *a)
{
    ent_arena_block *b = a->head;
    if (!b) return;
    ent_arena_block *rest = b->next;
    while (rest) {
        ent_arena_block *next = rest->next;
        ent__free(rest);
        rest = next;
    }
    b->next = NULL;
    b->used = 0;
}

void ent__arena_free(ent_arena *a)
{
    ent_arena_block *b = a->head;
    while (b) {
        ent_arena_block *next = b->next;
        ent__free(b);
        b = next;
    }
    a->head = NULL;
    a->oom = 0;
}

/* ------------------------------------------------------------------ */
/* Buffers.                                                             */

static int buf_grow(ent_buf *b, size_t need)
{
    if (b->oom) return -1;
    if (b->len + need + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + need + 1) cap *= 2;
    char *p = ent__realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

int ent__buf_reserve(ent_buf *b, size_t n) { return buf_grow(b, n); }

void ent__buf_put(ent_buf *b, const void *p, size_t n)
{
    if (buf_grow(b, n)) return;
    if (n) memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}

void ent__buf_puts(ent_buf *b, const char *z) { ent__buf_put(b, z, strlen(z)); }

void ent__buf_putc(ent_buf *b, char c)
{
    if (buf_grow(b, 1)) return;
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}

void ent__buf_vprintf(ent_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        ent__buf_put(b, tmp, (size_t)n);
        return;
    }
    if (buf_grow(b, (size_t)n)) return;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void ent__buf_printf(ent_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ent__buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void ent__buf_json_str(ent_buf *b, const char *s, size_t n)
{
    ent__buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        ent__buf_put(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': ent__buf_puts(b, "\\\""); break;
        case '\\': ent__buf_puts(b, "\\\\"); break;
        case '\n': ent__buf_puts(b, "\\n"); break;
        case '\t': ent__buf_puts(b, "\\t"); break;
        case '\r': ent__buf_puts(b, "\\r"); break;
        default: ent__buf_printf(b, "\\u%04x", c); break;
        }
    }
    ent__buf_put(b, s + run, n - run);
    ent__buf_putc(b, '"');
}

void ent__buf_reset(ent_buf *b)
{
    b->len = 0;
    if (b->p) b->p[0] = 0;
}

void ent__buf_free(ent_buf *b)
{
    ent__free(b->p);
    memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------------ */
/* Vectors.                                                             */

void ent__vec_init(ent_vec *v, size_t elem)
{
    memset(v, 0, sizeof *v);
    v->elem = elem;
}

void *ent__vec_push(ent_vec *v)
{
    if (v->oom) return NULL;
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void *p = ent__realloc(v->p, cap * v->elem);
        if (!p) {
            v->oom = 1;
            return NULL;
        }
        v->p = p;
        v->cap = cap;
    }
    void *slot = (char *)v->p + v->len * v->elem;
    memset(slot, 0, v->elem);
    v->len++;
    return slot;
}

void ent__vec_free(ent_vec *v)
{
    ent__free(v->p);
    v->p = NULL;
    v->len = v->cap = 0;
    v->oom = 0;
}

/* ------------------------------------------------------------------ */
/* Diagnostics.                                                         */

void ent__diags_init(ent_diags *d)
{
    memset(d, 0, sizeof *d);
    ent__vec_init(&d->items, sizeof(ent_diag_item));
}

void ent__diags_free(ent_diags *d)
{
    for (size_t i = 0; i < d->items.len; i++) {
        ent_diag_item *it = &ENT_VEC_AT(&d->items, ent_diag_item, i);
        ent__free(it->file);
        ent__free(it->msg);
        ent__free(it->rule);
        ent__free(it->source);
        ent__free(it->src_line);
    }
    ent__vec_free(&d->items);
    d->nerrors = d->nrefused = 0;
}

void ent__diag_add(ent_diags *d, int kind, const char *file, uint32_t line, uint16_t col,
                   const char *src_line, size_t src_len, const char *rule,
                   const char *source, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (kind == ENT_DIAG_ERROR) d->nerrors++;
    if (kind == ENT_DIAG_REFUSED) d->nrefused++;
    ent_diag_item *it = ent__vec_push(&d->items);
    if (!it) return; /* counts stay right; the text is lost (oom flag is set) */
    it->kind = kind;
    it->file = file ? ent__strndup(file, strlen(file)) : NULL;
    it->line = line;
    it->col = col;
    it->msg = ent__strndup(msg, strlen(msg));
    it->rule = rule ? ent__strndup(rule, strlen(rule)) : NULL;
    it->source = source ? ent__strndup(source, strlen(source)) : NULL;
    it->src_line = src_line ? ent__strndup(src_line, src_len) : NULL;
}

typedef struct sort_key {
    uint32_t line;
    size_t idx;
} sort_key;

static int cmp_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void ent__diags_sort_from(ent_diags *d, size_t first)
{
    size_t n = d->items.len > first ? d->items.len - first : 0;
    if (n < 2) return;
    sort_key *k = ent__malloc(n * sizeof *k);
    ent_diag_item *tmp = ent__malloc(n * sizeof *tmp);
    if (!k || !tmp) { /* unsorted is still correct, only less readable */
        ent__free(k);
        ent__free(tmp);
        return;
    }
    ent_diag_item *items = (ent_diag_item *)d->items.p + first;
    for (size_t i = 0; i < n; i++) k[i] = (sort_key){ items[i].line, i };
    qsort(k, n, sizeof *k, cmp_key);
    for (size_t i = 0; i < n; i++) tmp[i] = items[k[i].idx];
    memcpy(items, tmp, n * sizeof *tmp);
    ent__free(k);
    ent__free(tmp);
}

void ent__diags_render(const ent_diags *d, ent_buf *out)
{
    for (size_t i = 0; i < d->items.len; i++) {
        const ent_diag_item *it = &ENT_VEC_AT(&d->items, ent_diag_item, i);
        const char *file = it->file ? it->file : "<input>";
        const char *msg = it->msg ? it->msg : "(out of memory)";
        if (it->kind == ENT_DIAG_REFUSED) {
            ent__buf_printf(out, "%s:%u: refused: %s [%s; %s]\n", file, it->line, msg,
                            it->rule ? it->rule : "?", it->source ? it->source : "?");
            continue;
        }
        const char *what = it->kind == ENT_DIAG_ERROR ? "error" : "note";
        if (it->line == 0)
            ent__buf_printf(out, "%s: %s: %s\n", file, what, msg);
        else if (it->col == 0)
            ent__buf_printf(out, "%s:%u: %s: %s\n", file, it->line, what, msg);
        else
            ent__buf_printf(out, "%s:%u:%u: %s: %s\n", file, it->line, it->col, what, msg);
        if (it->src_line && it->col > 0) {
            ent__buf_printf(out, "    %s\n    ", it->src_line);
            /* keep tabs so the caret lines up under the offending byte */
            /* UTF-8 continuation bytes take no column on screen */
            for (uint16_t c = 1; c < it->col && it->src_line[c - 1]; c++) {
                unsigned char ch = (unsigned char)it->src_line[c - 1];
                if ((ch & 0xC0) == 0x80) continue;
                ent__buf_putc(out, ch == '\t' ? '\t' : ' ');
            }
            ent__buf_puts(out, "^\n");
        }
    }
}

void ent__line_at(const char *buf, size_t n, size_t off, size_t *start, size_t *len)
{
    size_t s = off > n ? n : off;
    while (s > 0 && buf[s - 1] != '\n') s--;
    size_t e = s;
    while (e < n && buf[e] != '\n') e++;
    if (e > s && buf[e - 1] == '\r') e--;
    *start = s;
    *len = e - s;
}
