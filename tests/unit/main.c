/* main.c: runs the unit tests registered with TEST(); see test.h. `test-unit --list`
** prints the name of every test, one a line, and runs none. */
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

typedef struct {
    const char *name, *file;
    ent_test_fn fn;
} test_entry;

static test_entry *tests;
static int ntests, captests;
jmp_buf ent_test_jmp;
int ent_test_failed;

void ent_test_register(const char *name, const char *file, ent_test_fn fn)
{
    if (ntests == captests) {
        captests = captests ? captests * 2 : 64;
        tests = realloc(tests, (size_t)captests * sizeof *tests);
        if (!tests) abort();
    }
    tests[ntests++] = (test_entry){ name, file, fn };
}

static int cmp(const void *a, const void *b)
{
    const test_entry *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->name, y->name);
}

/* Run one test; 1 if it passed. Kept apart so no local of main lives across
** the longjmp. */
static int run_one(const test_entry *t)
{
    ent_test_failed = 0;
    if (setjmp(ent_test_jmp) == 0) t->fn();
    return !ent_test_failed;
}

void ent_test_unlink_journal(const char *path)
{
    static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
    char p[1024];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, verbose = getenv("TEST_VERBOSE") != NULL;
    qsort(tests, (size_t)ntests, sizeof *tests, cmp);
    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        /* every registered test name, one a line (tests/coverage/run.sh) */
        for (int i = 0; i < ntests; i++) puts(tests[i].name);
        free(tests);
        return 0;
    }
    for (int i = 0; i < ntests; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1]) && !strstr(tests[i].file, argv[1]))
            continue;
        if (!run_one(&tests[i])) {
            failed++;
            fprintf(stderr, "FAIL %s (%s)\n", tests[i].name, tests[i].file);
        } else {
            passed++;
            if (verbose) fprintf(stderr, "ok   %s\n", tests[i].name);
        }
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    free(tests);
    return failed ? 1 : 0;
}
