/*
** test.h: a tiny unit-test framework (after redis' testhelp.h and libuv's
** task.h). A test is a function declared with TEST(name); it registers itself
** at load time. ASSERT_* print both values, the file and the line, and end
** the test. tests/unit/main.c runs them all (or those whose name contains a
** filter argument) and prints "N passed, N failed".
*/
#ifndef ENT_TEST_H
#define ENT_TEST_H

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

typedef void (*ent_test_fn)(void);
/* Remove a journal file and its SQLite side files (-wal, -shm, -journal). */
void ent_test_unlink_journal(const char *path);
void ent_test_register(const char *name, const char *file, ent_test_fn fn);
extern jmp_buf ent_test_jmp;
extern int ent_test_failed;

#define TEST(name)                                                        \
    static void test_##name(void);                                        \
    __attribute__((constructor)) static void test_reg_##name(void)        \
    { ent_test_register(#name, __FILE__, test_##name); }                  \
    static void test_##name(void)

#define TEST_FAIL_(...)                                                   \
    do {                                                                  \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                 \
        fprintf(stderr, __VA_ARGS__);                                     \
        fputc('\n', stderr);                                              \
        ent_test_failed = 1;                                              \
        longjmp(ent_test_jmp, 1);                                         \
    } while (0)

#define ASSERT(c) do { if (!(c)) TEST_FAIL_("assertion failed: %s", #c); } while (0)
#define ASSERT_EQ(a, b)                                                   \
    do {                                                                  \
        long long a_ = (long long)(a), b_ = (long long)(b);               \
        if (a_ != b_) TEST_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_); \
    } while (0)
#define ASSERT_NE(a, b)                                                   \
    do {                                                                  \
        long long a_ = (long long)(a), b_ = (long long)(b);               \
        if (a_ == b_) TEST_FAIL_("%s != %s: both %lld", #a, #b, a_);      \
    } while (0)
#define ASSERT_STR_EQ(a, b)                                               \
    do {                                                                  \
        const char *a_ = (a), *b_ = (b);                                  \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                            \
            TEST_FAIL_("%s == %s:\n    got:      \"%s\"\n    expected: \"%s\"", \
                       #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");   \
    } while (0)
#define ASSERT_CONTAINS(hay, needle)                                      \
    do {                                                                  \
        const char *h_ = (hay), *n_ = (needle);                           \
        if (!h_ || !strstr(h_, n_))                                       \
            TEST_FAIL_("%s contains \"%s\":\n    got: \"%s\"", #hay, n_,   \
                       h_ ? h_ : "(null)");                               \
    } while (0)
#define ASSERT_NEAR(a, b, eps)                                            \
    do {                                                                  \
        double a_ = (a), b_ = (b);                                        \
        if (a_ - b_ > (eps) || b_ - a_ > (eps))                           \
            TEST_FAIL_("%s ~= %s: %g vs %g", #a, #b, a_, b_);             \
    } while (0)

#endif /* ENT_TEST_H */
