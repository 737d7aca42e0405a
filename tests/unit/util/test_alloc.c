/* test_alloc.c: the default allocator (src/util/util.c). Blocks of 1 MiB
** and more are mappings of their own (outside ASan): they keep their bytes
** as they grow past and shrink below that size, move between the two kinds,
** and free without leaking (ASan checks the small ones). */
#include "../test.h"

#include <stdint.h>
#include <string.h>

#include "../../../src/util/util.h"

/* A pattern over one byte of every page-or-so and the last byte. */
static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i + 1 < n; i += 4093) p[i] = (unsigned char)(i * 31 + seed);
    p[n - 1] = (unsigned char)(seed ^ 0x5a);
}

static int same(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i + 1 < n; i += 4093)
        if (p[i] != (unsigned char)(i * 31 + seed)) return 0;
    return p[n - 1] == (unsigned char)(seed ^ 0x5a);
}

typedef struct elem184 {
    uint32_t first, rest[45];
} elem184;

TEST(alloc_blocks_keep_their_bytes_across_sizes)
{
    /* small -> large -> larger -> small -> large, the prefix kept each time */
    static const size_t sizes[] = { 1000, 3u << 20, 9u << 20, 200000, 600, 5u << 20, 40u << 20 };
    unsigned char *p = ent__malloc(sizes[0]);
    ASSERT(p != NULL);
    ASSERT_EQ((uintptr_t)p % 16, 0);
    fill(p, sizes[0], 7);
    size_t have = sizes[0];
    for (size_t k = 1; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k], keep = have < n ? have : n;
        p = ent__realloc(p, n);
        ASSERT(p != NULL);
        ASSERT_EQ((uintptr_t)p % 16, 0);
        if (keep == have) ASSERT(same(p, keep, 7)); /* grown: all of it kept */
        for (size_t i = 0; i + 1 < keep; i += 4093) ASSERT_EQ(p[i], (unsigned char)(i * 31 + 7));
        memset(p + keep, 0xee, n - keep); /* every byte is writable */
        fill(p, n, 7);
        have = n;
    }
    ent__free(p);
}

TEST(alloc_vectors_and_buffers_grow_into_mappings)
{
    ent_vec v;
    ent__vec_init(&v, sizeof(elem184));
    for (uint32_t i = 0; i < 100000; i++) { /* 18 MiB */
        elem184 *e = ent__vec_push(&v);
        ASSERT(e != NULL);
        e->first = i;
    }
    for (uint32_t i = 0; i < 100000; i += 997) ASSERT_EQ(ENT_VEC_AT(&v, elem184, i).first, i);
    ent__vec_free(&v);
    ent_buf b = { 0 };
    for (int i = 0; i < 30000; i++) ent__buf_printf(&b, "line %d of a growing buffer\n", i); /* about 0.8 MiB */
    for (int i = 0; i < 30000; i++) ent__buf_printf(&b, "line %d of a growing buffer\n", i);
    ASSERT(!b.oom);
    ASSERT(strncmp(b.p, "line 0 of", 9) == 0);
    ASSERT_EQ(b.p[b.len], 0);
    ASSERT(strstr(b.p + b.len - 40, "line 29999 of a growing buffer\n") != NULL);
    ent__buf_free(&b);
}
